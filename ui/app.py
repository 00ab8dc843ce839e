"""Start the desktop app: the window shows first, models load behind it."""

from __future__ import annotations

import argparse
import sys
import time

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app import __version__
from app.runtime import Runtime
from app.settings import Settings

# process start as close as we can get it: the CLI module records it before importing Qt
STARTED = time.monotonic()


def make_application() -> QApplication:
    QCoreApplication.setOrganizationName("SmartAgent")
    QCoreApplication.setApplicationName("Smart Agent")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(True)
    return app


def main(args: argparse.Namespace, settings: Settings | None = None) -> int:
    from ui.main_window import MainWindow

    app = make_application()
    runtime = Runtime(settings)
    window = MainWindow(runtime)
    window.show()
    window.load_models_in_background()
    try:
        return app.exec()
    finally:
        runtime.close()
