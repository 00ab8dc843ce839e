"""Fixtures shared by the HTTP tool tests: a loopback test server and short timeouts."""

from __future__ import annotations

import pytest

from app.tools import http


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


@pytest.fixture(autouse=True)
def fast_policy(monkeypatch):
    monkeypatch.setattr(http, "POLICY", http.Policy(
        connect_timeout=1.0, read_timeout=2.0, retries=2, backoff=0.0, retry_after_max=0.05,
    ))
