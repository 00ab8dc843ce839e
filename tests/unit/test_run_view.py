"""One run view (``app.run_view``) and the renderers drawn from it: the terminal printer,
the Markdown and the JSON export. Parallel steps finish in any order; each result stays
with its own step. (The Qt model over the same view: ``tests/gui/test_plan_tree_model.py``.)

Also the typed plan payload: ``PlanReady.steps`` are ``PlanStep``s whose JSON is what the
stream wrote when they were dicts.
"""

from __future__ import annotations

import io
import json

from app.cli import TreePrinter
from app.events import (
    Answer,
    Event,
    Evidence,
    PlanReady,
    RunFinished,
    RunStarted,
    StepStarted,
    Thought,
    ToolCall,
)
from app.export import run_to_json, run_to_markdown
from app.plan import PlanStep, parse_plan
from app.run_view import RunTree
from app.store import RunRecord

RUN = "r1"
PLAN = (
    PlanStep("E1", "Find who directed Jaws.", "wikipedia", "Jaws film"),
    PlanStep("E2", "Get the time in Tokyo.", "get_current_time", "Asia/Tokyo"),
)


def interleaved(status: str = "ok") -> list[Event]:
    """Two steps run in parallel; step 2's call and evidence come before step 1's evidence."""
    return [
        RunStarted(
            run_id=RUN, t=0.0, task="Who directed Jaws? Time in Tokyo?", agent="rewoo", models={}
        ),
        PlanReady(run_id=RUN, t=0.5, steps=PLAN),
        StepStarted(run_id=RUN, t=0.6, id="E1"),
        StepStarted(run_id=RUN, t=0.6, id="E2"),
        ToolCall(run_id=RUN, t=0.7, id="E1", tool="wikipedia", arguments={"query": "Jaws"}),
        ToolCall(
            run_id=RUN,
            t=0.8,
            id="E2",
            tool="get_current_time",
            arguments={"timezone": "Asia/Tokyo"},
        ),
        Evidence(run_id=RUN, t=0.9, id="E2", status="ok", text="TOKYO-TIME 21:05", seconds=0.1),
        Evidence(
            run_id=RUN, t=2.7, id="E1", status="error", text="JAWS-PAGE unreachable", seconds=2.0
        ),
        Answer(run_id=RUN, t=3.0, text="It is 21:05 in Tokyo; Jaws: unknown."),
        RunFinished(
            run_id=RUN,
            t=3.1,
            status=status,
            error=None,
            usage={"planner": {"prompt_tokens": 10, "completion_tokens": 5}},
            seconds=3.1,
        ),
    ]


def record(status: str = "ok") -> RunRecord:
    return RunRecord(
        RUN,
        "Who directed Jaws? Time in Tokyo?",
        "rewoo",
        {},
        status,
        None,
        None,
        1_700_000_000.0,
        1_700_000_003.1,
    )


def test_the_view_keeps_each_result_under_its_own_step_in_any_order():
    view = RunTree.of(interleaved())
    steps = view.root.children
    assert [s.key for s in steps] == ["E1", "E2"]
    for step, text, status in ((steps[0], "JAWS-PAGE", "error"), (steps[1], "TOKYO", "ok")):
        [call] = step.of_kind("call")
        [evidence] = call.of_kind("evidence")
        assert call.key == evidence.key == step.key
        assert evidence.text.startswith(text) and evidence.status == status == step.status
    assert steps[0].planned == PLAN[0] and steps[1].tool == "get_current_time"
    assert view.plan == PLAN and view.seconds == 3.1


def test_the_run_status_is_carried_as_it_came():
    for status in ("partial", "failed", "ok", "cancelled"):
        view = RunTree.of(interleaved(status))
        assert view.status == status and view.to_dict()["status"] == status


def test_the_terminal_printer_prints_each_result_with_its_own_call():
    out = io.StringIO()
    printer = TreePrinter(out)
    for event in interleaved("partial"):
        printer.show(event)
    lines = out.getvalue().splitlines()
    tokyo = next(i for i, line in enumerate(lines) if line.startswith("✓ E2  get_current_time"))
    jaws = next(i for i, line in enumerate(lines) if line.startswith("✗ E1  wikipedia"))
    assert tokyo < jaws  # as they finished
    assert "TOKYO-TIME" in lines[tokyo + 1] and "JAWS" not in lines[tokyo + 1]
    assert "JAWS-PAGE" in lines[jaws + 1] and "error, 2.00 s" in lines[jaws + 1]
    assert lines[-1] == "[partial in 3.1 s, 15 tokens]"
    assert (
        "├─ E1: Find who directed Jaws." in lines and "      get_current_time[Asia/Tokyo]" in lines
    )


def test_the_markdown_export_puts_each_result_under_its_own_step():
    md = run_to_markdown(record(), interleaved())
    e1, e2 = md.index("### #E1 `wikipedia`"), md.index("### #E2 `get_current_time`")
    assert e1 < md.index("JAWS-PAGE") < e2 < md.index("TOKYO-TIME")
    assert '"query": "Jaws"' in md[e1:e2] and "**error** (2.00 s)" in md[e1:e2]
    assert "1. Find who directed Jaws. — `wikipedia`" in md


def test_the_json_export_nests_each_result_under_its_own_step_and_keeps_the_events():
    events = interleaved("partial")
    document = json.loads(run_to_json(record("partial"), events))
    assert document["events"] == [json.loads(e.to_json()) for e in events]
    view = document["view"]
    assert view["status"] == "partial"
    for step, text in zip(view["steps"], ("JAWS-PAGE", "TOKYO-TIME"), strict=True):
        [call] = step["children"]
        [evidence] = call["children"]
        assert call["id"] == step["id"] and evidence["text"].startswith(text)
    assert view["steps"][0]["plan"] == "Find who directed Jaws."


def test_a_step_refused_before_its_call_and_thoughts_are_exported_in_place():
    events = [
        RunStarted(run_id=RUN, t=0.0, task="t", agent="react", models={}),
        Thought(run_id=RUN, t=0.1, text="THINKING first"),
        StepStarted(run_id=RUN, t=0.2, id="E1"),
        Evidence(run_id=RUN, t=0.3, id="E1", status="denied", text="NOT ALLOWED", seconds=0.0),
    ]
    md = run_to_markdown(record(), events)
    assert md.index("> THINKING first") < md.index("### #E1") < md.index("NOT ALLOWED")


def test_plan_steps_round_trip_through_json():
    plan = parse_plan(
        "Plan: a\n#E1 = wikipedia[Jaws]\nPlan: b\n#E2 = llm[Who made #E1? See #P1]\n",
        ["wikipedia", "llm"],
        prior=["P1"],
    )
    for step in plan.steps:
        assert PlanStep.from_dict(json.loads(json.dumps(step.to_dict()))) == step
    event = PlanReady(run_id=RUN, t=1.5, steps=plan.steps)
    back = Event.from_json(event.to_json())
    assert back == event and isinstance(back, PlanReady)
    assert all(isinstance(step, PlanStep) for step in back.steps)
    assert back.steps[1].deps == ("E1",) and back.steps[1].prior == ("P1",)


def test_the_plan_event_json_is_what_the_stream_wrote_before_steps_were_typed():
    event = PlanReady(run_id=RUN, t=1.5, steps=PLAN[:1])
    assert event.to_json() == (
        '{"type": "plan", "run_id": "r1", "t": 1.5, "steps": [{"id": "E1", '
        '"plan": "Find who directed Jaws.", "tool": "wikipedia", "input": "Jaws film", '
        '"deps": []}]}'
    )
