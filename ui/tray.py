"""The tray icon: a menu to reach the app from anywhere, and where quick results arrive.

Menu: Quick prompt, Show window, a "Running: <task>" item while a run is active (it shows
the window), Quit. Notifications remember which run they are about, so a click on one
opens that run in the main window. The menu items carry mnemonics (P, S, R, Q) so the menu
can be used from the keyboard.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.text import elide
from ui.desktop_entry import ICON_SIZES, icon_file

log = logging.getLogger(__name__)

RUNNING_LABEL_PX = 280
MESSAGE_CHARS = 300
MESSAGE_MS = 15000


def app_icon() -> QIcon:
    """The app icon at every size we ship (desktops pick the closest)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = icon_file(size)
        if path.exists():
            icon.addFile(str(path))
    return icon


class TrayIcon(QObject):
    quickPromptRequested = Signal()
    showWindowRequested = Signal()
    quitRequested = Signal()
    runClicked = Signal(str)  # run id of the notification the person clicked

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip("Smart Agent")
        self.menu = QMenu()
        self.quick_action = self.menu.addAction("Quick &prompt")
        self.show_action = self.menu.addAction("&Show window")
        self.running_action = self.menu.addAction("")
        self.running_action.setVisible(False)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction("&Quit")
        self.icon.setContextMenu(self.menu)
        self._message_run = ""
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.quick_action.triggered.connect(self._on_quick)
        self.show_action.triggered.connect(self._on_show)
        self.running_action.triggered.connect(self._on_running)
        self.quit_action.triggered.connect(self._on_quit)
        self.icon.activated.connect(self._on_activated)
        self.icon.messageClicked.connect(self._on_message_clicked)

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_running(self, task: str | None) -> None:
        """Show the running-task item (``task``) or hide it (``None``)."""
        if task is None:
            self.running_action.setVisible(False)
            self.icon.setToolTip("Smart Agent")
            return
        metrics = QFontMetrics(self.menu.font())
        label = metrics.elidedText(
            " ".join(task.split()), Qt.TextElideMode.ElideRight, RUNNING_LABEL_PX
        )
        self.running_action.setText("&Running: " + label.replace("&", "&&"))
        self.running_action.setVisible(True)
        self.icon.setToolTip(f"Smart Agent — running: {elide(task, 60)}")
        log.info("tray: running item shown for %r", elide(task, 60))

    def notify(self, title: str, text: str, run_id: str = "", *, warning: bool = False) -> None:
        """A notification; a click on it opens ``run_id`` (when given) in the main window."""
        self._message_run = run_id
        kind = (
            QSystemTrayIcon.MessageIcon.Warning
            if warning
            else QSystemTrayIcon.MessageIcon.Information
        )
        self.icon.showMessage(title, elide(text, MESSAGE_CHARS) or title, kind, MESSAGE_MS)
        log.info("tray notification shown: run=%s title=%r", run_id or "-", title)

    def _on_quick(self) -> None:
        log.info("tray: quick prompt")
        self.quickPromptRequested.emit()

    def _on_show(self) -> None:
        log.info("tray: show window")
        self.showWindowRequested.emit()

    def _on_running(self) -> None:
        log.info("tray: show window (running task)")
        self.showWindowRequested.emit()

    def _on_quit(self) -> None:
        log.info("tray: quit")
        self.quitRequested.emit()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.showWindowRequested.emit()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self.quickPromptRequested.emit()

    def _on_message_clicked(self) -> None:
        run_id, self._message_run = self._message_run, ""
        log.info("tray notification clicked: run=%s", run_id or "-")
        if run_id:  # a plain notice only goes away: Qt counts any tray click while it shows
            self.runClicked.emit(run_id)
