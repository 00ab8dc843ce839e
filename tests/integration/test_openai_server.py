"""The whole pipeline through a REAL OpenAI-compatible server: llama_cpp.server (from
llama-cpp-python[server]) serving the embedded model on 127.0.0.1, with an API key.

Streaming, usage and the constrained path (GBNF plan grammar, JSON-schema tool calls) all go
over HTTP exactly as they would to a shared inference server.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
import requests

from app.agents.rewoo import call_schema, complete_steps, parse_call
from app.errors import ModelError
from app.events import AnswerDelta, PlanDelta, PlanReady, RunFinished, ToolCall
from app.llm.base import Grammar, JsonSchema
from app.llm.openai import OpenAIModel
from app.llm.openai_session import API_KEY_ENV, API_KEY_HOST_ENV
from app.plan import parse_plan, plan_grammar
from app.tools.builtin import builtin_tools
from tests.helpers import run_events, runtime
from tests.loopback import free_port

pytestmark = pytest.mark.integration

KEY = "sk-local-test"


@pytest.fixture(scope="module")
def server_url(embedded_path, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(embedded_path),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
        "--n_threads", "2", "--api_key", KEY,
    ]  # fmt: skip
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                headers = {"Authorization": f"Bearer {KEY}"}
                if requests.get(f"{url}/models", headers=headers, timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not come up: {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(API_KEY_ENV, KEY)
    monkeypatch.setenv(API_KEY_HOST_ENV, "127.0.0.1")  # the key belongs to the local server


def test_the_server_is_recognised_as_llama_cpp_and_constrains(server_url):
    model = OpenAIModel(server_url)
    assert model.dialect == "llama.cpp"  # found by the grammar field of its /openapi.json
    assert model.supports_grammar and model.supports_json_schema


@pytest.mark.timeout(900)  # a loaded 2-core machine serves this tiny model at a few tokens/s
def test_the_full_rewoo_pipeline_runs_over_http(server_url):
    spec = f"openai:{server_url}"
    # one step, and the caller model (JSON-schema constrained) instead of the fast path
    rt = runtime(**{"distributor.fast_path": False, "planner.max_steps": 1})
    try:
        events = run_events(rt, spec, "What time is it in Tokyo?")
        loaded = [m.id for m in rt.pool.loaded()]
    finally:
        rt.close()
    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.status == "ok", finished.error
    plan = next(e for e in events if isinstance(e, PlanReady))
    assert plan.steps and {s.tool for s in plan.steps} <= set(builtin_tools().names)
    assert sum(isinstance(e, PlanDelta) for e in events) > 3  # the plan streamed
    assert sum(isinstance(e, AnswerDelta) for e in events) > 3  # the answer streamed
    calls = [e for e in events if isinstance(e, ToolCall)]
    assert calls and all(isinstance(c.arguments, dict) for c in calls)
    for role in ("planner", "caller", "solver"):
        assert finished.usage[role]["completion_tokens"] > 0, role
        assert finished.usage[role]["prompt_tokens"] > 0, role
    assert loaded == [spec]  # planner, caller and solver share one connection to the server


def test_plans_constrained_by_the_grammar_always_parse(server_url):
    model = OpenAIModel(server_url)
    tools = builtin_tools()
    grammar = Grammar(plan_grammar(tools.names, max_steps=1, max_line=100))
    messages = [
        {"role": "system", "content": "Write a plan with tools get_current_time and llm."},
        {"role": "user", "content": "Compare the time in Paris and Lima."},
    ]
    text = model.generate(messages, constraint=grammar, max_tokens=80, temperature=1.5).text
    plan = parse_plan(complete_steps(text), tools.names, max_steps=1)  # sampled hot, yet valid
    assert len(plan.steps) == 1


def test_a_json_schema_constraint_gives_a_valid_call(server_url):
    tool = builtin_tools().get("get_current_time")
    generation = OpenAIModel(server_url).generate(
        [{"role": "user", "content": "Call get_current_time for Tokyo as JSON."}],
        constraint=JsonSchema(call_schema(tool)),
        max_tokens=80,
    )
    arguments = parse_call(generation.text, tool)
    assert set(arguments) <= {"tz"}
    assert generation.usage.completion_tokens > 3


def test_streaming_delivers_pieces_before_the_reply_is_done(server_url):
    generation = OpenAIModel(server_url).generate(
        [{"role": "user", "content": "Count from one to twenty in words."}], max_tokens=40
    )
    arrivals = []
    started = time.perf_counter()
    for _piece in generation:
        arrivals.append(time.perf_counter() - started)
    assert len(arrivals) > 10
    assert arrivals[0] < 0.8 * arrivals[-1]  # the first piece came well before the last
    assert generation.usage.completion_tokens == len(arrivals)


def test_cancel_stops_a_real_stream(server_url):
    cancel = threading.Event()
    generation = OpenAIModel(server_url).generate(
        [{"role": "user", "content": "Write a long story about the sea."}],
        max_tokens=400,
        cancel=cancel,
    )
    pieces = 0
    for _ in generation:
        pieces += 1
        if pieces == 5:
            cancel.set()
    assert pieces == 5


def test_without_the_key_the_real_server_refuses_with_a_clear_line(server_url, monkeypatch):
    monkeypatch.delenv(API_KEY_ENV)
    with pytest.raises(ModelError, match=r"refused access \(HTTP 401 Unauthorized\)"):
        OpenAIModel(server_url)
