"""The ReWOO agent on the replay model: events, retries, concurrency, failures, cancel."""

from __future__ import annotations

import threading

import pytest

from app.events import Evidence, PlanReady, RunFinished, ToolCall
from app.tools.registry import tool
from tests.helpers import replay_script, run_events, runtime, types

TIME_PLAN = "Plan: Get the time in Tokyo.\n#E1 = get_current_time[Asia/Tokyo]\n"


def test_full_run_emits_the_contract_in_order(tmp_path):
    rt = runtime()
    spec = replay_script(tmp_path, [TIME_PLAN, "It is late evening in Tokyo."])
    events = run_events(rt, spec, "What time is it in Tokyo?")
    assert types(events) == [
        "run_started",
        "plan",
        "step_started",
        "tool_call",
        "evidence",
        "answer",
        "run_finished",
    ]
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "ok" and "Asia/Tokyo" in evidence.text
    call = next(e for e in events if isinstance(e, ToolCall))
    assert call.arguments == {"tz": "Asia/Tokyo"}  # fast path: no caller call
    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.status == "ok"
    assert set(finished.usage) == {"planner", "solver"}
    assert all(e.run_id == events[0].run_id for e in events)
    assert [e.t for e in events] == sorted(e.t for e in events)
    deltas = "".join(e.text for e in events if e.type == "answer_delta")
    assert deltas.strip() == "It is late evening in Tokyo."


def test_run_is_stored_with_all_events(tmp_path):
    rt = runtime()
    events = run_events(rt, replay_script(tmp_path, [TIME_PLAN, "Evening."]))
    stored = rt.store.events(events[0].run_id)
    assert [e.to_dict() for e in stored] == [e.to_dict() for e in events]
    record = rt.store.get(events[0].run_id)
    assert record.status == "ok" and record.answer == "Evening."


@pytest.mark.parametrize(
    "bad",
    [
        "I would simply look at a clock.",
        "Plan: x\n#E1 = teleport[Tokyo]",
        "Plan: x\n#E1 = llm[unclosed",
        "Plan: x\n#E1 = llm[#E2]\nPlan: y\n#E2 = llm[z]",
        "Plan: x\n#E1 = llm[#E1]",
        "Plan: x\n#E1 = llm[a]\nPlan: y\n#E1 = llm[b]",
        "Plan: x\n#E99999999999999999999999 = llm[a]",
        "\x00\xff" * 500_000,
    ],
)
def test_malformed_planner_output_fails_the_run_after_retries(tmp_path, bad):
    rt = runtime()
    spec = replay_script(tmp_path, [bad, bad, bad])
    events = run_events(rt, spec)
    finished = events[-1]
    assert isinstance(finished, RunFinished)
    assert finished.status == "failed"
    assert finished.error.startswith("the planner did not write a usable plan")
    assert len(finished.error) < 300
    assert rt.store.get(events[0].run_id).status == "failed"
    assert rt.pool.get(spec).calls == 3  # first try + 2 retries with the error fed back


def test_a_retry_with_the_error_fed_back_can_recover(tmp_path):
    rt = runtime()
    spec = replay_script(tmp_path, ["nonsense", TIME_PLAN, "Evening."])
    events = run_events(rt, spec)
    assert events[-1].status == "ok"


def test_exhausted_replay_script_is_a_clear_model_error(tmp_path):
    rt = runtime()
    events = run_events(rt, replay_script(tmp_path, [TIME_PLAN]))
    assert events[-1].status == "failed"
    assert "no answer left for call 2" in events[-1].error


def test_failing_step_does_not_end_the_run_and_dependents_are_skipped(tmp_path):
    rt = runtime()
    plan = (
        "Plan: a\n#E1 = get_current_time[Mars/Olympus_Mons]\n"
        "Plan: b\n#E2 = llm[what about #E1]\n"
        "Plan: c\n#E3 = get_current_time[UTC]\n"
    )
    events = run_events(rt, replay_script(tmp_path, [plan, "Partly known."]))
    evidence = {e.id: e for e in events if isinstance(e, Evidence)}
    assert evidence["E1"].status == "error" and evidence["E1"].text.startswith("error: unknown")
    assert evidence["E2"].status == "skipped"
    assert evidence["E3"].status == "ok"
    assert events[-1].status == "partial"  # an answer, but two of three steps gave nothing
    assert events[-1].error.startswith("2 of 3 steps did not succeed: E1 get_current_time: error:")


def test_independent_steps_run_concurrently(tmp_path):
    """Each call waits until all four are inside the tool at once: steps run one after the
    other never get past that (the barrier breaks and their evidence is an error)."""
    rt = runtime(**{"worker.max_parallel": 4, "tools.timeout": 300.0})
    all_inside = threading.Barrier(4, timeout=120)  # a guard against a hang, not a margin

    @tool
    def meet(what: str) -> str:
        """Wait for the others.

        Args:
            what: anything
        """
        all_inside.wait()
        return f"met at {what}"

    rt.tools.add(meet)
    plan = "".join(f"Plan: p{n}\n#E{n} = meet[{n}]\n" for n in range(1, 5))
    events = run_events(rt, replay_script(tmp_path, [plan, "done"]))
    evidence = [e for e in events if isinstance(e, Evidence)]
    assert [e.status for e in evidence] == ["ok"] * 4, [e.text for e in evidence]
    assert events[-1].status == "ok"


