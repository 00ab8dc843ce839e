"""The AutoGPT agent on replayed scripts: JSON replies, finish, limits, the reply schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from app.agents.autogpt import FINISH, bounded, commands, parse_reply, reply_schema
from app.errors import PlanError
from app.events import Answer, Evidence, Thought, ToolCall
from app.tools.builtin import builtin_tools
from tests.helpers import cli, replay_script, run_events, runtime, types
from tests.replay_recorder import recording_agent

THOUGHTS = {
    "text": "I should look at a clock.",
    "reasoning": "The goal asks for the time.",
    "plan": "get the time, then finish",
    "criticism": "none",
}


def reply(name: str, arguments: dict, thoughts: dict | None = None) -> str:
    return json.dumps(
        {
            "thoughts": THOUGHTS if thoughts is None else thoughts,
            "command": {"name": name, "arguments": arguments},
        }
    )


CLOCK = reply("get_current_time", {"tz": "Asia/Tokyo"})
DONE = reply(FINISH, {"answer": "It is evening in Tokyo."})


def autogpt_events(rt, spec, task="What time is it in Tokyo?", **kw):
    return run_events(rt, spec, task, mode="autogpt", **kw)


def test_full_run_emits_the_shared_events_in_order(tmp_path):
    rt = runtime()
    events = autogpt_events(rt, replay_script(tmp_path, [CLOCK, DONE]))
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
    assert events[0].agent == "autogpt"
    thought = next(e for e in events if isinstance(e, Thought)).text
    assert thought.splitlines() == [
        "I should look at a clock.",
        "Reasoning: The goal asks for the time.",
        "Plan: get the time, then finish",
        "Criticism: none",
    ]
    call = next(e for e in events if isinstance(e, ToolCall))
    assert (call.id, call.tool, call.arguments) == ("E1", "get_current_time", {"tz": "Asia/Tokyo"})
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "ok" and "Asia/Tokyo" in evidence.text
    answer = next(e for e in events if isinstance(e, Answer))
    deltas = "".join(e.text for e in events if e.type == "answer_delta")
    assert answer.text == deltas == "It is evening in Tokyo."
    assert events[-1].status == "ok" and events[-1].usage["planner"]["prompt_tokens"] > 0
    assert rt.store.get(events[0].run_id).answer == answer.text


def test_the_result_goes_back_to_the_model_with_the_history(tmp_path):
    rt = runtime()
    agent, model = recording_agent(rt, "autogpt", tmp_path, [CLOCK, DONE])
    events = list(rt.run(agent, "What time is it in Tokyo?"))
    assert events[-1].status == "ok"
    first, second = model.seen
    assert second[: len(first)] == first
    assert json.loads(second[-2]["content"]) == json.loads(CLOCK)
    result = second[-1]["content"]
    assert result.startswith("Command get_current_time returned (ok): ") and "Asia/Tokyo" in result
    system = first[0]["content"]
    assert "- get_current_time: " in system and "- finish: " in system
    assert '"thoughts"' in system and "{commands}" not in system
    assert "Goal: What time is it in Tokyo?" in first[1]["content"]


def test_a_reply_wrapped_in_prose_or_a_code_fence_still_counts(tmp_path):
    rt = runtime()
    fenced = f"Sure! Here is my reply:\n```json\n{DONE}\n```"
    events = autogpt_events(rt, replay_script(tmp_path, [fenced]))
    assert events[-1].status == "ok" and events[-2].text == "It is evening in Tokyo."


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("I would look at a clock.", "holds no JSON object"),
        ('{"thoughts": {"text": "x"}, "command": {"name": "finish", ', "not valid JSON"),
        ('{"thoughts": {}, "command": {"name": "x",}}', "not valid JSON"),
        ('["finish"]', "holds no JSON object"),
        ('{"thoughts": {"text": "x"}}', 'has no "command" object'),
        (reply("teleport", {}), "unknown command 'teleport'"),
        (reply("get_current_time", "Tokyo"), 'the "arguments" of get_current_time'),
        (reply(FINISH, {"answer": "  "}), 'finish needs a non-empty "answer"'),
        ("{\x00\xff}" * 50_000, "not valid JSON"),
    ],
)
def test_malformed_replies_are_fed_back_then_fail_the_run(tmp_path, bad, reason):
    rt = runtime()
    agent, model = recording_agent(rt, "autogpt", tmp_path, [bad, bad, bad, DONE])
    events = list(rt.run(agent, "task"))
    finished = events[-1]
    assert finished.status == "failed"
    assert finished.error.startswith("the model did not write a usable AutoGPT reply: ")
    assert reason in finished.error and len(finished.error) < 300
    assert model.calls == 3
    feedback = model.seen[1][-1]["content"]
    assert feedback.startswith("That reply cannot be used: ") and reason in feedback
    assert rt.store.get(events[0].run_id).status == "failed"


def test_a_retry_with_the_error_fed_back_can_recover(tmp_path):
    rt = runtime()
    events = autogpt_events(rt, replay_script(tmp_path, ["nonsense", CLOCK, "{", DONE]))
    assert events[-1].status == "ok"
    assert len([e for e in events if isinstance(e, Evidence)]) == 1


def test_step_limit_exhaustion_fails_with_the_reason(tmp_path):
    rt = runtime(**{"autogpt.max_steps": 2})
    agent, model = recording_agent(rt, "autogpt", tmp_path, [CLOCK, CLOCK, CLOCK, DONE])
    events = list(rt.run(agent, "task"))
    assert events[-1].status == "failed"
    assert events[-1].error == (
        "AutoGPT reached its step limit (autogpt.max_steps = 2) without finishing"
    )
    assert [e.id for e in events if isinstance(e, Evidence)] == ["E1", "E2"]
    assert "You have given all 2 commands allowed" in model.seen[2][-1]["content"]
    assert "You have given all" not in model.seen[1][-1]["content"]


def test_token_budget_ends_a_run_that_does_not_finish(tmp_path):
    rt = runtime(**{"autogpt.max_tokens": 1000, "autogpt.max_steps": 50})
    agent, model = recording_agent(rt, "autogpt", tmp_path, [CLOCK] * 50)
    events = list(rt.run(agent, "task"))
    finished = events[-1]
    assert finished.status == "failed"
    assert "AutoGPT spent its token budget (" in finished.error
    assert finished.error.endswith("of 1,000 tokens) without finishing")
    used = sum(u["prompt_tokens"] + u["completion_tokens"] for u in finished.usage.values())
    assert used >= 1000
    assert 1 <= model.calls < 50  # it stopped asking once the budget was gone


def test_bad_arguments_are_error_evidence_and_the_run_goes_on(tmp_path):
    rt = runtime()
    bad = reply("get_current_time", {"tz": 5})
    events = autogpt_events(rt, replay_script(tmp_path, [bad, DONE]))
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status == "error" and "invalid arguments for get_current_time" in evidence.text
    assert events[-1].status == "failed"  # the run went on, but its only command gave nothing


def test_write_commands_pass_the_approval_gate(tmp_path):
    rt = runtime()
    save = reply("save_file", {"path": "x.md", "content": "hi"})
    events = autogpt_events(rt, replay_script(tmp_path, [save, DONE]))
    assert "approval_requested" in types(events)
    assert next(e for e in events if isinstance(e, Evidence)).status == "denied"
    assert not (rt.settings.workspace / "x.md").exists()


# -- the reply schema ---------------------------------------------------------------------


def test_reply_schema_admits_real_replies_and_rejects_others():
    tools = commands(builtin_tools())
    schema = reply_schema(tools, finish_only=False)
    jsonschema.validate(json.loads(CLOCK), schema)
    jsonschema.validate(json.loads(DONE), schema)
    for wrong in (
        reply("teleport", {}),
        reply("get_current_time", {"timezone": "UTC"}),
        reply("sql_query", {"sql": "x" * 401}),
        reply(FINISH, {"answer": "x"}, thoughts={"text": "only text"}),
        reply(FINISH, {"answer": "x"}, thoughts={**THOUGHTS, "text": "y" * 201}),
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(json.loads(wrong), schema)
    last = reply_schema(tools, finish_only=True)
    jsonschema.validate(json.loads(DONE), last)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(CLOCK), last)


def test_reply_schema_compiles_to_a_llama_cpp_grammar():
    from llama_cpp.llama_grammar import LlamaGrammar, json_schema_to_gbnf

    for finish_only in (False, True):
        schema = reply_schema(commands(builtin_tools()), finish_only=finish_only)
        grammar = json_schema_to_gbnf(json.dumps(schema))
        LlamaGrammar.from_string(grammar, verbose=False)
        assert ('"\\"get_current_time\\""' in grammar) is not finish_only


def test_bounded_limits_free_strings_only():
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string"},
            "b": {"type": "string", "maxLength": 5},
            "c": {"type": "string", "enum": ["x"]},
            "d": {"type": "array", "items": {"type": "string"}},
        },
    }
    out = bounded(schema, 9)
    props = out["properties"]
    assert props["a"]["maxLength"] == 9 and props["b"]["maxLength"] == 5
    assert "maxLength" not in props["c"] and props["d"]["items"]["maxLength"] == 9
    assert "maxLength" not in schema["properties"]["a"]  # the tool's own schema is untouched


def test_parse_reply_keeps_known_string_thoughts_only():
    parsed = parse_reply(
        reply(FINISH, {"answer": "a"}, thoughts={"text": "t", "plan": 3, "mood": "x"}), [FINISH]
    )
    assert parsed.thoughts == {"text": "t"} and parsed.thought() == "t"
    with pytest.raises(PlanError, match="unknown command 'llm'"):
        parse_reply(reply("llm", {"prompt": "x"}), [FINISH])


# -- command line ---------------------------------------------------------------------------


def test_cli_runs_autogpt_and_prints_the_answer(tmp_path):
    spec = replay_script(tmp_path, [CLOCK, DONE])
    out = cli("run", "--agent", "autogpt", "--planner", spec, "time in Tokyo?")
    assert out.returncode == 0, out.stderr
    assert 'get_current_time {"tz": "Asia/Tokyo"}' in out.stdout
    assert "It is evening in Tokyo." in out.stdout


@pytest.mark.parametrize(
    ("script", "settings", "reason"),
    [
        (["nonsense"] * 3, {}, "the model did not write a usable AutoGPT reply"),
        ([CLOCK] * 2, {"autogpt.max_steps": 1}, "AutoGPT reached its step limit"),
    ],
)
def test_cli_failed_autogpt_run_exits_1_with_the_reason(
    tmp_path, smart_agent_home, script, settings, reason
):
    if settings:
        config = smart_agent_home / "config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "settings.json").write_text(json.dumps(settings))
    out = cli("run", "--agent", "autogpt", "--planner", replay_script(tmp_path, script), "t?")
    assert out.returncode == 1
    assert f"smart-agent: run failed: {reason}" in out.stderr
    assert "Traceback" not in out.stderr
