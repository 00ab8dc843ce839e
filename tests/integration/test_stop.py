"""Stop acts at once at every phase of a run, on the real embedded model.

Issue 15: Stop pressed between the last tool and the answer once took about 10 s: the
solver's prompt was being read (llama.cpp evaluates a prompt in 512-token batches with no
pause). The model now reads prompts in short batches and checks the cancel flag between
them. Each case below starts a real run, waits for one phase, stops, and checks that the
phase went no further: no piece written after the one in hand (but a held-back tail), a
tool left inside, a prompt read only in part. How long Stop takes is measured by the
benchmark (tests/bench/pipeline.py, stop_ms), not bounded here: a loaded machine stretches
any bound.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from app.events import (
    Answer,
    AnswerDelta,
    Event,
    Evidence,
    PlanDelta,
    RunFinished,
    RunStarted,
    StepStarted,
)
from app.llm.base import Usage
from app.tools.registry import tool
from tests.helpers import replay_script, runtime

pytestmark = pytest.mark.integration

# a long solver prompt: the evidence of the one step, several thousand tokens to read
LONG_EVIDENCE = " ".join(f"Line {i}: the archive lists item {i} as catalogued." for i in range(300))
RELEASE = threading.Event()  # lets held_lookup return; set when its test is done
RETURNED = threading.Event()


@tool
def lookup(what: str) -> str:
    """Look something up.

    Args:
        what: what to look up
    """
    return LONG_EVIDENCE if what == "the whole archive" else "Item 7 is catalogued."


@tool
def held_lookup(what: str) -> str:
    """Look something up, until the test lets it finish.

    Args:
        what: what to look up
    """
    RELEASE.wait(120)
    RETURNED.set()
    return "Item 7 is catalogued."


def _stop_at(
    phase: Callable[[Event], bool], *, planner: str, solver: str = "default"
) -> list[Event]:
    """Run, set the cancel flag when ``phase`` says so; the events that came after it."""
    rt = runtime(**{"llama.n_ctx": 8192})
    rt.tools.add(lookup)
    rt.tools.add(held_lookup)
    agent = rt.agent(planner=planner, caller=planner, solver=solver)
    cancel = threading.Event()
    after: list[Event] = []
    for event in rt.run(agent, "Look up the archive and summarise it.", cancel=cancel):
        if cancel.is_set():
            after.append(event)
        elif phase(event):
            cancel.set()
    rt.close()
    assert cancel.is_set(), "the phase never came"
    finished = after[-1]
    assert isinstance(finished, RunFinished) and finished.status == "cancelled"
    return after


def _pieces(events: list[Event], kind: type[Event]) -> int:
    return sum(isinstance(e, kind) for e in events)


@pytest.fixture
def replay_plan(tmp_path):
    return replay_script(tmp_path, ["Plan: Look it up.\n#E1 = lookup[item 7]\n"])


@pytest.fixture
def long_replay_plan(tmp_path):
    plan = "Plan: Read it all.\n#E1 = lookup[the whole archive]\n"
    return replay_script(tmp_path, [plan], "long.json")


def test_stop_while_the_planner_reads_its_prompt():
    after = _stop_at(lambda e: isinstance(e, RunStarted), planner="default")
    assert _pieces(after, PlanDelta) == 0 and _pieces(after, StepStarted) == 0


def test_stop_while_the_planner_writes():
    after = _stop_at(lambda e: isinstance(e, PlanDelta), planner="default")
    assert _pieces(after, PlanDelta) <= 1  # at most the tail held back for a stop string
    assert _pieces(after, StepStarted) == 0


def test_stop_while_a_tool_runs(tmp_path):
    plan = replay_script(tmp_path, ["Plan: Look it up.\n#E1 = held_lookup[item 7]\n"])
    RELEASE.clear()
    RETURNED.clear()
    try:
        after = _stop_at(lambda e: isinstance(e, StepStarted), planner=plan)
        assert not RETURNED.is_set()  # the run ended with the tool still inside
    finally:
        RELEASE.set()
    assert _pieces(after, AnswerDelta) == 0


def test_stop_between_the_last_tool_and_the_answer(long_replay_plan):
    # the solver is about to read a prompt of several thousand tokens; that reading itself
    # stopping between batches is test_reading_a_long_prompt_stops_between_batches
    after = _stop_at(lambda e: isinstance(e, Evidence), planner=long_replay_plan)
    assert _pieces(after, AnswerDelta) == 0 and _pieces(after, Answer) == 0


def test_stop_while_the_answer_streams(replay_plan):
    after = _stop_at(lambda e: isinstance(e, AnswerDelta), planner=replay_plan)
    assert _pieces(after, AnswerDelta) <= 1  # at most the tail held back for a stop string


def test_reading_a_long_prompt_stops_between_batches(embedded_path):
    from app.llm.llama_cpp import LlamaCppModel

    model = LlamaCppModel(embedded_path, n_ctx=8192, n_threads=1)
    messages = [
        {"role": "system", "content": "You summarise archives."},
        {"role": "user", "content": LONG_EVIDENCE},
    ]
    prompt, _ = model.chat.tokenize_messages(messages)
    cancel = threading.Event()
    pieces: list[str] = []
    usage = Usage()

    def generate() -> None:
        pieces.extend(model._stream(messages, None, 64, 0.0, (), cancel, usage))

    worker = threading.Thread(target=generate)
    worker.start()
    while not model._llm.n_tokens and worker.is_alive():  # until the first batch is read
        cancel.wait(0.005)
    cancel.set()
    worker.join(120)
    assert not worker.is_alive()
    assert pieces == [] and usage.completion_tokens == 0
    # part of the prompt was read, then it stopped: reading it all takes seconds here
    assert 0 < model._llm.n_tokens < len(prompt) - 1
    # the model is fine afterwards
    short = [{"role": "user", "content": "Say hello."}]
    assert "".join(model._stream(short, None, 8, 0.0, (), None, Usage()))
    model.close()
