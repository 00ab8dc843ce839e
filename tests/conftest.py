"""Every test runs with SMART_AGENT_HOME in a fresh temporary folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def smart_agent_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SMART_AGENT_HOME", str(home))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return home
