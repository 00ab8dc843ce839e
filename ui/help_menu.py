"""The Help menu and what it offers when something went wrong.

README and usage, the keyboard shortcuts, the logs folder, "Report a problem" (version,
platform and the log's tail copied for a bug report), About; and, at start, the crash
report a fatal error left last time (``app.crash``).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import __version__, crash
from app.settings import Settings

log = logging.getLogger(__name__)


def offer_crash_reports(parent: QWidget, logs: Path) -> QMessageBox | None:
    """If the last session ended in a fatal error, say so and offer its report."""
    reports = crash.collect_reports(logs)
    if not reports:
        return None
    latest = reports[-1]
    log.warning("the last session ended in a fatal error; report: %s", latest)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Smart Agent closed unexpectedly",
        "Smart Agent stopped with a fatal error last time. A crash report was saved:\n"
        f"{latest}\n\nIt holds the stacks of every thread and the end of the log; "
        "please attach it when you report the problem.",
        QMessageBox.StandardButton.Close,
        parent,
    )
    show = box.addButton("Show report", QMessageBox.ButtonRole.AcceptRole)
    folder = box.addButton("Open logs folder", QMessageBox.ButtonRole.ActionRole)

    def on_clicked(button: object) -> None:
        if button is show:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(latest)))
        elif button is folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(logs)))

    box.buttonClicked.connect(on_clicked)
    box.setObjectName("crashReportNotice")
    box.open()  # not modal to the app: the window works meanwhile
    return box


USAGE = (
    "# Smart Agent\n\nType a task and press **Ctrl+Enter**. The planner splits it into steps, "
    "the tools run (anything that writes asks you first) and the answer streams below the "
    "tree. **Esc** stops a run. Past runs are on the left; the quick prompt opens from "
    "anywhere with the global hotkey. Models: File → Models…; settings: File → Settings…\n"
)
LOG_LINES = 60


def readme_text() -> str:
    """The README of this installation (checkout or bundle), else a short usage note."""
    roots = [Path(__file__).resolve().parents[1]]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.insert(0, Path(bundle))
    for root in roots:
        try:
            return (root / "README.md").read_text(encoding="utf-8")
        except OSError:
            continue
    return USAGE


def problem_report(settings: Settings, logs: Path) -> str:
    """What a bug report needs: version, platform, models, and the end of the log."""
    models = ", ".join(
        f"{r} {settings.get(f'models.{r}')}" for r in ("planner", "caller", "solver")
    )
    crashes = sorted(logs.glob("crash-*.txt"))
    return (
        f"Smart Agent {__version__}\n{crash.describe_platform()}\n"
        f"Qt platform: {QGuiApplication.platformName()}\n"
        f"Agent: {settings.get('agent')}; models: {models}\n"
        + (f"Latest crash report: {crashes[-1]}\n" if crashes else "")
        + f"\n== Last {LOG_LINES} lines of {logs / 'smart-agent.log'} ==\n"
        + crash.log_tail(logs, LOG_LINES)
    )


def _text_dialog(parent: QWidget, title: str, widget: QWidget, note: str = "") -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    if note:
        label = QLabel(note)
        label.setWordWrap(True)
        layout.addWidget(label)
    layout.addWidget(widget)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(760, 560)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    return dialog


class HelpMenu:
    """Fills the window's Help menu; each action opens its own small, non-modal dialog."""

    def __init__(self, window: QWidget, menu: QMenu, settings: Settings, logs: Path) -> None:
        self.window, self.settings, self.logs = window, settings, logs
        self.readme_action = menu.addAction("&README and usage")
        self.readme_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.shortcuts_action = menu.addAction("&Keyboard shortcuts")
        self.logs_action = menu.addAction("Open &logs folder")
        self.report_action = menu.addAction("Report a &problem…")
        menu.addSeparator()
        self.readme_action.triggered.connect(self.show_readme)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.logs_action.triggered.connect(self.open_logs)
        self.report_action.triggered.connect(self.report_problem)

    def show_readme(self) -> QDialog:
        view = QTextBrowser()
        view.setOpenExternalLinks(True)
        view.setMarkdown(readme_text())
        dialog = _text_dialog(self.window, "Smart Agent — README", view)
        dialog.show()
        return dialog

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every window action with a shortcut, and the hotkey."""
        rows = []
        for action in self.window.findChildren(QAction):
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
            )
            if keys:
                rows.append((keys, action.text().replace("&", "")))
        hotkey = self.settings.get("hotkey")
        if hotkey:
            rows.append((str(hotkey), "Quick prompt, from anywhere (global hotkey)"))
        return sorted(dict.fromkeys(rows), key=lambda row: row[1].lower())

    def show_shortcuts(self) -> QDialog:
        view = QTextBrowser()
        lines = "".join(
            f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{what}</td></tr>"
            for keys, what in self.shortcuts()
        )
        view.setHtml(f"<table>{lines}</table>")
        dialog = _text_dialog(self.window, "Keyboard shortcuts", view)
        dialog.resize(480, 420)
        dialog.show()
        return dialog

    def open_logs(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.logs))):
            QMessageBox.information(self.window, "Logs folder", f"The logs are in {self.logs}")

    def report_problem(self) -> QDialog:
        """Show the report and copy it: ready to paste into a bug report."""
        text = problem_report(self.settings, self.logs)
        QGuiApplication.clipboard().setText(text)
        view = QPlainTextEdit(text)
        view.setReadOnly(True)
        view.setObjectName("problemReport")
        note = (
            "Copied to the clipboard: paste it into your report, with what you did just "
            "before. It holds no task text beyond what the log shows; read it first."
        )
        dialog = _text_dialog(self.window, "Report a problem", view, note)
        dialog.show()
        return dialog
