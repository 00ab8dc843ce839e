"""How a run that ended without an error turned out: ``ok``, ``partial`` or ``failed``.

A run whose every step failed or was denied used to end ``ok`` with an answer written as
if the evidence existed (issue 15). ``Agent.run`` watches the events its mode yields and
judges at the end:

- ``ok``: every step that ran succeeded (or there were no steps) and an answer was written;
- ``partial``: an answer was written, some steps succeeded and some failed, were denied,
  or were skipped because a step they needed did not succeed;
- ``failed``: steps ran and none succeeded, or no answer was written.

``cancelled`` and a typed error (``failed`` with its message) are decided by ``Agent.run``
itself, before this is asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from app.events import Answer, Event, Evidence, ToolCall
from app.text import elide

REASON_CHARS = 160


@dataclass
class Outcome:
    """The evidence statuses and the answer of one run, fed its events in order."""

    steps: dict[str, Evidence] = field(default_factory=dict)
    tools: dict[str, str] = field(default_factory=dict)
    answer: str | None = None

    def watch(self, events: Iterator[Event]) -> Iterator[Event]:
        """``events`` passed on, each seen first; closed with this generator (Stop, a
        front end that goes away), as ``yield from`` would close it."""
        try:
            for event in events:
                self.see(event)
                yield event
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()

    def see(self, event: Event) -> None:
        if isinstance(event, Evidence):
            self.steps[event.id] = event
        elif isinstance(event, ToolCall):
            self.tools[event.id] = event.tool
        elif isinstance(event, Answer):
            self.answer = event.text

    def verdict(self) -> tuple[str, str | None]:
        """The status and, unless ``ok``, one line that says why."""
        bad = [e for e in self.steps.values() if e.status != "ok"]
        good = len(self.steps) - len(bad)
        if not (self.answer or "").strip():
            return "failed", "no answer was written" + (f" ({self._why(bad)})" if bad else "")
        if not bad:
            return "ok", None
        if not good:
            return "failed", f"no step succeeded: {self._why(bad)}"
        return "partial", f"{len(bad)} of {len(self.steps)} steps did not succeed: {self._why(bad)}"

    def _why(self, bad: list[Evidence]) -> str:
        first = bad[0]
        tool = self.tools.get(first.id)
        line = elide(first.text, REASON_CHARS)
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        return f"{first.id}{f' {tool}' if tool else ''}: {line}{more}"
