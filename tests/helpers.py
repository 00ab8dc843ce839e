"""Small builders shared by the tests (replay scripts, runtimes, event type lists)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from app.events import Event
from app.runtime import Runtime
from app.settings import Settings


def replay_script(tmp_path: Path, answers: list[str], name: str = "script.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(answers), encoding="utf-8")
    return f"replay:{path}"


def runtime(**settings: object) -> Runtime:
    return Runtime(Settings(dict(settings)))


def run_events(
    rt: Runtime, spec: str, task: str = "a task", cancel: threading.Event | None = None, **kw
) -> list[Event]:
    agent = rt.agent(planner=spec, caller=spec, **kw)
    return list(rt.run(agent, task, cancel=cancel))


def types(events: list[Event]) -> list[str]:
    return [e.type for e in events if e.type not in ("plan_delta", "answer_delta")]


def cli(
    *args: str, input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``smart-agent ARGS`` in a new process (same interpreter, this test's environment)."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        input=input,
        env=os.environ.copy(),
        timeout=timeout,
    )
