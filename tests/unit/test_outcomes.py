"""Honest outcomes (issue 15): a run whose steps failed or were denied does not end ``ok``,
and the solver is told which evidence is missing instead of reading it as a result.

Every mode on the replay model, with real tools that fail deterministically (an unknown
time zone, a denied write), the real store and the real command line.
"""

from __future__ import annotations

import json
import re

import pytest

from app.agents.outcome import Outcome
from app.events import Answer, Evidence, RunFinished, ToolCall
from app.learn.history import ExportTally, export_examples
from tests.helpers import cli, replay_script, run_events, runtime
from tests.replay_recorder import recording_agent

BAD_ZONE = "Plan: Get the time on Mars.\n#E1 = get_current_time[Mars/Olympus_Mons]\n"
TWO_ZONES = (
    "Plan: Get the time on Mars.\n#E1 = get_current_time[Mars/Olympus_Mons]\n"
    "Plan: Get the time in Tokyo.\n#E2 = get_current_time[Asia/Tokyo]\n"
)
GOOD_ZONE = "Plan: Get the time in Tokyo.\n#E1 = get_current_time[Asia/Tokyo]\n"
REACT_BAD = "Thought: t\nAction: get_current_time\nAction Input: Mars/Olympus_Mons\n"
REACT_GOOD = "Thought: t\nAction: get_current_time\nAction Input: Asia/Tokyo\n"
REACT_FINAL = "Thought: done\nFinal Answer: It is evening in Tokyo."


def command(name: str, arguments: dict) -> str:
    thoughts = {"text": "t", "reasoning": "r", "plan": "p", "criticism": "c"}
    return json.dumps({"thoughts": thoughts, "command": {"name": name, "arguments": arguments}})


def finished(events) -> RunFinished:
    last = events[-1]
    assert isinstance(last, RunFinished)
    return last


# -- ReWOO: status and what the solver reads --------------------------------------------


def test_a_run_whose_only_step_failed_ends_failed_and_the_solver_is_told(tmp_path):
    rt = runtime()
    agent, model = recording_agent(rt, "rewoo", tmp_path, [BAD_ZONE, "I could not find it."])
    events = list(rt.run(agent, "What time is it on Mars?"))
    end = finished(events)
    assert end.status == "failed"
    assert end.error.startswith("no step succeeded: E1 get_current_time: error: unknown time")
    assert rt.store.get(events[0].run_id).status == "failed"
    ask = model.seen[-1][-1]["content"]
    assert "Evidence: no result — the get_current_time call failed: unknown time zone" in ask
    assert "Evidence: error:" not in ask  # not shown as if it were a result
    assert ask.endswith(
        "Now answer the task.\nSome evidence is missing (#E1). Answer from the evidence there "
        "is, and say plainly what could not be found; never make it up.\n"
    )


def test_some_steps_failed_is_partial_and_only_their_evidence_is_marked(tmp_path):
    rt = runtime()
    agent, model = recording_agent(rt, "rewoo", tmp_path, [TWO_ZONES, "Tokyo: evening."])
    events = list(rt.run(agent, "Time on Mars and in Tokyo?"))
    end = finished(events)
    assert end.status == "partial"
    assert end.error.startswith("1 of 2 steps did not succeed: E1 get_current_time: error:")
    ask = model.seen[-1][-1]["content"]
    tokyo = next(e for e in events if isinstance(e, Evidence) and e.id == "E2")
    assert f"#E2 = get_current_time[Asia/Tokyo]\nEvidence: {tokyo.text}" in ask
    assert ask.count("no result —") == 1
    assert "Some evidence is missing (#E1)." in ask


