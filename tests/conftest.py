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


FIXED_MOMENT = "2026-05-14T09:30:00+00:00"


@pytest.fixture
def fixed_clock(monkeypatch):
    """get_current_time reads a fixed moment, so a real model's input (and so its output)
    is the same in every run: an answer that holds the clock time otherwise changes the
    next turn's prompt every minute."""
    from datetime import datetime

    import app.tools.clock as clock

    moment = datetime.fromisoformat(FIXED_MOMENT)

    class FixedDatetime(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return moment.astimezone(tz) if tz is not None else moment.astimezone()

    monkeypatch.setattr(clock, "datetime", FixedDatetime)
    return moment
