"""Start the desktop app: the window shows first, models load behind it."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app import __version__
from app.runtime import Runtime
from app.settings import Settings


def make_application() -> QApplication:
    QCoreApplication.setOrganizationName("SmartAgent")
    QCoreApplication.setApplicationName("Smart Agent")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(True)
    return app


def main(args: argparse.Namespace, settings: Settings | None = None) -> int:
    from ui.single_instance import InstanceServer, send_to_running, server_name

    # one app per person: a later launch hands over before it loads anything
    name = server_name(settings.paths if settings else None)
    handover = ["--quick-prompt"] if getattr(args, "quick_prompt", False) else []
    if send_to_running(handover, name):
        return 0
    app = make_application()
    server = InstanceServer(name)
    if not server.listen():  # another launch took the name a moment ago
        send_to_running(handover, name)
        return 0

    from ui.collector import GuiThreadCollector
    from ui.desktop import DesktopShell
    from ui.main_window import MainWindow
    from ui.tray import app_icon

    app.setWindowIcon(app_icon())
    collector = GuiThreadCollector(app)  # before any worker thread exists
    runtime = Runtime(settings)
    window = MainWindow(runtime)
    shell = DesktopShell(window, runtime.settings)
    server.received.connect(shell.handle_argv)
    if not (handover and shell.tray is not None):  # --quick-prompt with a tray: just the prompt
        window.show()
    window.load_models_in_background()
    shell.start()
    if handover:
        shell.open_quick_prompt()
    try:
        return app.exec()
    finally:
        shell.close()
        server.close()
        runtime.close()
        collector.stop()
