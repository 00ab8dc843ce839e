"""Shared by the HTTP tool tests: a loopback test server, a short HTTP policy for their
tool contexts, and the Range-honouring file route the download tests (core and dialog)
serve models with."""

from __future__ import annotations

import time

import pytest

from app.net import http
from tests.loopback import Handler, Request


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


FAST = http.Policy(
    connect_timeout=1.0, read_timeout=2.0, retries=2, backoff=0.0, retry_after_max=0.05
)
"""Short timeouts and no backoff: a tool test's context passes it as ``http``."""


class FileRoute:
    """Serves ``payload`` with Range support; can cut the first replies, ignore ranges, claim
    an impossible size or send slowly (``pause`` seconds after each 64 KiB)."""

    def __init__(self, payload: bytes):
        self.payload = payload
        self.cut_after: list[int] = []  # per request: bytes to send before dropping
        self.ignore_range = False
        self.claimed_length: int | None = None
        self.pause = 0.0

    def __call__(self, handler: Handler, request: Request) -> None:
        start = 0
        wanted = request.headers.get("Range", "")
        if wanted.startswith("bytes=") and not self.ignore_range:
            start = int(wanted[6:].split("-")[0])
        if start >= len(self.payload) and wanted:
            handler.send_bytes(416, b"", headers={"Content-Range": f"bytes */{len(self.payload)}"})
            return
        body = self.payload[start:]
        handler.send_response(206 if start else 200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Accept-Ranges", "bytes")
        handler.send_header("Content-Length", str(self.claimed_length or len(body)))
        if start:
            handler.send_header(
                "Content-Range", f"bytes {start}-{len(self.payload) - 1}/{len(self.payload)}"
            )
        handler.end_headers()
        if self.claimed_length:
            return  # a size no disk holds: the client must refuse before reading
        limit = self.cut_after.pop(0) if self.cut_after else len(body)
        for offset in range(0, min(limit, len(body)), 64 * 1024):
            handler.wfile.write(body[offset : min(offset + 64 * 1024, limit)])
            if self.pause:
                handler.wfile.flush()
                time.sleep(self.pause)
        if limit < len(body):
            handler.drop()
