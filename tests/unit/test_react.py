"""The ReAct agent on replayed scripts: events, feedback of bad turns, limits, the gate."""

from __future__ import annotations

import json
import threading

import pytest

from app.agents.react import (
    Turn,
    action_arguments,
    example_messages,
    parse_turn,
    tool_line,
    turn_grammar,
)
from app.errors import ToolError
from app.events import Answer, Evidence, RunFinished, Thought, ToolCall
from app.prompts import Prompts
from app.tools.builtin import builtin_tools
from app.tools.registry import tool, tool_from_function
from tests.helpers import cli, replay_script, run_events, runtime, types
from tests.replay_recorder import recording_agent

ACT = "Thought: I need the time in Tokyo.\nAction: get_current_time\nAction Input: Asia/Tokyo\n"
FINAL = "Thought: The tool told me.\nFinal Answer: It is evening in Tokyo."


def react_events(rt, spec, task="What time is it in Tokyo?", **kw):
    return run_events(rt, spec, task, mode="react", **kw)


def test_full_run_emits_the_shared_events_in_order(tmp_path):
    rt = runtime()
    events = react_events(rt, replay_script(tmp_path, [ACT, FINAL]))
    assert types(events) == [
        "run_started",
        "thought",
        "step_started",
        "tool_call",
        "evidence",
        "thought",
        "answer",
        "run_finished",
    ]
    assert events[0].agent == "react"
    thoughts = [e.text for e in events if isinstance(e, Thought)]
    assert thoughts == ["I need the time in Tokyo.", "The tool told me."]
    call = next(e for e in events if isinstance(e, ToolCall))
    assert (call.id, call.tool, call.arguments) == ("E1", "get_current_time", {"tz": "Asia/Tokyo"})
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "ok" and "Asia/Tokyo" in evidence.text
    deltas = "".join(e.text for e in events if e.type == "answer_delta")
    answer = next(e for e in events if isinstance(e, Answer))
    assert deltas == answer.text == "It is evening in Tokyo."
    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.status == "ok"
    assert set(finished.usage) == {"planner"} and finished.usage["planner"]["prompt_tokens"] > 0
    assert [e.t for e in events] == sorted(e.t for e in events)
    stored = rt.store.get(events[0].run_id)
    assert stored.status == "ok" and stored.agent == "react" and stored.answer == answer.text


def test_each_turn_resends_the_transcript_with_the_observation(tmp_path):
    rt = runtime()
    agent, model = recording_agent(rt, "react", tmp_path, [ACT, FINAL])
    events = list(rt.run(agent, "What time is it in Tokyo?"))
    assert events[-1].status == "ok"
    first, second = model.seen
    assert second[: len(first)] == first  # the whole transcript again, plus the new turn
    assert second[-2] == {"role": "assistant", "content": ACT.strip()}
    observation = second[-1]["content"]
    assert observation.startswith("Observation: ") and "Asia/Tokyo" in observation
    assert "get_current_time" in first[0]["content"] and first[-1]["content"] == (
        "What time is it in Tokyo?"
    )
    assert model.constraints == [None, None]  # replay cannot be constrained


def test_invented_observation_is_cut_and_the_real_one_used(tmp_path):
    rt = runtime()
    greedy = ACT + "Observation: 03:00 in Tokyo\nThought: done\nFinal Answer: It is 3 am."
    agent, model = recording_agent(rt, "react", tmp_path, [greedy, FINAL])
    events = list(rt.run(agent, "time?"))
    assert [e.id for e in events if isinstance(e, Evidence)] == ["E1"]
    assert events[-2].text == "It is evening in Tokyo."
    assert "03:00" not in model.seen[1][-2]["content"]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("I would simply look at a clock.", "expected 'Action: <tool>'"),
        ("Thought: x\nAction: teleport\nAction Input: Tokyo", "unknown tool 'teleport'"),
        ("Thought: x\nAction: get_current_time", "has no 'Action Input:' line"),
        ("Thought: x\nFinal Answer:   ", "the Final Answer is empty"),
        ("\x00\xff" * 50_000, "expected 'Action: <tool>'"),
    ],
)
def test_malformed_turns_are_fed_back_then_fail_the_run(tmp_path, bad, reason):
    rt = runtime()
    agent, model = recording_agent(rt, "react", tmp_path, [bad, bad, bad, FINAL])
    events = list(rt.run(agent, "task"))
    finished = events[-1]
    assert finished.status == "failed"
    assert finished.error.startswith("the model did not write a usable ReAct turn: ")
    assert reason in finished.error and len(finished.error) < 300
    assert model.calls == 3  # the first try and two retries, each with the error fed back
    feedback = model.seen[1][-1]["content"]
    assert feedback.startswith("That turn cannot be used: ") and reason in feedback
    assert rt.store.get(events[0].run_id).status == "failed"


