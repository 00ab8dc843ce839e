"""One run as plain Python, built from the core's events: the one view every front end draws.

plan → step → tool call → evidence, thoughts (ReAct, AutoGPT) beside the steps, then the
answer, the run's status and timing. The Qt tree model (``ui.plan_tree_model``), the terminal
printer (``app.cli.TreePrinter``) and the Markdown/JSON export (``app.export``) all render a
``RunTree``, so they cannot disagree about where a result belongs: evidence goes under the
step (and the call) whose id it carries, in whatever order parallel steps finish.

A listener hears about every insertion and change, so a Qt model can announce them to its
views. Titles and details came from models, tools and web pages, so they go through
``app.untrusted.visible``: a bidi override cannot reorder what the person reads.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.events import (
    Answer,
    AnswerDelta,
    ApprovalRequested,
    ApprovalResolved,
    Event,
    Evidence,
    PlanDelta,
    PlanReady,
    RunFinished,
    RunStarted,
    StepStarted,
    Thought,
    ToolCall,
)
from app.plan import PlanStep
from app.text import elide
from app.untrusted import readable_arguments, visible

# statuses a node can have; "waiting" = waiting for the person's approval
PENDING, RUNNING, WAITING, OK, ERROR, DENIED, CANCELLED, SKIPPED = (
    "pending",
    "running",
    "waiting",
    "ok",
    "error",
    "denied",
    "cancelled",
    "skipped",
)
UNFINISHED = (PENDING, RUNNING, WAITING)
TITLE_LIMIT = 160


@dataclass(eq=False)
class Node:
    kind: str  # "root" | "step" | "call" | "evidence" | "thought"
    key: str  # the step id ("E1") for a step, its call and its evidence
    title: str = ""  # one elided line, for trees
    tool: str = ""
    status: str = PENDING
    detail: str = ""  # the full text shown in the detail pane
    started: float | None = None  # when it started, in seconds since the epoch
    seconds: float | None = None  # elapsed, once known
    planned: PlanStep | None = None  # a step: what the plan said it would do
    arguments: dict[str, Any] = field(default_factory=dict)  # a call: what it was called with
    text: str = ""  # evidence or a thought: the text as it came
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)

    def elapsed(self, now: float | None = None) -> float | None:
        """Seconds taken, or so far while it runs (``now``: seconds since the epoch)."""
        if self.seconds is not None:
            return self.seconds
        if self.started is not None and self.status in (RUNNING, WAITING):
            return max(0.0, (now or time.time()) - self.started)
        return None

    def of_kind(self, kind: str) -> list[Node]:
        return [child for child in self.children if child.kind == kind]

    def evidence(self) -> list[Node]:
        """A step's or a call's evidence: under its calls, or under the step itself when
        none was made (a step skipped or refused before its call)."""
        found = self.of_kind("evidence")
        for call in self.of_kind("call"):
            found += call.of_kind("evidence")
        return found


class TreeListener(Protocol):
    def inserting(self, parent: Node, row: int) -> None: ...
    def inserted(self) -> None: ...
    def resetting(self) -> None: ...
    def reset_done(self) -> None: ...
    def changed(self, node: Node) -> None: ...


def tree_line(text: str, limit: int = TITLE_LIMIT) -> str:
    """Untrusted text as one inert line of at most ``limit`` characters: for trees and
    lists, never for the detail pane."""
    return elide(visible(text), limit)


def _call_text(tool: str, arguments: dict[str, Any]) -> tuple[str, str]:
    """The tree line and the detail-pane text of a tool call (code with its line breaks)."""
    one_line = json.dumps(arguments, ensure_ascii=False)
    return tree_line(f"{tool}({one_line})"), f"{tool}\n{readable_arguments(arguments)}"


class RunTree:
    """Apply events in order; nodes are created and updated, never removed mid-run."""

    def __init__(self) -> None:
        self.root = Node("root", "")
        self.listener: TreeListener | None = None
        self.run_id = ""
        self.task = ""
        self.agent = ""
        self.status = ""  # "running", then RunFinished's status as it came
        self.error = ""
        self.plan: tuple[PlanStep, ...] = ()
        self.plan_text = ""  # the plan as the planner writes it
        self.answer = ""  # the answer so far
        self.seconds: float | None = None  # the run's length, once finished
        self.usage: dict[str, dict[str, float]] = {}
        self._steps: dict[str, Node] = {}
        self._calls: dict[str, Node] = {}
        self._thoughts = 0
        # events carry ``t``, seconds since the run started; nodes keep epoch times, so
        # that a running node's age is ``time.time() - started``. The run's start epoch is
        # taken when its first event arrives (the events come live, a few ms after ``t``).
        self._epoch_of_t0: float | None = None

    @classmethod
    def of(cls, events: list[Event]) -> RunTree:
        """The view of a whole (stored) run."""
        tree = cls()
        for event in events:
            tree.apply(event)
        return tree

    # -- building ---------------------------------------------------------------------

    def reset(self) -> None:
        if self.listener:
            self.listener.resetting()
        self.root.children.clear()
        self._steps.clear()
        self._calls.clear()
        self._thoughts = 0
        self._epoch_of_t0 = None
        self.run_id = self.task = self.agent = self.status = self.error = ""
        self.plan_text = self.answer = ""
        self.plan, self.seconds, self.usage = (), None, {}
        if self.listener:
            self.listener.reset_done()

    def _add(self, parent: Node, node: Node) -> Node:
        node.parent = parent
        if self.listener:
            self.listener.inserting(parent, len(parent.children))
        parent.children.append(node)
        if self.listener:
            self.listener.inserted()
        return node

    def _changed(self, node: Node) -> None:
        if self.listener:
            self.listener.changed(node)

    def _epoch(self, t: float) -> float:
        """The epoch time of run time ``t``."""
        if self._epoch_of_t0 is None:
            self._epoch_of_t0 = time.time() - t
        return self._epoch_of_t0 + t

    def _step(self, step_id: str, when: float) -> Node:
        node = self._steps.get(step_id)
        if node is None:  # agents without a plan up front (ReAct) start steps directly
            node = self._add(self.root, Node("step", step_id, title=f"#{step_id}", started=when))
            self._steps[step_id] = node
        return node

    def apply(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.reset()  # a new run, a new clock
        when = self._epoch(event.t)
        if isinstance(event, RunStarted):
            self.run_id, self.task, self.agent = event.run_id, event.task, event.agent
            self.status = RUNNING
        elif isinstance(event, PlanDelta):
            self.plan_text += event.text
        elif isinstance(event, AnswerDelta):
            self.answer += event.text
        elif isinstance(event, Answer):
            self.answer = event.text
        elif isinstance(event, PlanReady):
            self._on_plan(event, when)
        elif isinstance(event, StepStarted):
            node = self._step(event.id, when)
            node.status, node.started = RUNNING, when
            self._changed(node)
        elif isinstance(event, ToolCall):
            self._on_call(event, when)
        elif isinstance(event, ApprovalRequested):
            for waiting in (self._steps.get(event.id), self._calls.get(event.id)):
                if waiting is not None:
                    waiting.status = WAITING
                    self._changed(waiting)
        elif isinstance(event, ApprovalResolved):
            self._on_approval(event)
        elif isinstance(event, Evidence):
            self._on_evidence(event, when)
        elif isinstance(event, Thought):
            self._thoughts += 1
            thought = Node(
                "thought",
                f"thought-{self._thoughts}",
                title=tree_line(f"Thought: {event.text}"),
                status=OK,
                detail=visible(event.text),
                text=event.text,
            )
            self._add(self.root, thought)
        elif isinstance(event, RunFinished):
            self.status = event.status  # as it came: "ok", "partial", "failed", …
            self.error = event.error or ""
            self.seconds, self.usage = event.seconds, event.usage
            final = CANCELLED if event.status == "cancelled" else ERROR
            if event.status != "ok":
                self._finish_unfinished(self.root, final, when)

    def _on_plan(self, event: PlanReady, when: float) -> None:
        self.plan = event.steps
        for planned in event.steps:
            node = self._step(planned.id, when)
            node.planned = planned
            node.title = tree_line(f"#{planned.id}  {planned.plan}")
            node.tool = planned.tool
            node.detail = visible(f"Plan: {planned.plan}\n{planned.line()}")
            node.started = None
            self._changed(node)

    def _on_call(self, event: ToolCall, when: float) -> None:
        step = self._step(event.id, when)
        title, detail = _call_text(event.tool, event.arguments)
        call = Node(
            "call",
            event.id,
            title=title,
            tool=event.tool,
            status=RUNNING,
            detail=detail,
            started=when,
            arguments=dict(event.arguments),
        )
        self._calls[event.id] = self._add(step, call)
        if not step.tool:
            step.tool = event.tool
        if step.status == PENDING:
            step.status, step.started = RUNNING, when
        self._changed(step)

    def _on_approval(self, event: ApprovalResolved) -> None:
        asked = self._calls.get(event.id)
        for resolved in (self._steps.get(event.id), asked):
            if resolved is not None and resolved.status == WAITING:
                resolved.status = RUNNING if event.decision == "allow" else DENIED
                self._changed(resolved)
        if asked is not None and event.decision == "allow":  # the person may have edited it
            asked.title, asked.detail = _call_text(asked.tool, event.arguments)
            asked.arguments = dict(event.arguments)
            self._changed(asked)

    def _on_evidence(self, event: Evidence, when: float) -> None:
        step = self._step(event.id, when)
        parent = self._calls.get(event.id, step)
        evidence = Node(
            "evidence",
            event.id,
            title=tree_line(event.text) or "(empty)",
            status=event.status,
            detail=visible(event.text),
            seconds=event.seconds,
            text=event.text,
        )
        self._add(parent, evidence)
        for node in {id(step): step, id(parent): parent}.values():
            node.status = event.status
            if node.started is not None:
                node.seconds = max(event.seconds, when - node.started)
            else:
                node.seconds = event.seconds
            self._changed(node)

    def _finish_unfinished(self, node: Node, status: str, when: float) -> None:
        for child in node.children:
            if child.status in UNFINISHED:
                # steps never started were not run: they are cancelled, not failed
                child.status = status if child.status != PENDING else CANCELLED
                if child.started is not None and child.seconds is None:
                    child.seconds = max(0.0, when - child.started)
                self._changed(child)
            self._finish_unfinished(child, status, when)

    # -- reading ----------------------------------------------------------------------

    def walk(self, node: Node | None = None) -> list[Node]:
        out: list[Node] = []
        for child in (node or self.root).children:
            out.append(child)
            out += self.walk(child)
        return out

    def running(self) -> list[Node]:
        return [n for n in self.walk() if n.status in (RUNNING, WAITING)]

    def step(self, step_id: str) -> Node | None:
        return self._steps.get(step_id)

    def to_dict(self) -> dict[str, Any]:
        """The view as data (the JSON export's ``view``): each step with its calls and
        their evidence, thoughts in their place among them."""
        return {
            "task": self.task,
            "agent": self.agent,
            "status": self.status,
            "error": self.error or None,
            "seconds": self.seconds,
            "answer": self.answer,
            "steps": [_node_dict(node) for node in self.root.children],
        }


def _node_dict(node: Node) -> dict[str, Any]:
    if node.kind == "thought":
        return {"kind": "thought", "text": node.text}
    if node.kind == "evidence":
        return {
            "kind": "evidence",
            "status": node.status,
            "seconds": node.seconds,
            "text": node.text,
        }
    data: dict[str, Any] = {
        "kind": node.kind,
        "id": node.key,
        "tool": node.tool,
        "status": node.status,
        "seconds": node.seconds,
    }
    if node.kind == "step" and node.planned is not None:
        data["plan"], data["input"] = node.planned.plan, node.planned.input
    if node.kind == "call":
        data["arguments"] = node.arguments
    data["children"] = [_node_dict(child) for child in node.children]
    return data
