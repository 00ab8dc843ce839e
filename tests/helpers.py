"""Small builders shared by the tests (replay scripts, runtimes, event type lists)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.events import Event, RunFinished
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


def time_runs(
    rt: Runtime, tmp_path: Path, cities: list[str] | tuple[str, ...], *, rate: bool = True
) -> list[str]:
    """One finished ReWOO run per city ("Time in CITY?"), rated good unless ``rate`` is off;
    their ids. Training data for the planner and the solver."""
    ids = []
    for city in cities:
        plan = f"Plan: Get the time in {city}.\n#E1 = get_current_time[{city}]\n"
        spec = replay_script(tmp_path, [plan, f"It is evening in {city}."], f"{city}.json")
        events = run_events(rt, spec, f"Time in {city}?")
        assert isinstance(events[-1], RunFinished) and events[-1].status == "ok"
        if rate:
            rt.store.rate(events[0].run_id, 1)
        ids.append(events[0].run_id)
    return ids


def tiny_adapter(path: Path, rank: int = 4) -> Path:
    """A GGUF LoRA adapter file of ``rank`` (zeros on one v_proj; skips without ``gguf``)."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("gguf")
    from app.learn.gguf_adapter import write_adapter

    key = "base_model.model.model.layers.0.self_attn.v_proj.lora_{}.weight"
    state = {
        key.format("A"): np.zeros((rank, 64), np.float32),
        key.format("B"): np.zeros((64, rank), np.float32),
    }
    return write_adapter(path, state, alpha=2.0 * rank, n_head=4, n_head_kv=4)


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
