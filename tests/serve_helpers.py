"""A real ``smart-agent serve`` on 127.0.0.1 (any free port) over a replay-model runtime,
and the SSE reading its tests share."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.runtime import Runtime
from app.server.app import ApiServer
from tests.helpers import replay_script, runtime

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TIME_PLAN = "Plan: Get the time in Tokyo.\n#E1 = get_current_time[Asia/Tokyo]\n"
SAVE_PLAN = "Plan: save\n#E1 = save_file[notes.md]\n"
SAVE_CALL = '{"function": "save_file", "arguments": {"path": "notes.md", "content": "hi"}}'


@dataclass
class Served:
    url: str
    runtime: Runtime
    server: ApiServer

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=AUTH, timeout=30, **kw)


def start(
    tmp_path: Path, planner: list[str], caller: list[str] | None = None, **options: Any
) -> Served:
    """A server whose planner (and solver) replays ``planner``, its caller ``caller``."""
    planner_spec = replay_script(tmp_path, planner, "planner.json")
    caller_spec = replay_script(tmp_path, caller or [], "caller.json")
    rt = runtime(**{"models.planner": planner_spec, "models.caller": caller_spec})
    server = ApiServer(rt, TOKEN, "127.0.0.1", 0, **options)
    return Served(server.start(), rt, server)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """``serve(planner, caller=None, **options)`` → a started ``Served``; stopped after."""
    started: list[Served] = []

    def make(planner: list[str], caller: list[str] | None = None, **options: Any) -> Served:
        started.append(start(tmp_path, planner, caller, **options))
        return started[-1]

    yield make
    for served in started:
        served.server.stop()
        served.runtime.close()


def sse_data(response: httpx.Response) -> Iterator[str]:
    """Each ``data:`` payload of an SSE response, as it arrives."""
    for line in response.iter_lines():
        if line.startswith("data:"):
            yield line[5:].strip()


def sse_events(response: httpx.Response) -> Iterator[dict[str, Any]]:
    for data in sse_data(response):
        yield json.loads(data)