def test_a_retry_with_the_error_fed_back_can_recover(tmp_path):
    rt = runtime()
    events = react_events(rt, replay_script(tmp_path, ["nonsense", ACT, "still wrong", FINAL]))
    assert events[-1].status == "ok"
    assert [e.type for e in events if e.type == "evidence"] == ["evidence"]


def test_step_limit_exhaustion_fails_with_the_reason(tmp_path):
    rt = runtime(**{"react.max_steps": 2})
    agent, model = recording_agent(rt, "react", tmp_path, [ACT, ACT, ACT, FINAL])
    events = list(rt.run(agent, "task"))
    finished = events[-1]
    assert finished.status == "failed"
    assert finished.error == (
        "ReAct reached its step limit (react.max_steps = 2) without a final answer"
    )
    assert [e.id for e in events if isinstance(e, Evidence)] == ["E1", "E2"]
    assert model.calls == 3
    assert "You have used all 2 actions" in model.seen[2][-1]["content"]
    assert "You have used all" not in model.seen[1][-1]["content"]


def test_final_answer_on_the_last_allowed_turn_is_fine(tmp_path):
    rt = runtime(**{"react.max_steps": 1})
    events = react_events(rt, replay_script(tmp_path, [ACT, FINAL]))
    assert events[-1].status == "ok" and events[-2].text == "It is evening in Tokyo."


def test_failing_tool_is_an_observation_not_the_end(tmp_path):
    rt = runtime()
    bad_zone = ACT.replace("Asia/Tokyo", "Mars/Olympus_Mons")
    agent, model = recording_agent(rt, "react", tmp_path, [bad_zone, FINAL])
    events = list(rt.run(agent, "time on Mars?"))
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "error" and "unknown time zone" in evidence.text
    assert events[-1].status == "failed"  # an answer, but its only step gave nothing
    assert "Observation: error: unknown time zone" in model.seen[1][-1]["content"]


def _add_tool():
    @tool
    def add(a: int, b: int) -> str:
        """Add two numbers.

        Args:
            a: first
            b: second
        """
        return str(a + b)

    return add


def test_json_action_input_fills_a_tool_with_several_arguments(tmp_path):
    rt = runtime()
    rt.tools.add(_add_tool())
    turn = 'Thought: add them\nAction: add\nAction Input: {"a": 2, "b": 3}\n'
    events = react_events(rt, replay_script(tmp_path, [turn, FINAL]))
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "ok" and evidence.text == "5"


def test_plain_action_input_for_a_json_tool_is_error_evidence(tmp_path):
    rt = runtime()
    rt.tools.add(_add_tool())
    turn = "Thought: add them\nAction: add\nAction Input: two and three\n"
    events = react_events(rt, replay_script(tmp_path, [turn, FINAL]))
    assert types(events)[1:5] == ["thought", "step_started", "tool_call", "evidence"]
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "error"
    assert "must be a JSON object of its arguments (a, b)" in evidence.text
    assert events[-1].status == "failed"


def test_write_tools_pass_the_approval_gate(tmp_path):
    rt = runtime()
    turn = 'Thought: save it\nAction: save_file\nAction Input: {"path": "x.md", "content": "hi"}\n'
    events = react_events(rt, replay_script(tmp_path, [turn, FINAL]))
    assert "approval_requested" in types(events) and "approval_resolved" in types(events)
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "denied"
    assert not (rt.settings.workspace / "x.md").exists()
    allowed = runtime()
    events = run_events(
        allowed, replay_script(tmp_path, [turn, FINAL], "b.json"), mode="react", approve="allow"
    )
    assert next(e for e in events if isinstance(e, Evidence)).status == "ok"
    assert (allowed.settings.workspace / "x.md").read_text() == "hi"


