"""Settings → Server: start and stop ``smart-agent serve`` inside the desktop app.

The server belongs to the app, not to the dialog (``ServerControl``): it keeps serving
when Settings closes and stops when the app quits. It listens on 127.0.0.1 only (a
non-loopback address is for ``smart-agent serve --allow-remote``) and uses the app's own
runtime, so its runs share the loaded models and land in the same history. Approval
questions of API runs are answered over the API, not in a desktop dialog.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from app.server import DEFAULT_PORT
from app.settings import Settings

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
NOTE = (
    "Other programs on this computer can use Smart Agent through an HTTP API "
    "(OpenAI-compatible at /v1/chat/completions) with the token below. Approval questions "
    "of runs started over the API are answered over the API, not here."
)


class ServerControl:
    """The desktop's one API server, which outlives the Settings dialog."""

    def __init__(self) -> None:
        self.server: Any = None
        self.address = ""
        self._own_runtime: Any = None
        self._quit_hooked = False

    @property
    def running(self) -> bool:
        return self.server is not None

    def start(self, settings: Settings, runtime: Any, port: int) -> str:
        from app.runtime import Runtime
        from app.server.app import ApiServer
        from app.server.token import api_token

        if runtime is None:  # no window's runtime to share (a dialog opened on its own)
            runtime = self._own_runtime = Runtime(settings)
        server = ApiServer(runtime, api_token() or "", HOST, port)
        self.address = server.start()
        self.server = server
        app = QCoreApplication.instance()
        if app is not None and not self._quit_hooked:
            app.aboutToQuit.connect(self.stop)
            self._quit_hooked = True
        return self.address

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        if self._own_runtime is not None:
            self._own_runtime.close()
        self.server, self.address, self._own_runtime = None, "", None


CONTROL = ServerControl()


class ServerPanel(QWidget):
    """The Server tab: address, port, Start/Stop, and the token to copy."""

    def __init__(
        self,
        settings: Settings,
        runtime: Any = None,
        parent: QWidget | None = None,
        *,
        control: ServerControl = CONTROL,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.runtime = runtime
        self.control = control
        self.note = QLabel(NOTE)
        self.note.setWordWrap(True)
        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setPrefix(f"{HOST}:")
        self.toggle = QPushButton()
        self.copy_token = QPushButton("Copy &token")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        for widget in (self.port, self.toggle, self.copy_token):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        for item in (self.note, self.status, row, self.error):
            if isinstance(item, QHBoxLayout):
                layout.addLayout(item)
            else:
                layout.addWidget(item)
        layout.addStretch(1)
        self._connect_signals()
        self._refresh()

    def _connect_signals(self) -> None:
        self.toggle.clicked.connect(self._on_toggle)
        self.copy_token.clicked.connect(self._on_copy_token)

    def _refresh(self) -> None:
        running = self.control.running
        self.status.setText(
            f"Serving on {self.control.address}" if running else "The API server is stopped."
        )
        self.toggle.setText("&Stop server" if running else "&Start server")
        self.port.setEnabled(not running)

    def _on_toggle(self) -> None:
        self.error.clear()
        try:
            if self.control.running:
                self.control.stop()
            else:
                self.control.start(self.settings, self.runtime, self.port.value())
        except Exception as exc:  # a port in use, no keyring for the token: said, not raised
            log.exception("API server start/stop failed")
            self.error.setText(f"The server could not start: {exc}")
        self._refresh()

    def _on_copy_token(self) -> None:
        from app.server.token import api_token

        QGuiApplication.clipboard().setText(api_token() or "")
        self.error.setText("")
        self.status.setText(self.status.text().split(" · ")[0] + " · token copied")
