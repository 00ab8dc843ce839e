"""History store: round trip, search, delete, SIGKILL mid-run, interrupted runs."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

from app.events import Answer, Event, RunFinished, RunStarted, StepStarted
from app.store import Store


def _run(store: Store, run_id: str, task: str, answer: str) -> list[Event]:
    events = [
        RunStarted(run_id=run_id, t=0.0, task=task, agent="rewoo", models={"planner": "m"}),
        StepStarted(run_id=run_id, t=0.1, id="E1"),
        Answer(run_id=run_id, t=0.2, text=answer),
        RunFinished(run_id=run_id, t=0.3, status="ok", usage={}, seconds=0.3),
    ]
    list(store.record(events))
    return events


def test_round_trip_search_and_delete(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    events = _run(store, "r1", "time in Tokyo", "evening")
    _run(store, "r2", "capital of France", "Paris")
    assert [e.to_dict() for e in store.events("r1")] == [e.to_dict() for e in events]
    assert [r.id for r in store.runs(search="paris")] == ["r2"]
    assert store.get("r1").answer == "evening" and store.get("r1").status == "ok"
    assert store.delete("r1") and store.get("r1") is None and store.events("r1") == []
    assert not store.delete("r1")


def test_unknown_event_types_survive_a_round_trip(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    _run(store, "r1", "t", "a")
    store.append(Event.from_dict({"type": "future_thing", "run_id": "r1", "t": 0.5, "x": 1}))
    assert store.events("r1")[-1].to_dict()["x"] == 1


def test_sigkill_mid_run_loses_nothing_and_next_open_marks_it_interrupted(tmp_path):
    db = tmp_path / "h.sqlite3"
    child = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {os.getcwd()!r})
        from app.store import Store
        from app.events import RunStarted, StepStarted
        store = Store({str(db)!r})
        store.append(RunStarted(run_id="k1", t=0.0, task="doomed", agent="rewoo", models={{}}))
        for i in range(1000000):
            store.append(StepStarted(run_id="k1", t=float(i), id=f"E{{i}}"))
            if i == 50:
                print("ready", flush=True)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"  # killed mid-stream, 51 events in
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    store = Store(db)
    assert store.interrupted == ["k1"]
    events = store.events("k1")
    ids = [e.id for e in events if isinstance(e, StepStarted)]
    assert len(ids) > 50 and ids == [f"E{i}" for i in range(len(ids))]  # no gaps
    assert isinstance(events[-1], RunFinished) and "interrupted" in events[-1].error
    assert store.get("k1").status == "interrupted"
    assert Store(db).interrupted == []  # marked once


def test_a_run_of_a_live_process_is_not_marked_interrupted(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    store.append(RunStarted(run_id="live", t=0.0, task="t", agent="rewoo", models={}))
    assert Store(tmp_path / "h.sqlite3").interrupted == []
