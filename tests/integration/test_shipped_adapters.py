"""The shipped LoRA adapters on the real embedded model: the planner picks the right tool
for one task per built-in tool, the caller writes an exact call, the solver carries the
evidence's fact; with the adapters off, the same model is the base again."""

from __future__ import annotations

import pytest

from app.agents.base import RunState
from app.agents.rewoo import ReWOOAgent
from app.events import Answer, Evidence, RunFinished
from app.learn.teach import drain_plan
from app.llm import shipped_adapter
from app.plan import PlanStep
from tests.helpers import replay_script, runtime

pytestmark = pytest.mark.integration

TASKS = [
    ("What time is it in Tokyo?", "get_current_time", "Tokyo"),
    ("Save the text 'hello world' to hello.txt", "save_file", "hello.txt"),
    ("Search Bilibili for cat videos", "bilibili_search", "cat"),
    ("Who was Marie Curie?", "wikipedia_search", "Marie Curie"),
    ("Search the web for the latest news about electric cars", "web_search", "electric cars"),
    ("How many films are in the sample database?", "sql_query", "films"),
    ("Calculate 2 to the power of 20.", "python", "20"),
    ("Write a haiku about the sea.", "llm", "haiku"),
]


@pytest.fixture(scope="module")
def planner_agent():
    for role in ("planner", "caller", "solver"):
        assert shipped_adapter(role) is not None, (
            f"models/adapters/smollm2-135m-{role}.gguf is missing: run `make train`"
        )
    rt = runtime()
    agent = rt.agent(mode="rewoo", approve="deny")
    assert isinstance(agent, ReWOOAgent)
    assert agent.roles.planner.adapter and not agent.planner_examples()
    yield agent
    rt.close()


@pytest.mark.parametrize(("task", "tool", "word"), TASKS, ids=[t[1] for t in TASKS])
def test_the_shipped_planner_picks_the_tool(planner_agent, task, tool, word):
    plan, _state = drain_plan(planner_agent, task)
    assert not isinstance(plan, Exception), plan
    assert plan.steps[0].tool == tool, plan
    assert word.lower() in plan.steps[0].input.lower(), plan


def test_the_shipped_caller_writes_a_valid_save_call(planner_agent):
    step = PlanStep(id="E1", plan="Save the text to hello.txt.", tool="save_file",
                    input="hello.txt: hello world")
    arguments = planner_agent.distribute(step, step.input, RunState())
    # valid against save_file's schema (distribute validates), the path taken from the step
    assert arguments["path"] == "hello.txt"
    assert isinstance(arguments["content"], str) and arguments["content"]


def test_the_shipped_solver_answers_with_the_evidence(tmp_path):
    rt = runtime()
    plan = "Plan: Count the films.\n#E1 = sql_query[SELECT COUNT(*) AS films FROM films]\n"
    agent = rt.agent(planner=replay_script(tmp_path, [plan]), solver="default", approve="allow")
    events = list(rt.run(agent, "How many films are in the sample database?"))
    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.status == "ok"
    evidence = next(e for e in events if isinstance(e, Evidence))
    # the first data row, below the header and the rule (the last line is "(1 row)": the
    # first solver answered with that line, and this test, reading the last line, agreed)
    count = evidence.text.splitlines()[2].strip("| ")
    assert count.isdigit(), evidence.text
    answer = next(e for e in events if isinstance(e, Answer)).text
    assert count in answer
    # a short answer, not the base model's run to the token limit
    assert finished.usage["solver"]["completion_tokens"] < 60
    rt.close()


def test_adapters_off_is_the_base_model():
    rt = runtime(**{"models.shipped_adapters": False})
    agent = rt.agent(mode="rewoo", approve="deny")
    assert agent.roles.planner.adapter is None and agent.roles.caller.adapter is None
    assert agent.planner_examples()  # the base gets its few-shot examples
    rt.close()
