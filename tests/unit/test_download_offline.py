"""An offline machine or an unreachable host is named as such, not "the connection broke"."""

from __future__ import annotations

import errno
import socket

import pytest
import urllib3.util.connection

from app.models.downloads import Download, DownloadError


def _fail_connect(monkeypatch, exc: BaseException) -> None:
    def refuse(*args, **kwargs):
        raise exc

    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "does not resolve"),
        (OSError(errno.ENETUNREACH, "Network is unreachable"), "this machine is offline"),
        (OSError(errno.EHOSTUNREACH, "No route to host"), "no route to it"),
        (OSError(errno.ECONNREFUSED, "Connection refused"), "connection refused"),
    ],
)
def test_a_download_that_cannot_connect_says_why(monkeypatch, tmp_path, failure, said):
    _fail_connect(monkeypatch, failure)
    download = Download(
        "https://models.example/tiny.gguf", tmp_path / "tiny.gguf", retry_wait=0, resume_attempts=0
    )
    with pytest.raises(DownloadError) as caught:
        download.run()
    message = str(caught.value)
    assert message.startswith("cannot download tiny.gguf: cannot reach models.example (")
    assert said in message and "connection broke" not in message


def test_a_refused_port_on_this_machine_is_refused(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    download = Download(
        f"http://127.0.0.1:{port}/tiny.gguf", tmp_path / "t.gguf", retry_wait=0, resume_attempts=0
    )
    with pytest.raises(DownloadError, match="connection refused"):
        download.run()
