"""One tool call as one step, for the agents that act a step at a time (ReAct, AutoGPT).

ReWOO runs many steps at once on a pool; the loop agents run one, then read its result
before deciding the next. The call still runs on its own thread so that its events
(tool call, approval asked and answered) reach the front end while it runs, and Stop is
honoured within a poll interval even while a tool or an approval dialog holds it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator
from typing import Any

from app.errors import ToolError
from app.events import Event, Evidence, StepStarted, ToolCall
from app.tools.registry import Tool

from .base import RunCancelled, RunState
from .worker import ToolRunner

POLL_SECONDS = 0.1


def act(
    runner: ToolRunner,
    state: RunState,
    step_id: str,
    tool: str,
    arguments: dict[str, Any] | ToolError,
    plan_line: str,
    evidence_used: dict[str, str],
) -> Generator[Event, None, Evidence]:
    """Run ``tool`` as step ``step_id``; yield its events live; return its evidence.

    ``arguments`` may be the ToolError that building them raised: the step is then
    recorded as failed with that reason, as ReWOO records a bad function call.
    ``evidence_used``: the results the model had read when it chose this call (the
    approval prompt shows them; code tools get them as data).
    """
    yield state.event(StepStarted, id=step_id)
    if isinstance(arguments, ToolError):
        yield state.event(ToolCall, id=step_id, tool=tool, arguments={})
        failed = state.event(
            Evidence, id=step_id, status="error", text=f"error: {arguments}", seconds=0.0
        )
        assert isinstance(failed, Evidence)
        yield failed
        return failed
    events: queue.SimpleQueue[Event | BaseException] = queue.SimpleQueue()

    def work() -> None:
        try:
            evidence = runner.run(
                step_id,
                tool,
                arguments,
                events.put,
                plan_line=plan_line,
                evidence_used=evidence_used,
            )
            events.put(evidence)
        except BaseException as exc:  # surfaced on the run's own thread
            events.put(exc)

    threading.Thread(target=work, name=f"run-{state.run_id}-{step_id}", daemon=True).start()
    while True:
        try:
            item = events.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if state.cancel.is_set():
                yield state.event(
                    Evidence, id=step_id, status="skipped", text="skipped: cancelled", seconds=0.0
                )
                raise RunCancelled from None
            continue
        if isinstance(item, BaseException):
            raise item
        yield item
        if isinstance(item, Evidence):
            return item


def known(tool: Tool, prior: dict[str, str], read: dict[str, str]) -> dict[str, str]:
    """What the model had read when it chose a call: the results so far, and a follow-up's
    earlier results for a text tool (a code tool's data are its own steps' results only)."""
    return {**(prior if tool.evidence_as == "text" else {}), **read}


def trim(text: str, budget: int) -> str:
    """Evidence as the model re-reads it: at most ``budget`` characters, noting the cut."""
    if len(text) <= budget:
        return text
    return text[:budget] + f" … [trimmed: {len(text) - budget:,} more characters]"


def spent(state: RunState) -> int:
    """Tokens (prompt + completion) the run has used so far, all roles together."""
    usage = list(state.usage.values())  # one step under the GIL: tool threads may add roles
    return sum(u.prompt_tokens + u.completion_tokens for u in usage)
