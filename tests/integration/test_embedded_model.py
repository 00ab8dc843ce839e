"""The whole pipeline on the real embedded GGUF model (SmolLM2-135M, llama.cpp)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.agents.repetition import LoopGuard
from app.agents.rewoo import call_schema, complete_steps, parse_call
from app.llm.base import Grammar, JsonSchema
from app.plan import parse_plan, plan_grammar
from app.tools.builtin import builtin_tools
from app.tools.registry import tool_from_function

pytestmark = pytest.mark.integration


def _step_order_ok(events: list[dict]) -> None:
    seen: dict[str, list[str]] = {}
    for e in events:
        if e["type"] in ("step_started", "tool_call", "evidence"):
            seen.setdefault(e["id"], []).append(e["type"])
    assert seen, "no step ran"
    for step_id, kinds in seen.items():
        assert kinds == ["step_started", "tool_call", "evidence"], (step_id, kinds)


def test_cli_run_on_the_embedded_model_emits_every_event_in_order():
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "run", "--events", "-", "What time is it in Tokyo?"],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
    )
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    kinds = [e["type"] for e in events if not e["type"].endswith("_delta")]
    assert kinds[:2] == ["run_started", "plan"]
    assert kinds[-2:] == ["answer", "run_finished"]
    assert events[-1]["status"] == "ok"
    # the embedded model with the adapter shipped for each role
    assert events[0]["models"] == {
        role: f"default+lora:smollm2-135m-{role}" for role in ("planner", "caller", "solver")
    }
    _step_order_ok(events)
    plan = next(e for e in events if e["type"] == "plan")
    assert plan["steps"][0]["tool"] == "get_current_time"
    assert plan["steps"][0]["input"] == "Tokyo"
    known = {
        t["name"]
        for t in json.loads(
            subprocess.run(
                [sys.executable, "-m", "app.cli", "tools", "--json"], capture_output=True, text=True
            ).stdout
        )
    }
    assert plan["steps"] and all(s["tool"] in known for s in plan["steps"])
    evidence = [e for e in events if e["type"] == "evidence"]
    assert all(e["status"] in ("ok", "error", "skipped") for e in evidence)
    deltas = "".join(e["text"] for e in events if e["type"] == "answer_delta")
    answer = next(e for e in events if e["type"] == "answer")
    # the answer is what streamed; when the solver stopped a loop, the repeats are dropped
    assert answer["text"] and deltas.strip().startswith(answer["text"])
    assert deltas.strip() == answer["text"] or LoopGuard().feed(deltas) is True
    usage = events[-1]["usage"]
    assert usage["planner"]["completion_tokens"] > 0 and usage["solver"]["completion_tokens"] > 0
    history = subprocess.run(
        [sys.executable, "-m", "app.cli", "history", "--json"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert json.loads(history.stdout)[0]["id"] == events[0]["run_id"]


@pytest.mark.parametrize(
    "task",
    [
        "What time is it in Tokyo?",
        "Who directed Killers of the Flower Moon, and what else did they make?",
        "Compare the populations of Paris and Berlin, then tell me the time in both.",
        "写一首关于大海的诗",
    ],
)
def test_constrained_plans_always_parse_even_when_sampling_hot(embedded_model, task):
    tools = builtin_tools()
    grammar = Grammar(plan_grammar(tools.names, max_steps=4, max_line=120))
    messages = [
        {"role": "system", "content": "Write a plan with tools get_current_time and llm."},
        {"role": "user", "content": task},
    ]
    for temperature in (0.0, 1.0, 1.5):
        text = embedded_model.generate(
            messages, constraint=grammar, max_tokens=4 * 84, temperature=temperature
        ).text
        plan = parse_plan(complete_steps(text), tools.names, max_steps=4)
        assert 1 <= len(plan.steps) <= 4


def test_json_schema_constraint_gives_a_valid_call(embedded_model):
    def add(a: int, b: int) -> str:
        """Add two numbers.

        Args:
            a: The first number.
            b: The second number.
        """
        return str(a + b)

    t = tool_from_function(add)
    generation = embedded_model.generate(
        [{"role": "user", "content": "Call add with 2 and 3 as JSON."}],
        constraint=JsonSchema(call_schema(t)),
        max_tokens=120,
    )
    arguments = parse_call(generation.text, t)
    assert set(arguments) == {"a", "b"} and all(isinstance(v, int) for v in arguments.values())


def test_prefix_reuse_makes_the_second_planner_call_much_faster(embedded_model):
    preamble = "You are a planner. " + "Tools: get_current_time[tz], llm[prompt]. " * 40
    first_messages = [
        {"role": "system", "content": preamble},
        {"role": "user", "content": "What time is it in Oslo?"},
    ]
    other = [
        {"role": "system", "content": "Something else entirely."},
        {"role": "user", "content": "Hello"},
    ]
    second_messages = [first_messages[0], {"role": "user", "content": "Time in Lima?"}]
    embedded_model._prefix_states.clear()
    embedded_model._llm.reset()
    first = embedded_model.generate(first_messages, max_tokens=4)
    assert first.text is not None
    assert embedded_model.generate(other, max_tokens=4).text is not None  # KV now holds another
    second = embedded_model.generate(second_messages, max_tokens=4)
    assert second.text is not None
    assert first.usage.prompt_tokens > 300
    assert second.usage.first_token_seconds < 0.5 * first.usage.first_token_seconds


def test_streaming_yields_many_pieces_and_counts_tokens(embedded_model):
    generation = embedded_model.generate(
        [{"role": "user", "content": "Count from one to twenty in words."}], max_tokens=40
    )
    pieces = list(generation)
    assert len(pieces) > 10
    assert generation.usage.completion_tokens == 40 or generation.text.strip()
    assert generation.usage.prompt_tokens > 5 and generation.usage.seconds > 0


def test_prompt_longer_than_the_context_is_a_clear_model_error(embedded_path):
    from app.errors import ModelError
    from app.llm.llama_cpp import LlamaCppModel

    small = LlamaCppModel(embedded_path, n_ctx=512)
    try:
        with pytest.raises(ModelError, match="holds only 512"):
            _ = small.generate([{"role": "user", "content": "word " * 2000}]).text
    finally:
        small.close()


def test_a_file_that_is_not_a_model_is_a_clear_model_error(tmp_path):
    from app.errors import ModelError
    from app.llm.llama_cpp import LlamaCppModel

    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 100)
    with pytest.raises(ModelError, match="cannot load model broken.gguf"):
        LlamaCppModel(bad)


def test_a_growing_transcript_reuses_the_kv_it_already_holds(embedded_model):
    """A loop agent's next turn evaluates only what is new, and writes the same reply."""
    system = {"role": "system", "content": "You answer briefly. " * 30}
    first = [system, {"role": "user", "content": "Name a colour."}]
    embedded_model._prefix_states.clear()
    embedded_model._llm.reset()
    reply = embedded_model.generate(first, max_tokens=12).text
    second = [
        *first,
        {"role": "assistant", "content": reply},
        {"role": "user", "content": "Observation: blue is a colour. Name another."},
    ]
    tokens, prefix_len = embedded_model.chat.tokenize_messages(second)
    held = embedded_model._llm.n_tokens
    reused = embedded_model.generate(second, max_tokens=12)
    reused_text = reused.text
    assert held > 0.8 * prefix_len  # most of the new prefix was already in the KV
    # the same turn from a cold model: identical greedy output
    embedded_model._prefix_states.clear()
    embedded_model._llm.reset()
    cold = embedded_model.generate(second, max_tokens=12)
    assert cold.text == reused_text
    assert reused.usage.first_token_seconds < cold.usage.first_token_seconds
