"""The person's own runs as training data: the product's messages and what it should reply.

Only ReWOO runs that finished ``ok`` are used, and never one the person rated bad nor a
follow-up (whose prompts hold the earlier turns of its conversation). Every
example's messages are built by ``ReWOOMessages``, the very builder the agent uses at
inference, with today's tools, settings and prompt templates; the response is what the run
produced, corrected by the person where they corrected it (arguments edited at approval).
The tuned planner is used without few-shot examples, so planner examples carry none.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.agents.rewoo_messages import ReWOOMessages
from app.errors import PlanError, ToolError
from app.events import Answer, ApprovalResolved, Event, Evidence, PlanReady, ToolCall
from app.learn.examples import ROLES, Example
from app.plan import Plan, parse_plan
from app.prompts import Prompts
from app.references import tool_input as step_input
from app.settings import Settings
from app.store import RunRecord, Store
from app.tools.registry import ToolRegistry

if TYPE_CHECKING:
    from app.runtime import Runtime

SOURCE = "history"

# why a stored run gave no example, in the order the reasons are checked
NOT_REWOO = "not ReWOO"
FOLLOW_UP = "a follow-up"  # its prompts hold earlier turns: not the trained format
NOT_OK = "did not finish ok"
RATED_BAD = "rated bad"
NOT_RATED_GOOD = "not rated good"
NOTHING_FOR_ROLE = "had nothing for this role"


@dataclass
class ExportTally:
    """What an export used and what it left out, filled in as the examples are drawn."""

    role: str
    examples: int = 0
    runs: int = 0  # runs that gave at least one example
    left_out: Counter[str] = field(default_factory=Counter)

    def summary(self, destination: str = "") -> str:
        """One line: how many examples from how many runs, and the runs left out and why."""
        line = (
            f"{_count(self.examples, f'{self.role} example')} from {_count(self.runs, 'run')}"
            f"{destination}"
        )
        if self.left_out:
            line += f"; left out {_count(sum(self.left_out.values()), 'run')} ({self._reasons()})"
        return line

    def nothing_to_export(self) -> str:
        """Why an export came out empty, in words a person can act on."""
        if not self.left_out:
            return "nothing to export: the history has no runs yet"
        line = (
            f"nothing to export for the {self.role}: of "
            f"{_count(sum(self.left_out.values()), 'stored run')}, {self._reasons()}"
        )
        if NOT_RATED_GOOD in self.left_out:
            line += "; rate the runs worth learning from with `smart-agent rate RUN_ID good`"
        return line

    def _reasons(self) -> str:
        return ", ".join(f"{count} {reason}" for reason, count in self.left_out.items())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class _StoredRun:
    """The parts of a stored ReWOO run that training examples are made of."""

    record: RunRecord
    plan: Plan
    evidence: dict[str, Evidence]
    calls: dict[str, ToolCall]
    approved: dict[str, dict[str, Any]]  # step id -> arguments allowed at approval
    answer: str

    @classmethod
    def read(cls, record: RunRecord, events: list[Event]) -> _StoredRun | None:
        plan: Plan | None = None
        evidence: dict[str, Evidence] = {}
        calls: dict[str, ToolCall] = {}
        approved: dict[str, dict[str, Any]] = {}
        answer = ""
        for event in events:
            if isinstance(event, PlanReady):
                plan = Plan(event.steps)
            elif isinstance(event, ToolCall):
                calls[event.id] = event
            elif isinstance(event, ApprovalResolved) and event.decision == "allow":
                approved[event.id] = event.arguments
            elif isinstance(event, Evidence):
                evidence[event.id] = event
            elif isinstance(event, Answer):
                answer = event.text
        if plan is None or not plan.steps:
            return None
        return cls(record, plan, evidence, calls, approved, answer)

    def evidence_texts(self) -> dict[str, str]:
        return {step_id: e.text for step_id, e in self.evidence.items()}

    def meta(self, **more: str) -> dict[str, Any]:
        return {"run_id": self.record.id, **more}


def export_examples(
    store: Store,
    source: Runtime | tuple[ToolRegistry, Settings, Prompts],
    role: str,
    *,
    approved_only: bool = False,
    tally: ExportTally | None = None,
) -> Iterator[Example]:
    """Training examples for ``role`` from the stored runs, oldest first.

    ``source`` gives the tools, settings and prompt templates the messages are built with:
    a ``Runtime``, or the three of them. ``approved_only`` keeps the runs rated good only.
    ``tally``, when given, counts what was used and what was left out.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if isinstance(source, tuple):
        messages = ReWOOMessages(*source)
    else:
        messages = ReWOOMessages(source.tools, source.settings, Prompts(source.settings.paths))
    tally = tally if tally is not None else ExportTally(role)
    build = {"planner": _planner, "caller": _caller, "solver": _solver}[role]
    for record in reversed(store.runs(limit=-1)):  # -1: no limit, for SQLite
        reason = _left_out(record, approved_only)
        run = None if reason else _StoredRun.read(record, store.events(record.id))
        examples = [] if run is None else list(build(run, messages))
        if not examples:
            tally.left_out[reason or NOTHING_FOR_ROLE] += 1
            continue
        tally.runs += 1
        tally.examples += len(examples)
        yield from examples


def _left_out(record: RunRecord, approved_only: bool) -> str | None:
    if record.agent != "rewoo":
        return NOT_REWOO
    if record.parent:
        return FOLLOW_UP
    if record.status != "ok":
        return NOT_OK
    if record.rating is not None and record.rating < 0:
        return RATED_BAD
    if approved_only and record.rating != 1:
        return NOT_RATED_GOOD
    return None


def _planner(run: _StoredRun, messages: ReWOOMessages) -> Iterator[Example]:
    response = "".join(f"Plan: {step.plan}\n{step.line()}\n" for step in run.plan.steps)
    try:
        parse_plan(response, messages.tools.names)
    except PlanError:
        return  # it uses a tool that is no longer registered: not a plan the planner may write
    yield Example(
        role="planner",
        messages=messages.planner(run.record.task, examples=False),
        response=response,
        source=SOURCE,
        meta=run.meta(),
    )


def _caller(run: _StoredRun, messages: ReWOOMessages) -> Iterator[Example]:
    texts = run.evidence_texts()
    for step in run.plan.steps:
        evidence = run.evidence.get(step.id)
        call = run.calls.get(step.id)
        if evidence is None or evidence.status != "ok" or call is None:
            continue
        if step.tool not in messages.tools:
            continue  # no longer registered
        tool = messages.tools.get(step.tool)
        if tool.fast_path_argument is not None:
            continue  # the plan input fills its one argument; the caller model never sees it
        arguments = run.approved.get(step.id, call.arguments)
        try:
            tool.validate(arguments)
        except ToolError:
            continue  # the tool's arguments have changed since the run
        used = {d: texts[d] for d in step.deps if d in texts}
        tool_input = step_input(step.input, used, tool.evidence_as)
        yield Example(
            role="caller",
            messages=messages.caller(step, tool_input),
            response=json.dumps(
                {"function": tool.name, "arguments": arguments}, ensure_ascii=False
            ),
            source=SOURCE,
            meta=run.meta(step=step.id),
        )


def _solver(run: _StoredRun, messages: ReWOOMessages) -> Iterator[Example]:
    if not run.answer.strip():
        return
    yield Example(
        role="solver",
        messages=messages.solver(run.record.task, run.plan, run.evidence_texts()),
        response=run.answer,
        source=SOURCE,
        meta=run.meta(),
    )