def test_tool_timeout_becomes_error_evidence(tmp_path):
    rt = runtime(**{"tools.timeout": 0.3})
    release, returned = threading.Event(), threading.Event()

    @tool
    def stuck(what: str) -> str:
        """Returns only when the test lets it.

        Args:
            what: anything
        """
        release.wait(120)
        returned.set()
        return "late"

    rt.tools.add(stuck)
    try:
        events = run_events(rt, replay_script(tmp_path, ["Plan: a\n#E1 = stuck[x]\n", "ok"]))
        assert not returned.is_set()  # the run ended with the tool still inside
    finally:
        release.set()
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "error" and "timed out after 0.3 s" in evidence.text
    assert events[-1].type == "run_finished"


def test_caller_model_builds_arguments_when_no_fast_path(tmp_path):
    rt = runtime()

    @tool
    def add(a: int, b: int) -> str:
        """Add two numbers.

        Args:
            a: first
            b: second
        """
        return str(a + b)

    rt.tools.add(add)
    spec = replay_script(
        tmp_path,
        [
            "Plan: add\n#E1 = add[2 and 3]\n",
            '{"function": "add", "arguments": {"a": 2, "b": 3}}',
            "Five.",
        ],
    )
    events = run_events(rt, spec)
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.text == "5"
    assert "caller" in events[-1].usage


@pytest.mark.parametrize(
    ("reply", "fragment"),
    [
        ("I cannot do that", "did not write a JSON call"),
        ('{"function": "add", "arguments": {"a": "two"}}', "invalid arguments for add"),
        ('{"function": "sub", "arguments": {}}', "did not call add"),
        ('{"function": "add", "arguments": {"a": 1,}', "a name is missing or not in double"),
    ],
)
def test_bad_caller_output_is_recorded_on_the_step(tmp_path, reply, fragment):
    rt = runtime()

    @tool
    def add(a: int, b: int = 0) -> str:
        """Add.

        Args:
            a: first
            b: second
        """
        return str(a + b)

    rt.tools.add(add)
    events = run_events(rt, replay_script(tmp_path, ["Plan: x\n#E1 = add[2]\n", reply, "?"]))
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "error" and fragment in evidence.text
    assert events[-1].status == "failed"  # its only step gave nothing
    assert events[-1].error.startswith("no step succeeded: E1 add: error:")


def test_cancel_ends_the_run_without_waiting_for_the_tool_and_marks_steps(tmp_path):
    """How fast Stop is, is measured in tests/bench/pipeline.py (stop_ms); here: the run
    ends while the tool is still inside, and says so."""
    rt = runtime()
    release, returned = threading.Event(), threading.Event()

    @tool
    def slow(what: str) -> str:
        """Returns only when the test lets it.

        Args:
            what: anything
        """
        release.wait(120)
        returned.set()
        return "never"

    rt.tools.add(slow)
    cancel = threading.Event()
    agent = rt.agent(
        planner=replay_script(tmp_path, ["Plan: a\n#E1 = slow[x]\n", "no"]), caller="default"
    )
    seen = []
    try:
        for event in rt.run(agent, "task", cancel=cancel):
            seen.append(event)
            if event.type == "tool_call":
                cancel.set()
        assert not returned.is_set()
    finally:
        release.set()
    assert seen[-1].status == "cancelled"
    evidence = [e for e in seen if isinstance(e, Evidence)]
    assert evidence and evidence[-1].status == "skipped" and "cancelled" in evidence[-1].text
    assert rt.store.get(seen[0].run_id).status == "cancelled"


def test_evidence_is_trimmed_for_the_solver_with_a_note(tmp_path):
    rt = runtime(**{"solver.evidence_budget": 300})

    @tool
    def big(what: str) -> str:
        """Big.

        Args:
            what: anything
        """
        return "x" * 5000

    rt.tools.add(big)
    agent = rt.agent(planner=replay_script(tmp_path, ["Plan: a\n#E1 = big[x]\n", "ok"]))
    events = list(rt.run(agent, "task"))
    plan = next(e for e in events if isinstance(e, PlanReady))
    from app.plan import Plan

    messages = agent.messages.solver(
        "task",
        Plan(plan.steps),
        {e.id: e.text for e in events if isinstance(e, Evidence)},
    )
    assert "trimmed: 4,700 more characters" in messages[-1]["content"]
    assert "x" * 301 not in messages[-1]["content"]


def test_empty_task_fails_clearly(tmp_path):
    rt = runtime()
    events = run_events(rt, replay_script(tmp_path, []), task="   ")
    assert events[-1].status == "failed" and events[-1].error == "the task is empty"
