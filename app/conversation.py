"""Earlier turns of a conversation, as a follow-up run's planner sees them.

A run may continue an earlier one (its *parent*); the runs linked that way form a
conversation, named by the id of its first run. A follow-up's planner gets the earlier
turns compactly — each task, its answer, and the evidence that answer used — so that
"that", "his" or "the second one" resolve.

Earlier results are offered as named items the plan can use like its own ``#E`` evidence:
``#P1`` is the latest answer, then that turn's evidence, then the turn before's answer and
so on (``#P`` for *previous*). A step that names one gets its text as it would an earlier
step's evidence, without running that tool again. Only items that fit ``budget``
characters are offered: the newest turns first, each text trimmed to a share of it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.events import Answer, Event, Evidence, PlanReady, RunStarted, ToolCall
from app.plan import PRIOR, Plan, prior_used
from app.text import one_line, truncate

ITEM_CHARS = 600  # at most this much of one earlier text, whatever the budget
# a task that points back with a pronoun: "save that to …", "translate it into …", "send this"
POINTING_BACK = re.compile(
    r"\b(that|it|this)\b(?=\s*(?:to|into|in|as|on|for|and|with|[,.!?;:]|$))", re.I
)
# an argument that only points back: "that", "it", "the answer"
ANAPHOR = re.compile(
    r"(that|this|it|those|them|the (previous |last |earlier )?(answer|result|reply))", re.I
)


@dataclass(frozen=True)
class Item:
    """One earlier result a follow-up may use: ``P1`` = its text, from ``source``."""

    name: str  # "P1"
    text: str
    source: str  # "answer" or the step that produced it: "wikipedia_search[Oppenheimer]"
    run_id: str


@dataclass(frozen=True)
class Turn:
    """One earlier run as a follow-up sees it."""

    run_id: str
    task: str
    answer: str
    evidence: tuple[tuple[str, str], ...] = ()  # (the call, its text), the run's good results

    @classmethod
    def from_events(cls, events: Sequence[Event]) -> Turn:
        """The turn a stored run makes: its task, answer and the evidence that succeeded."""
        run_id = task = answer = ""
        calls: dict[str, str] = {}
        evidence: list[tuple[str, str]] = []
        for event in events:
            run_id = run_id or event.run_id
            if isinstance(event, RunStarted):
                task = event.task
            elif isinstance(event, PlanReady):
                for step in event.steps:
                    calls[step.id] = f"{step.tool}[{step.input}]"
            elif isinstance(event, ToolCall):
                calls.setdefault(event.id, f"{event.tool}{_short(event.arguments)}")
            elif isinstance(event, Evidence) and event.status == "ok":
                evidence.append((calls.get(event.id, event.id), event.text))
            elif isinstance(event, Answer):
                answer = event.text
        return cls(run_id, task, answer, tuple(evidence))


@dataclass(frozen=True)
class Conversation:
    """The turns a follow-up continues, oldest first; ``id`` names the conversation."""

    id: str
    turns: tuple[Turn, ...]

    @property
    def parent(self) -> str:
        """The run this follow-up continues: the latest turn."""
        return self.turns[-1].run_id

    def items(self, budget: int) -> list[Item]:
        """The earlier results offered as ``#P<n>``, newest first.

        Each is shown trimmed to a share of ``budget`` characters, and only as many as fit
        it are offered; an item keeps its whole text, which is what a step gets.
        """
        items: list[Item] = []
        left = budget
        share = _share(budget)
        for turn in reversed(self.turns):
            texts = [("answer", turn.answer)] if turn.answer.strip() else []
            texts += list(reversed(turn.evidence))  # the last step is nearest the answer
            for source, text in texts:
                shown = len(truncate(text.strip(), share))
                if not shown or shown > left:
                    return items
                left -= shown
                items.append(Item(f"P{len(items) + 1}", text.strip(), source, turn.run_id))
        return items

    def context(self, budget: int) -> str:
        """The earlier turns as the planner reads them, before the new task.

        Each turn: its task, then its items (``#P<n> = …``), the answer first. A turn
        whose items did not fit the budget is left out, the oldest first.
        """
        items = self.items(budget)
        by_run: dict[str, list[Item]] = {}
        for item in items:
            by_run.setdefault(item.run_id, []).append(item)
        blocks = []
        for turn in self.turns:
            offered = by_run.get(turn.run_id)
            if not offered:
                continue
            lines = [f"Earlier task: {turn.task.strip()}"]
            for item in offered:
                label = "answer" if item.source == "answer" else f"from {item.source}"
                shown = truncate(one_line(item.text), _share(budget))
                lines.append(f"#{item.name} ({label}) = {shown}")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    def values(self, budget: int) -> dict[str, str]:
        """``{"P1": text, …}``: what a step's ``#P<n>`` stands for."""
        return {item.name: item.text for item in self.items(budget)}

    def pronoun_redirect(self, task: str, budget: int) -> dict[str, str]:
        """Which names a pronoun in ``task`` overrides, and with what (``{"P2": "P1"}``).

        "Save that to answer.txt": *that* is the latest answer, the thing the person read,
        not a tool result behind it that they may never have seen. A small planner often
        names such a result instead (a time tool's raw line for "It is 01:47 in Tokyo").
        So when the task points back with a pronoun, the latest turn's other results map
        to its answer; ``redirect`` applies the map where nothing else was named.
        """
        if not POINTING_BACK.search(task):
            return {}
        latest = [item for item in self.items(budget) if item.run_id == self.parent]
        answer = next((item.name for item in latest if item.source == "answer"), None)
        if answer is None:
            return {}
        return {item.name: answer for item in latest if item.source != "answer"}


def redirect(text: str, names: Mapping[str, str]) -> str:
    """``text`` with earlier results renamed by ``names`` — only when every one it names is
    in ``names`` (a text that also names an answer or an older result is kept as it is)."""
    used = [f"P{ref}" for ref in PRIOR.findall(text)]
    if not names or not used or not all(name in names for name in used):
        return text
    return PRIOR.sub(lambda m: f"#{names[f'P{m.group(1)}']}", text)


def redirect_plan(plan: Plan, names: Mapping[str, str], prior: Collection[str]) -> Plan:
    """The plan with ``redirect`` applied to each step's input (see ``pronoun_redirect``)."""
    steps = []
    for step in plan.steps:
        text = redirect(step.input, names)
        if text != step.input:
            step = replace(step, input=text, prior=prior_used(text, prior, f"#{step.id}"))
        steps.append(step)
    return Plan(tuple(steps))


def names_kept(arguments: Mapping[str, Any]) -> bool:
    """Whether a call's string arguments still name an earlier result: ``#P<k>``, or a
    bare pointer back ("that") that ``bind`` reads as the latest answer."""
    return any(isinstance(v, str) and (PRIOR.search(v) or _pointer(v)) for v in arguments.values())


def _pointer(value: str) -> bool:
    return ANAPHOR.fullmatch(value.strip().strip(".!?\"'").strip()) is not None


def bind(
    arguments: Mapping[str, Any],
    values: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A call's arguments with the earlier results they name put in (text tools only).

    ``#P<k>`` in a string argument becomes that result's text. And the deterministic half
    of following up: a string argument that is nothing but a pointer back ("that", "it",
    "the answer") becomes the latest answer, ``#P1`` — a small model asked to "save that"
    often writes the word instead of the name. ``names``: a pronoun's ``redirect``,
    applied first. Code tools never get text spliced in.
    """
    if not values:
        return dict(arguments)
    bound: dict[str, Any] = {}
    for key, value in arguments.items():
        if isinstance(value, str):
            if _pointer(value) and "P1" in values:
                value = "#P1"
            value = redirect(value, names or {})
            value = PRIOR.sub(lambda m: values.get(f"P{m.group(1)}", m.group(0)), value)
        bound[key] = value
    return bound


def _share(budget: int) -> int:
    """How much of one earlier text the planner reads."""
    return max(80, min(ITEM_CHARS, budget // 3))


def _short(arguments: Mapping[str, object]) -> str:
    inner = ", ".join(f"{k}={one_line(v)[:40]}" for k, v in arguments.items())
    return f"[{inner}]"