def test_cancel_ends_the_run_without_waiting_for_the_tool(tmp_path):
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
    turn = "Thought: wait\nAction: slow\nAction Input: x\n"
    cancel = threading.Event()
    agent = rt.agent(mode="react", planner=replay_script(tmp_path, [turn, FINAL]))
    seen = []
    try:
        for event in rt.run(agent, "task", cancel=cancel):
            seen.append(event)
            if event.type == "tool_call":
                cancel.set()
        assert not returned.is_set()  # the run ended with the tool still inside
    finally:
        release.set()
    assert seen[-1].status == "cancelled"
    assert seen[-2].type == "evidence" and seen[-2].status == "skipped"


# -- the turn format ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "turn",
    [
        Turn("I need the time.", tool="get_current_time", input="Asia/Tokyo"),
        Turn("Query the films.", tool="sql_query", input="SELECT title FROM films"),
        Turn("I know it.", answer="Evening, about 19:00."),
    ],
)
def test_turns_round_trip_through_their_text(turn):
    assert parse_turn(turn.text(), builtin_tools().names) == turn


def test_parse_is_lenient_about_spacing_and_case():
    turn = parse_turn("thought:  maybe\n  action: `llm`\naction input:  two\nlines\n", ["llm"])
    assert turn == Turn("maybe", tool="llm", input="two\nlines")


def test_action_arguments():
    clock = builtin_tools().get("get_current_time")
    assert action_arguments(clock, "Asia/Tokyo") == {"tz": "Asia/Tokyo"}
    assert action_arguments(clock, '{"tz": "UTC"}') == {"tz": "UTC"}
    assert action_arguments(clock, "") == {}
    add = tool_from_function(_add_tool())
    assert action_arguments(add, '{"a": 1, "b": 2}') == {"a": 1, "b": 2}
    with pytest.raises(ToolError, match="not valid JSON"):
        action_arguments(add, '{"a": 1,')
    with pytest.raises(ToolError, match=r"\(a, b\)"):
        action_arguments(add, "1 and 2")


def test_grammar_compiles_in_llama_cpp_and_lists_exactly_the_tools():
    from llama_cpp.llama_grammar import LlamaGrammar

    tools = builtin_tools()
    tools.add(_add_tool())
    for final_only in (False, True):
        text = turn_grammar(tools, final_only=final_only, max_line=120)
        LlamaGrammar.from_string(text, verbose=False)  # raises on a bad grammar
        assert ("Action: " in text) is not final_only
    text = turn_grammar(tools, final_only=False)
    for t in tools:
        value = "line" if t.fast_path_argument else "json"
        assert f'"{t.name}" "\\nAction Input: " {value}' in text


def test_tool_lines_say_what_input_each_tool_takes():
    tools = builtin_tools()
    assert "Action Input: <" in tool_line(tools.get("get_current_time"))
    line = tool_line(tools.get("save_file"))
    assert 'a JSON object {"path": string, "content": string, "overwrite" (optional)' in line


def test_the_example_is_dropped_when_its_tool_is_missing():
    text = Prompts().get("react_example").text
    with_tools = example_messages(text, builtin_tools().names)
    assert [m["role"] for m in with_tools] == ["user", "assistant", "user", "assistant"]
    assert with_tools[2]["content"].startswith("Observation: ")
    assert parse_turn(with_tools[1]["content"], ["get_current_time"]).tool == "get_current_time"
    assert parse_turn(with_tools[3]["content"], []).answer
    assert example_messages(text, ["llm"]) == []


# -- command line ---------------------------------------------------------------------------


def test_cli_runs_react_and_exits_0(tmp_path):
    spec = replay_script(tmp_path, [ACT, FINAL])
    out = cli("run", "--agent", "react", "--planner", spec, "--events", "-", "time in Tokyo?")
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert events[0]["agent"] == "react" and events[-1]["status"] == "ok"


@pytest.mark.parametrize(
    ("script", "settings", "reason"),
    [
        (["nonsense"] * 3, {}, "the model did not write a usable ReAct turn"),
        ([ACT] * 3, {"react.max_steps": 2}, "ReAct reached its step limit (react.max_steps = 2)"),
    ],
)
def test_cli_failed_react_run_exits_1_with_the_reason(
    tmp_path, smart_agent_home, script, settings, reason
):
    if settings:
        config = smart_agent_home / "config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "settings.json").write_text(json.dumps(settings))
    spec = replay_script(tmp_path, script)
    out = cli("run", "--agent", "react", "--planner", spec, "time?")
    assert out.returncode == 1
    assert f"smart-agent: run failed: {reason}" in out.stderr
    assert "Traceback" not in out.stderr
