"""The tree's Time column: events carry run time ``t``; a running node's age is on one clock.

``app.run_view`` is plain Python (no Qt), so it is checked here with the core's tests.
"""

from __future__ import annotations

import time

import pytest

from app.events import Evidence, RunFinished, RunStarted, StepStarted, ToolCall
from app.run_view import RunTree

RUN = "r1"


def started_run(*events) -> tuple[RunTree, float, float]:
    """A tree fed ``events`` after run_started; the wall-clock bounds of their arrival."""
    tree = RunTree()
    before = time.time()
    tree.apply(RunStarted(run_id=RUN, t=0.0, task="t", agent="rewoo", models={}))
    for event in events:
        tree.apply(event)
    return tree, before, time.time()


def test_a_running_step_ages_from_when_it_started_not_from_1970():
    tree, before, after = started_run(StepStarted(run_id=RUN, t=3.0, id="E1"))
    step = tree.walk()[0]
    elapsed = step.elapsed(after + 10.0)
    # the step started 3 s into a run that began between `before` and `after`
    assert elapsed is not None
    assert 7.0 <= elapsed <= 7.0 + (after - before) + 1e-6


def test_a_waiting_call_shows_seconds_not_decades():
    tree, _, _ = started_run(
        StepStarted(run_id=RUN, t=0.5, id="E1"),
        ToolCall(run_id=RUN, t=0.6, id="E1", tool="save_file", arguments={}),
    )
    assert [n.kind for n in tree.running()] == ["step", "call"]
    for node in tree.running():
        elapsed = node.elapsed(time.time())
        assert elapsed is not None and elapsed < 60, (node.kind, elapsed)


def test_finished_nodes_keep_the_run_time_they_took():
    tree, _, _ = started_run(
        StepStarted(run_id=RUN, t=1.0, id="E1"),
        ToolCall(run_id=RUN, t=1.5, id="E1", tool="clock", arguments={}),
        Evidence(run_id=RUN, t=4.0, id="E1", status="ok", text="12:00", seconds=2.0),
    )
    step, call = tree.walk()[0], tree.walk()[1]
    assert step.elapsed(time.time() + 1000) == pytest.approx(3.0)
    assert call.elapsed(time.time() + 1000) == pytest.approx(2.5)


def test_a_stopped_run_closes_running_nodes_at_its_end():
    tree, _, _ = started_run(
        StepStarted(run_id=RUN, t=2.0, id="E1"),
        RunFinished(run_id=RUN, t=5.0, status="cancelled", error=None, usage={}, seconds=5.0),
    )
    step = tree.walk()[0]
    assert step.status == "cancelled" and step.seconds == pytest.approx(3.0)
