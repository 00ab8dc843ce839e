"""Stop acts within half a second at every phase of a run, on the real embedded model.

Issue 15: Stop pressed between the last tool and the answer once took about 10 s: the
solver's prompt was being read (llama.cpp evaluates a prompt in 512-token batches with no
pause). The model now reads prompts in short batches and checks the cancel flag between
them. Each case below starts a real run, waits for one phase, stops, and times how long
the run takes to end.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from app.events import AnswerDelta, Event, Evidence, PlanDelta, RunFinished, RunStarted, StepStarted
from app.llm.base import Usage
from app.tools.registry import tool
from tests.helpers import replay_script, runtime

pytestmark = pytest.mark.integration

LIMIT_S = 0.5
# a long solver prompt: the evidence of the one step, several thousand tokens to read
LONG_EVIDENCE = " ".join(f"Line {i}: the archive lists item {i} as catalogued." for i in range(300))


@tool
def slow_lookup(what: str) -> str:
    """Look something up, slowly.

    Args:
        what: what to look up
    """
    time.sleep(1.0)
    return LONG_EVIDENCE if what == "the whole archive" else "Item 7 is catalogued."


def _stop_at(phase: Callable[[Event], bool], *, planner: str, solver: str = "default") -> float:
    """Run, set the cancel flag when ``phase`` says so, return seconds until run_finished."""
    rt = runtime(**{"llama.n_ctx": 8192})
    rt.tools.add(slow_lookup)
    agent = rt.agent(planner=planner, caller=planner, solver=solver)
    cancel = threading.Event()
    stopped_at: list[float] = []
    finished: list[RunFinished] = []
    for event in rt.run(agent, "Look up the archive and summarise it.", cancel=cancel):
        if not stopped_at and phase(event):
            stopped_at.append(time.perf_counter())
            cancel.set()
        if isinstance(event, RunFinished):
            finished.append(event)
    rt.close()
    assert stopped_at, "the phase never came"
    assert finished and finished[0].status == "cancelled"
    return time.perf_counter() - stopped_at[0]


@pytest.fixture
def replay_plan(tmp_path):
    return replay_script(tmp_path, ["Plan: Look it up.\n#E1 = slow_lookup[item 7]\n"])


@pytest.fixture
def long_replay_plan(tmp_path):
    plan = "Plan: Read it all.\n#E1 = slow_lookup[the whole archive]\n"
    return replay_script(tmp_path, [plan], "long.json")


def test_stop_while_the_planner_reads_its_prompt():
    assert _stop_at(lambda e: isinstance(e, RunStarted), planner="default") < LIMIT_S


def test_stop_while_the_planner_writes():
    assert _stop_at(lambda e: isinstance(e, PlanDelta), planner="default") < LIMIT_S


def test_stop_while_a_tool_runs(replay_plan):
    assert _stop_at(lambda e: isinstance(e, StepStarted), planner=replay_plan) < LIMIT_S


def test_stop_between_the_last_tool_and_the_answer(long_replay_plan):
    # the solver is reading a prompt of several thousand tokens at this moment
    assert _stop_at(lambda e: isinstance(e, Evidence), planner=long_replay_plan) < LIMIT_S


def test_stop_while_the_answer_streams(replay_plan):
    assert _stop_at(lambda e: isinstance(e, AnswerDelta), planner=replay_plan) < LIMIT_S


def test_reading_a_long_prompt_stops_between_batches(embedded_path):
    from app.llm.llama_cpp import LlamaCppModel

    model = LlamaCppModel(embedded_path, n_ctx=8192, n_threads=1)
    messages = [
        {"role": "system", "content": "You summarise archives."},
        {"role": "user", "content": LONG_EVIDENCE},
    ]
    cancel = threading.Event()
    pieces: list[str] = []
    usage = Usage()

    def generate() -> None:
        pieces.extend(model._stream(messages, None, 64, 0.0, (), cancel, usage))

    worker = threading.Thread(target=generate)
    worker.start()
    time.sleep(0.3)  # well inside the prompt: it takes seconds on one thread
    began = time.perf_counter()
    cancel.set()
    worker.join(5)
    took = time.perf_counter() - began
    assert not worker.is_alive()
    assert took < LIMIT_S
    assert pieces == [] and usage.completion_tokens == 0
    assert 0 < model._llm.n_tokens < 1000  # part of the prompt was read, then it stopped
    # the model is fine afterwards
    short = [{"role": "user", "content": "Say hello."}]
    assert "".join(model._stream(short, None, 8, 0.0, (), None, Usage()))
    model.close()
