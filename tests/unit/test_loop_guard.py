"""A looping reply is stopped and its repeats dropped; ordinary repetition is left alone."""

from __future__ import annotations

from app.agents.repetition import LoopGuard
from app.events import Answer, AnswerDelta, RunFinished
from tests.helpers import replay_script, run_events, runtime


def feed_all(text: str, size: int = 7) -> LoopGuard:
    guard = LoopGuard()
    for i in range(0, len(text), size):
        if guard.feed(text[i : i + size]):
            break
    return guard


PARAGRAPH = "Tokyo is a large city in Japan with many districts."


def test_a_paragraph_written_three_times_is_a_loop_and_is_kept_once():
    text = "Intro line.\n\n" + (PARAGRAPH + "\n\n") * 8
    guard = feed_all(text)
    assert guard.feed("") is True
    assert guard.kept() == "Intro line.\n\n" + PARAGRAPH
    assert len(guard.text) < len(text) // 2  # stopped early, not at the end


def test_a_multi_line_block_repeating_is_a_loop():
    block = "The answer is: evening.\nSource: the clock.\n"
    guard = feed_all("Result\n" + block * 5)
    assert guard.feed("")
    assert guard.kept() == "Result\n" + block.strip()


def test_short_or_non_consecutive_repeats_are_not_loops():
    table = "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |\n"
    code = "x = 1\nx = 1\nx = 1\nx = 1\n"  # short lines: below the size that counts
    prose = f"{PARAGRAPH}\nSomething else entirely here.\n{PARAGRAPH}\nMore.\n{PARAGRAPH}\n"
    for text in (table, code, prose, PARAGRAPH * 3):
        guard = feed_all(text)
        assert not guard.feed(""), text
        assert guard.kept() == text.strip()


def test_the_rewoo_solver_stops_a_looping_answer(tmp_path):
    rt = runtime()
    looping = "It is evening in Tokyo.\n\n" + (PARAGRAPH + "\n\n") * 30
    plan = "Plan: Get the time in Tokyo.\n#E1 = get_current_time[Asia/Tokyo]\n"
    events = run_events(rt, replay_script(tmp_path, [plan, looping]))
    answer = next(e for e in events if isinstance(e, Answer))
    assert answer.text == "It is evening in Tokyo.\n\n" + PARAGRAPH
    streamed = "".join(e.text for e in events if isinstance(e, AnswerDelta))
    assert streamed.count(PARAGRAPH) == 3  # stopped at the third copy
    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.status == "ok"
    assert rt.store.get(finished.run_id).answer == answer.text