def test_a_denied_write_is_missing_evidence_and_the_skipped_step_after_it_too(tmp_path):
    rt = runtime()  # save_file asks; nobody answers here, so it is denied
    plan = (
        "Plan: Save it.\n#E1 = save_file[notes.md with hello]\n"
        "Plan: Say it.\n#E2 = llm[what did #E1 say]\n"
    )
    call = '{"function": "save_file", "arguments": {"path": "notes.md", "content": "hello"}}'
    agent, model = recording_agent(rt, "rewoo", tmp_path, [plan, call, "Not saved."])
    events = list(rt.run(agent, "Save hello to notes.md"))
    statuses = {e.id: e.status for e in events if isinstance(e, Evidence)}
    assert statuses == {"E1": "denied", "E2": "skipped"}
    assert finished(events).status == "failed"
    ask = model.seen[-1][-1]["content"]
    assert "Evidence: no result — the save_file call was not allowed:" in ask
    assert "Evidence: no result — the llm call was not made: it needs #E1" in ask
    assert "Some evidence is missing (#E1, #E2)." in ask


def test_an_all_ok_run_has_no_missing_evidence_note(tmp_path):
    rt = runtime()
    agent, model = recording_agent(rt, "rewoo", tmp_path, [GOOD_ZONE, "Evening."])
    events = list(rt.run(agent, "Time in Tokyo?"))
    assert finished(events).status == "ok" and finished(events).error is None
    ask = model.seen[-1][-1]["content"]
    assert ask.endswith("Now answer the task.\n") and "no result" not in ask


def test_no_answer_is_a_failed_run(tmp_path):
    rt = runtime()
    events = run_events(rt, replay_script(tmp_path, [GOOD_ZONE, "   "]))
    end = finished(events)
    assert end.status == "failed" and end.error == "no answer was written"


def test_an_ok_result_that_starts_with_error_is_still_a_result(tmp_path):
    """The status decides, not the words: a page may well begin with "error:"."""
    rt = runtime()
    plan = "Plan: Ask.\n#E1 = llm[say error]\n"
    agent, model = recording_agent(rt, "rewoo", tmp_path, [plan, "error: none at all", "Fine."])
    events = list(rt.run(agent, "Ask the model to say error"))
    assert finished(events).status == "ok"
    ask = model.seen[-1][-1]["content"]
    assert ask.endswith("Evidence: error: none at all\n\nNow answer the task.\n")


def test_training_data_marks_failed_evidence_as_inference_does():
    """Synthetic failed scenarios (no statuses, only the worker's prefixes) read the same."""
    from app.learn.dataset import solver_examples

    failed = [e for e in solver_examples(60, seed=5) if e.meta["family"].endswith(":failed")]
    assert failed
    for example in failed:
        ask = example.messages[-1]["content"]
        assert "no result — the " in ask and "\nSome evidence is missing (#E" in ask
        assert "Evidence: error:" not in ask and "Evidence: denied:" not in ask


# -- ReAct and AutoGPT -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "status"),
    [
        ([REACT_FINAL], "ok"),  # no step at all: nothing failed
        ([REACT_GOOD, REACT_FINAL], "ok"),
        ([REACT_BAD, REACT_GOOD, REACT_FINAL], "partial"),
        ([REACT_BAD, REACT_FINAL], "failed"),
    ],
)
def test_react_outcomes(tmp_path, script, status):
    events = run_events(runtime(), replay_script(tmp_path, script), mode="react")
    assert finished(events).status == status


@pytest.mark.parametrize(
    ("script", "status"),
    [
        ([command("get_current_time", {"tz": "Asia/Tokyo"})], "ok"),
        (
            [
                command("get_current_time", {"tz": "Mars/Olympus_Mons"}),
                command("get_current_time", {"tz": "Asia/Tokyo"}),
            ],
            "partial",
        ),
        ([command("get_current_time", {"tz": "Mars/Olympus_Mons"})], "failed"),
    ],
)
def test_autogpt_outcomes(tmp_path, script, status):
    done = command("finish", {"answer": "It is evening in Tokyo."})
    events = run_events(runtime(), replay_script(tmp_path, [*script, done]), mode="autogpt")
    assert finished(events).status == status


