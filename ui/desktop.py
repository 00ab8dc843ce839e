"""Everything around the main window that makes the app usable from anywhere.

Ties the tray icon, the quick prompt, the global hotkey and later launches (handed over by
``ui.single_instance``) to the ``MainWindow`` API; follows the settings ``hotkey``,
``ui.close_to_tray`` and ``ui.start_at_login``. Problems the person must know about (a
hotkey clash, no tray) are said once, in the status bar, on stderr and in the log.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from app.errors import SmartAgentError
from app.settings import Settings
from app.text import elide
from ui.hotkey import GlobalHotkey, HotkeyError
from ui.quick_prompt import QuickPrompt
from ui.tray import TrayIcon

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

STATUS_MS = 30000
TITLES = {
    "ok": "Smart Agent — answer",
    "partial": "Smart Agent — partial answer (some steps failed)",
    "cancelled": "Smart Agent — stopped",
}


class DesktopShell(QObject):
    def __init__(
        self, window: MainWindow, settings: Settings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.settings = settings
        self.quick = QuickPrompt()
        self.quick.setWindowIcon(window.windowIcon())
        self.hotkey = GlobalHotkey(self)
        self.tray: TrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = TrayIcon(self)
            self.tray.show()
            self.window.close_to_tray = bool(settings.get("ui.close_to_tray"))
            log.info("system tray available; close to tray: %s", self.window.close_to_tray)
        self._running_task: str | None = None
        self._quick_pending = False
        self._quick_runs: set[str] = set()
        self._told_hidden = False
        self._connect_signals()
        self.window.installEventFilter(self)
        self._quit_on_termination()

    def _connect_signals(self) -> None:
        self.quick.submitted.connect(self._on_quick_task)
        self.hotkey.activated.connect(self.open_quick_prompt)
        self.window.runStarted.connect(self._on_run_started)
        self.window.runFinished.connect(self._on_run_finished)
        self.window.settingsChanged.connect(self._on_settings_changed)
        if self.tray is not None:
            self.tray.quickPromptRequested.connect(self.open_quick_prompt)
            self.tray.showWindowRequested.connect(self.show_window)
            self.tray.quitRequested.connect(self.quit)
            self.tray.runClicked.connect(self._on_notification_clicked)

    def _quit_on_termination(self) -> None:
        """SIGTERM/SIGINT (logout, kill, Ctrl+C) quit like the tray's Quit, not mid-write.

        Python runs signal handlers only between bytecodes, which the Qt event loop never
        reaches; the wake-up fd turns the signal into a socket event Qt does see.
        """
        if sys.platform == "win32":
            return
        self._signal_r, self._signal_w = socket.socketpair()
        for end in (self._signal_r, self._signal_w):
            end.setblocking(False)
        signal.set_wakeup_fd(self._signal_w.fileno())
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: None)
        self._signal_notifier = QSocketNotifier(
            self._signal_r.fileno(), QSocketNotifier.Type.Read, self
        )
        self._signal_notifier.activated.connect(self._on_termination_signal)

    def _on_termination_signal(self) -> None:
        try:
            received = self._signal_r.recv(64)
        except BlockingIOError:
            return
        log.info("signal %s received; quitting", list(received))
        self.quit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The first time the window closes to the tray, say where the app went."""
        if (
            watched is self.window
            and event.type() == QEvent.Type.Hide
            and self.window.close_to_tray
            and self.tray is not None
            and not self._told_hidden
        ):
            self._told_hidden = True
            self.tray.notify("Smart Agent", "Still running in the tray; Quit is in its menu.")
        return False

    def start(self) -> None:
        """After the window is up: say what is missing, register the hotkey, sync autostart."""
        if self.tray is None:
            self.report(
                "No system tray found: Smart Agent works as a normal window app "
                "(closing the window quits it)."
            )
        self.apply_hotkey()
        if self.settings.get("ui.start_at_login"):
            self.apply_start_at_login()

    def close(self) -> None:
        self.hotkey.unregister()
        self.quick.close()
        if self.tray is not None:
            self.tray.hide()

    # -- actions ---------------------------------------------------------------------------

    def open_quick_prompt(self) -> None:
        log.info("quick prompt opened")
        self.quick.open()
        if self.window.is_running():
            self.quick.show_busy(elide(self._running_task or "", 60))
        else:
            self.quick.note.hide()

    def show_window(self) -> None:
        self.window.bring_to_front()

    def quit(self) -> None:
        """Quit for real, whatever ``close_to_tray`` says (the window stops a run first)."""
        self.window.close_to_tray = False
        self.quick.close()
        self.window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def handle_argv(self, argv: list[str]) -> None:
        """A later launch's arguments: ``--quick-prompt`` opens it; anything else the window."""
        from app.cli import build_parser

        try:
            args = build_parser().parse_args(argv)
        except (SmartAgentError, SystemExit):
            args = None
        if args is not None and args.quick_prompt:
            self.open_quick_prompt()
        else:
            self.show_window()

    def report(self, message: str, *, warning: bool = True) -> None:
        """Tell the person: status bar, stderr, log, and the tray if the window is hidden."""
        (log.warning if warning else log.info)("%s", message)
        print(f"smart-agent: {message}", file=sys.stderr, flush=True)
        self.window.statusBar().showMessage(message, STATUS_MS)
        if self.tray is not None and not self.window.isVisible():
            self.tray.notify("Smart Agent", message, warning=warning)

    # -- settings --------------------------------------------------------------------------

    def apply_hotkey(self) -> None:
        text = str(self.settings.get("hotkey") or "")
        try:
            self.hotkey.register(text)
        except HotkeyError as exc:
            self.report(str(exc))
            return
        if not text:
            log.info("hotkey switched off")

    def apply_start_at_login(self) -> None:
        from ui.desktop_entry import set_start_at_login

        enabled = bool(self.settings.get("ui.start_at_login"))
        try:
            where = set_start_at_login(enabled)
        except SmartAgentError as exc:
            self.report(str(exc))
            return
        log.info("start at login %s (%s)", "on" if enabled else "off", where)

    def _on_settings_changed(self, changed: frozenset[str]) -> None:
        if "hotkey" in changed:
            self.apply_hotkey()
        if "ui.close_to_tray" in changed and self.tray is not None:
            self.window.close_to_tray = bool(self.settings.get("ui.close_to_tray"))
        if "ui.start_at_login" in changed:
            self.apply_start_at_login()

    # -- runs ------------------------------------------------------------------------------

    def _on_quick_task(self, task: str) -> None:
        if self.window.is_running() or not self.window.start_task(task):
            log.info("quick prompt: a run is already active; said so")
            self.quick.show_busy(elide(self._running_task or "", 60))
            return
        self._quick_pending = True
        self.quick.accept_task()
        log.info("quick prompt started %r", elide(task, 80))

    def _on_run_started(self, run_id: str, task: str) -> None:
        self._running_task = task
        if self._quick_pending:
            self._quick_pending = False
            self._quick_runs.add(run_id)
        if self.tray is not None:
            self.tray.set_running(task)

    def _on_run_finished(self, run_id: str, status: str, text: str) -> None:
        self._running_task = None
        quick = run_id in self._quick_runs or (not run_id and self._quick_pending)
        self._quick_runs.discard(run_id)
        self._quick_pending = False
        if self.tray is not None:
            self.tray.set_running(None)
        if not (quick or not self.window.isVisible()):
            return
        log.info("run %s finished (%s); telling the person", run_id or "-", status)
        if self.tray is not None and self.tray.icon.supportsMessages():
            title = TITLES.get(status, "Smart Agent — run failed")
            self.tray.notify(title, text, run_id, warning=status in ("failed", "partial"))
        elif run_id:
            self.window.open_run(run_id)
        else:
            self.show_window()

    def _on_notification_clicked(self, run_id: str) -> None:
        log.info("opening run %s from the notification", run_id)
        self.window.open_run(run_id)
        self.window.bring_to_front()
