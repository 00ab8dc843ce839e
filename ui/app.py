"""Start the desktop app: the window paints first; the tray, hotkey and models come after.

Before the first paint only the window and what it shows are imported and built (the
settings, the history); the log file, the desktop shell (tray, hotkey, quick prompt), the
tools and the models load once the window has painted. At quit the models are freed and
the Qt objects deleted on the GUI thread, before the interpreter starts to finalize.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from app import __version__
from app.paths import Paths
from app.runtime import Runtime, setup_logging
from app.settings import Settings

log = logging.getLogger("smart_agent.ui")


def make_application() -> QApplication:
    QCoreApplication.setOrganizationName("SmartAgent")
    QCoreApplication.setApplicationName("Smart Agent")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(True)
    return app


class FirstPaint(QObject):
    """Calls ``then`` once, on the event-loop turn after ``widget`` first painted."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def log_uncaught_errors() -> None:
    """Qt's messages and exceptions nobody caught (a slot's, a thread's) go to the log."""
    qt_levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qt_log = logging.getLogger("qt")

    def on_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        qt_log.log(qt_levels.get(kind, logging.WARNING), "%s", message)

    def on_exception(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        log.error("uncaught exception", exc_info=(kind, value, tb))
        sys.__excepthook__(kind, value, tb)

    def on_thread_exception(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit and args.exc_value is not None:
            where = args.thread.name if args.thread else "?"
            log.error(
                "uncaught exception in thread %s",
                where,
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )

    qInstallMessageHandler(on_qt_message)
    sys.excepthook = on_exception
    threading.excepthook = on_thread_exception


class HeldRecords(logging.Handler):
    """Log records held until the log file opens, once the window has painted.

    The file's rotating handler imports ``logging.handlers`` and with it ``socket``, about
    10 ms of CPU that the first paint does without. What is logged before (Qt's warnings as
    the window shows, a launch that hands over) reaches the file then, in order, with the
    time it happened.
    """

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        root = logging.getLogger()
        self._earlier = list(root.handlers)  # these had every record already
        root.addHandler(self)
        root.setLevel(logging.INFO)  # as setup_logging will

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def open_log(self, paths: Paths) -> None:
        """Open the log file (``setup_logging``) and write the records held until now; once."""
        root = logging.getLogger()
        if self not in root.handlers:
            return
        root.removeHandler(self)
        setup_logging(paths)
        opened = [h for h in root.handlers if h not in self._earlier]
        for record in self.records:
            for handler in opened:
                if record.levelno >= handler.level:
                    handler.handle(record)
        self.records.clear()


def main(args: argparse.Namespace, settings: Settings | None = None) -> int:
    settings = settings or Settings.load()
    held = HeldRecords()
    try:
        return run(args, settings, held)
    finally:
        held.open_log(settings.paths)  # a start that ended before the window painted


def run(args: argparse.Namespace, settings: Settings, held: HeldRecords) -> int:
    from ui.single_instance import InstanceServer, send_to_running, server_name

    # one app per person: a later launch hands over before it loads anything
    name = server_name(settings.paths)
    handover = ["--quick-prompt"] if getattr(args, "quick_prompt", False) else []
    if send_to_running(handover, name):
        return 0
    app = make_application()
    server = InstanceServer(name)
    if not server.listen():  # another launch took the name a moment ago
        send_to_running(handover, name)
        return 0

    from ui.collector import GuiThreadCollector
    from ui.main_window import MainWindow
    from ui.tray import app_icon

    log_uncaught_errors()
    app.setWindowIcon(app_icon())
    collector = GuiThreadCollector(app)  # before any worker thread exists
    runtime = Runtime(settings)
    window = MainWindow(runtime)
    shells: list[Any] = []

    def start_shell() -> None:
        from ui.desktop import DesktopShell
        from ui.help_menu import offer_crash_reports
        from ui.mcp_settings import start_in_background

        held.open_log(runtime.paths)
        shell = DesktopShell(window, runtime.settings)
        shells.append(shell)
        server.received.connect(shell.handle_argv)
        if not (handover and shell.tray is not None):  # --quick-prompt with a tray: the prompt
            window.show()
        window.load_models_in_background()
        start_in_background(runtime, window)  # MCP servers: never before the window
        shell.start()
        if handover:
            shell.open_quick_prompt()
        offer_crash_reports(window, runtime.paths.logs)

    report = os.environ.get("SMART_AGENT_REPORT_SHOWN")  # the start-up benchmark, smoke test

    def after_first_paint() -> None:
        if report:
            print(f"window_shown_epoch: {time.time():.6f}", file=sys.stderr)
            print(f"window_shown_cpu: {time.process_time():.6f}", file=sys.stderr, flush=True)
        start_shell()
        if report == "quit":
            window._on_quit()

    if handover:
        start_shell()
    else:
        FirstPaint(window, after_first_paint)
        window.show()
    try:
        return app.exec()
    finally:
        for shell in shells:
            shell.close()
        server.close()
        window.shutdown()  # a run still going is stopped and waited for (bounded)
        runtime.close()  # the models are freed here, not by the interpreter's finalization
        window.deleteLater()
        for shell in shells:
            shell.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        collector.stop()
        gc.collect()