def test_a_stopped_run_is_cancelled_whatever_its_steps_did(tmp_path):
    outcome = Outcome()
    outcome.see(Evidence(run_id="r", t=0.0, id="E1", status="error", text="error: x", seconds=0))
    assert outcome.verdict()[0] == "failed"  # before Stop is considered: see Agent.run
    import threading

    cancel = threading.Event()
    cancel.set()
    events = run_events(runtime(), replay_script(tmp_path, [BAD_ZONE, "?"]), cancel=cancel)
    assert finished(events).status == "cancelled"


def test_the_reason_names_the_tool_and_counts_the_rest():
    outcome = Outcome()
    outcome.see(ToolCall(run_id="r", t=0.0, id="E1", tool="web_search", arguments={}))
    for step in ("E1", "E2", "E3"):
        text = "error: the search provider\n could not be reached " + "x" * 300
        outcome.see(Evidence(run_id="r", t=0.0, id=step, status="error", text=text, seconds=0))
    outcome.see(Answer(run_id="r", t=0.0, text="I could not search."))
    status, reason = outcome.verdict()
    assert status == "failed"
    assert reason.startswith("no step succeeded: E1 web_search: error: the search provider could")
    assert reason.endswith("… (and 2 more)") and len(reason) < 250


# -- where the status goes: store, command line, training export ------------------------------


def test_partial_and_failed_runs_on_the_command_line(tmp_path):
    partial = replay_script(tmp_path, [TWO_ZONES, "Tokyo: evening."], "partial.json")
    out = cli("run", "Mars and Tokyo?", "--planner", partial, "--events", str(tmp_path / "p.jsonl"))
    assert out.returncode == 3, out.stderr  # an answer, from part of the evidence
    assert out.stderr.startswith("smart-agent: partial result: 1 of 2 steps did not succeed")
    assert json.loads((tmp_path / "p.jsonl").read_text().splitlines()[-1])["status"] == "partial"
    failed = replay_script(tmp_path, [BAD_ZONE, "No idea."], "failed.json")
    out = cli("run", "Mars?", "--planner", failed)
    assert out.returncode == 1
    assert out.stderr.startswith("smart-agent: run failed: no step succeeded: E1 get_current")
    assert "[failed in " in out.stdout
    listing = cli("history").stdout.splitlines()
    assert ["failed", "partial"] == [line.split()[3] for line in listing]


def test_partial_runs_are_not_training_data(tmp_path):
    rt = runtime()
    run_events(rt, replay_script(tmp_path, [TWO_ZONES, "Tokyo: evening."], "p.json"))
    run_events(rt, replay_script(tmp_path, [GOOD_ZONE, "Evening."], "ok.json"))
    tally = ExportTally("solver")
    examples = list(export_examples(rt.store, rt, "solver", tally=tally))
    assert len(examples) == 1 and "no result" not in examples[0].messages[-1]["content"]
    assert dict(tally.left_out) == {"did not finish ok": 1}


# -- prompt examples ------------------------------------------------------------------------


def test_no_shipped_prompt_holds_a_time_or_date_a_model_could_copy():
    """The embedded model answered Tokyo's time with the ReAct example's "14:03 on Friday,
    2 May 2025"; examples hold placeholders like "<the time the tool gave>" instead."""
    from app.prompts import SHIPPED

    months = "January|February|March|April|May|June|July|August|September|October|November"
    fact = re.compile(rf"\d{{1,2}}:\d{{2}}|\b(19|20)\d{{2}}\b|\b\d{{1,2}} ({months}|December)\b")
    for path in sorted(SHIPPED.glob("*.txt")):
        assert not fact.search(path.read_text(encoding="utf-8")), path.name
    example = (SHIPPED / "react_example.txt").read_text(encoding="utf-8")
    assert "Final Answer: It is <the time the tool gave> in Paris." in example
