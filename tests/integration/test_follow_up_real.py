"""Two-turn conversations on the real embedded model with the shipped adapters: the second
task says "save that to answer.txt" and the saved file holds the first answer.

In the core and through ``smart-agent run --continue`` (the window's follow-up box:
tests/gui/test_real_model_follow_up.py). Saving is allowed up front; the planner reads the
first turn and names its answer (or, when it names the tool result behind it, the pronoun
rule renames that to the answer — see ``Conversation.pronoun_redirect``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.events import Answer, PlanReady, RunStarted, ToolCall
from app.runtime import Runtime
from app.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

FOLLOW_UP = "save that to answer.txt"


def test_save_that_holds_the_first_answer(embedded_path, fixed_clock):
    rt = Runtime(Settings({}))
    try:
        agent = rt.agent(approve="allow")
        first = list(rt.run(agent, "What time is it in Tokyo?"))
        answer = next(e.text for e in first if isinstance(e, Answer))
        second = list(rt.run(agent, FOLLOW_UP, continue_from=first[0].run_id))
    finally:
        rt.close()
    assert second[-1].to_dict()["status"] == "ok", second[-1]
    started = second[0]
    assert isinstance(started, RunStarted) and started.parent == first[0].run_id
    plan = next(e for e in second if isinstance(e, PlanReady))
    calls = [e for e in second if isinstance(e, ToolCall)]
    assert [c.tool for c in calls] == ["save_file"], plan.steps  # the time is not asked again
    assert plan.steps[0].prior == ("P1",)
    assert (rt.settings.workspace / "answer.txt").read_text(encoding="utf-8") == answer.strip()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=os.environ.copy(),
    )


def test_cli_continue_last(embedded_path):
    # offline and the same every time: a sandboxed Python sum (a lookup would fail here,
    # and a failed first run ends "failed" with exit status 1)
    first = _cli(
        "run", "--approve", "allow", "--events", "-", "Compute 37 multiplied by 4219 in Python."
    )
    assert first.returncode == 0, first.stderr
    events = [json.loads(line) for line in first.stdout.splitlines()]
    answer = next(e["text"] for e in events if e["type"] == "answer")
    second = _cli("run", "--continue", "last", "--approve", "allow", FOLLOW_UP)
    assert second.returncode == 0, second.stderr
    history = json.loads(_cli("history", "--json").stdout)
    assert history[0]["parent"] == events[0]["run_id"] == history[1]["id"]
    workspace = Runtime(Settings({})).settings.workspace
    assert (workspace / "answer.txt").read_text(encoding="utf-8") == answer.strip()
