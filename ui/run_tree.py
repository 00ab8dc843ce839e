"""The plan tree of one run as plain Python, built from the core's events.

step → tool call → evidence; thoughts (ReAct, AutoGPT) sit beside the steps. This module
knows nothing of Qt: ``ui.plan_tree_model`` wraps it, and a listener hears about every
insertion and change so the Qt model can announce them to its views. Titles and details
came from models, tools and web pages, so they go through ``app.untrusted.visible``: a bidi
override cannot reorder what the person reads.
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
    key: str
    title: str = ""
    tool: str = ""
    status: str = PENDING
    detail: str = ""  # the full text shown in the detail pane
    started: float | None = None  # when it started, in seconds since the epoch
    seconds: float | None = None  # elapsed, once known
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


class TreeListener(Protocol):
    def inserting(self, parent: Node, row: int) -> None: ...
    def inserted(self) -> None: ...
    def resetting(self) -> None: ...
    def reset_done(self) -> None: ...
    def changed(self, node: Node) -> None: ...


def elide(text: str, limit: int = TITLE_LIMIT) -> str:
    """One line of at most ``limit`` characters: for the tree, never for the detail pane."""
    line = " ".join(visible(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _call_text(tool: str, arguments: dict[str, Any]) -> tuple[str, str]:
    """The tree line and the detail-pane text of a tool call (code with its line breaks)."""
    one_line = json.dumps(arguments, ensure_ascii=False)
    return elide(f"{tool}({one_line})"), f"{tool}\n{readable_arguments(arguments)}"


class RunTree:
    """Apply events in order; nodes are created and updated, never removed mid-run."""

    def __init__(self) -> None:
        self.root = Node("root", "")
        self.listener: TreeListener | None = None
        self.run_id = ""
        self.task = ""
        self.status = ""
        self.error = ""
        self.plan_text = ""  # the plan as the planner writes it
        self.answer = ""  # the answer so far
        self._steps: dict[str, Node] = {}
        self._calls: dict[str, Node] = {}
        self._thoughts = 0
        # events carry ``t``, seconds since the run started; nodes keep epoch times, so
        # that a running node's age is ``time.time() - started``. The run's start epoch is
        # taken when its first event arrives (the events come live, a few ms after ``t``).
        self._epoch_of_t0: float | None = None

    # -- building ---------------------------------------------------------------------

    def reset(self) -> None:
        if self.listener:
            self.listener.resetting()
        self.root.children.clear()
        self._steps.clear()
        self._calls.clear()
        self._thoughts = 0
        self._epoch_of_t0 = None
        self.run_id = self.task = self.status = self.error = self.plan_text = self.answer = ""
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
            self.run_id, self.task, self.status = event.run_id, event.task, RUNNING
        elif isinstance(event, PlanDelta):
            self.plan_text += event.text
        elif isinstance(event, AnswerDelta):
            self.answer += event.text
        elif isinstance(event, Answer):
            self.answer = event.text
        elif isinstance(event, PlanReady):
            for data in event.steps:
                step_id = str(data["id"])
                node = self._step(step_id, when)
                node.title = elide(f"#{step_id}  {data.get('plan', '')}")
                node.tool = str(data.get("tool", ""))
                line = f"#{step_id} = {node.tool}[{data.get('input', '')}]"
                node.detail = visible(f"Plan: {data.get('plan', '')}\n{line}")
                node.started = None
                self._changed(node)
        elif isinstance(event, StepStarted):
            node = self._step(event.id, when)
            node.status, node.started = RUNNING, when
            self._changed(node)
        elif isinstance(event, ToolCall):
            step = self._step(event.id, when)
            title, detail = _call_text(event.tool, event.arguments)
            call = self._add(
                step,
                Node(
                    "call",
                    event.id,
                    title=title,
                    tool=event.tool,
                    status=RUNNING,
                    detail=detail,
                    started=when,
                ),
            )
            self._calls[event.id] = call
            if not step.tool:
                step.tool = event.tool
            if step.status == PENDING:
                step.status, step.started = RUNNING, when
            self._changed(step)
        elif isinstance(event, ApprovalRequested):
            for waiting in (self._steps.get(event.id), self._calls.get(event.id)):
                if waiting is not None:
                    waiting.status = WAITING
                    self._changed(waiting)
        elif isinstance(event, ApprovalResolved):
            asked = self._calls.get(event.id)
            for resolved in (self._steps.get(event.id), asked):
                if resolved is not None and resolved.status == WAITING:
                    resolved.status = RUNNING if event.decision == "allow" else DENIED
                    self._changed(resolved)
            if asked is not None and event.decision == "allow":
                asked.title, asked.detail = _call_text(asked.tool, event.arguments)
                self._changed(asked)
        elif isinstance(event, Evidence):
            step = self._step(event.id, when)
            parent = self._calls.get(event.id, step)
            self._add(
                parent,
                Node(
                    "evidence",
                    event.id,
                    title=elide(event.text) or "(empty)",
                    status=event.status,
                    detail=visible(event.text),
                    seconds=event.seconds,
                ),
            )
            for node in {id(step): step, id(parent): parent}.values():
                node.status = event.status
                if node.started is not None:
                    node.seconds = max(event.seconds, when - node.started)
                else:
                    node.seconds = event.seconds
                self._changed(node)
        elif isinstance(event, Thought):
            self._thoughts += 1
            self._add(
                self.root,
                Node(
                    "thought",
                    f"thought-{self._thoughts}",
                    title=elide(f"Thought: {event.text}"),
                    status=OK,
                    detail=visible(event.text),
                ),
            )
        elif isinstance(event, RunFinished):
            self.status = event.status
            self.error = event.error or ""
            final = CANCELLED if event.status == "cancelled" else ERROR
            if event.status != "ok":
                self._finish_unfinished(self.root, final, when)

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
