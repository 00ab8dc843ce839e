"""One app per person and home folder: a second launch hands its arguments over and exits.

The running app listens on a ``QLocalServer`` (a Unix socket, in ``$XDG_RUNTIME_DIR`` when
there is one; a named pipe on Windows) whose name is derived from the user and the resolved
``SMART_AGENT_HOME`` (or the default config folder), so portable installs and tests with
their own home do not meet. A second
launch connects before it creates its ``QApplication`` or loads anything, sends one JSON
line ``{"argv": [...]}``, waits for ``ok`` and exits 0. A socket left behind by a crashed
app answers nobody; it is removed and the new app takes the name.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from app.paths import Paths

log = logging.getLogger(__name__)

CONNECT_MS = 500
REPLY_MS = 3000
MAX_MESSAGE = 64 * 1024


def server_name(paths: Paths | None = None) -> str:
    """``smart-agent-<hash of user and config folder>``: short enough for a socket path."""
    paths = paths or Paths.from_env()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    digest = hashlib.sha256(f"{user}\0{paths.config}".encode()).hexdigest()[:16]
    name = f"smart-agent-{digest}"
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR", "")
    if sys.platform != "win32" and runtime_dir and os.path.isdir(runtime_dir):
        return os.path.join(runtime_dir, name)  # the user's private (0700) folder
    return name


def send_to_running(argv: list[str], name: str | None = None) -> bool:
    """Hand ``argv`` to the running app; False when none answers (then we are the first)."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(json.dumps({"argv": argv}).encode("utf-8") + b"\n")
    socket.flush()
    reply = b""
    while b"\n" not in reply and socket.waitForReadyRead(REPLY_MS):
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    if reply.strip() != b"ok":
        log.warning("the running instance did not confirm (%r)", reply[:100])
    return True


class InstanceServer(QObject):
    """The first app's end: ``received`` carries each later launch's argv."""

    received = Signal(list)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        if sys.platform == "win32":
            # on Unix this option makes Qt rename the socket into place, which would let a
            # second app silently take over a live name; there the socket's mode and the
            # private runtime folder keep other users out
            self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Take the name; False if another live app holds it (the caller hands over then)."""
        if self._server.listen(self.name):
            return True
        if self._server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
            log.warning("single-instance server: %s", self._server.errorString())
            return True  # run without it rather than not at all
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(CONNECT_MS):
            probe.disconnectFromServer()
            return False
        log.info("removing a stale single-instance socket %s", self.name)
        QLocalServer.removeServer(self.name)
        if not self._server.listen(self.name):
            log.warning("single-instance server: %s", self._server.errorString())
        return True

    def close(self) -> None:
        self._server.close()

    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE:
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""
        try:
            message = json.loads(line)
            argv = message["argv"]
            if not (isinstance(argv, list) and all(isinstance(a, str) for a in argv)):
                raise ValueError("argv is not a list of strings")
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("ignored a malformed message from a second launch: %s", exc)
            socket.write(b"error\n")
            socket.flush()
            return
        socket.write(b"ok\n")
        socket.flush()
        log.info("a second launch handed over %s", argv)
        self.received.emit(argv)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()
