"""The worker: runs one tool call through the approval gate, with a timeout.

Shared by every agent mode. A failing tool never ends a run: the failure becomes the
step's evidence (``error: …``, ``denied: …``). A tool that overruns its timeout is left
to finish on its own daemon thread (tools that hold processes kill them via the context's
cancel flag); the run moves on at once. An approval request names each earlier result the
call may rest on by the call that produced it (``E1 (web_search: …)``), in every mode.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from app.errors import NeedsApproval, ToolError
from app.events import ApprovalRequested, ApprovalResolved, Event, Evidence, ToolCall
from app.tools.approval import ApprovalGate, ApprovalRequest, Decision
from app.tools.registry import Tool, ToolContext, ToolRegistry
from app.untrusted import excerpt

MAX_EVIDENCE_CHARS = 100_000
SOURCE_CHARS = 60
POLL_SECONDS = 0.02

Emit = Callable[[Event], None]


@dataclass(frozen=True)
class Outcome:
    status: str  # ok | error | denied | skipped
    text: str


class ToolRunner:
    def __init__(
        self,
        tools: ToolRegistry,
        gate: ApprovalGate,
        context: ToolContext,
        make_event: Callable[..., Event],
        default_timeout: float,
    ):
        self.tools = tools
        self.gate = gate
        self.context = context
        self.make_event = make_event
        self.default_timeout = default_timeout
        self.sources: dict[str, str] = {}  # step id -> the call that produced its evidence

    def run(
        self,
        step_id: str,
        tool_name: str,
        arguments: dict[str, Any],
        emit: Emit,
        *,
        plan_line: str = "",
        evidence_used: dict[str, str] | None = None,
    ) -> Evidence:
        """Call the tool for ``step_id``, emitting tool_call and approval events."""
        start = time.perf_counter()
        outcome = self._run(step_id, tool_name, arguments, emit, plan_line, evidence_used or {})
        seconds = round(time.perf_counter() - start, 4)
        evidence = self.make_event(
            Evidence, id=step_id, status=outcome.status, text=outcome.text, seconds=seconds
        )
        assert isinstance(evidence, Evidence)
        return evidence

    def _run(
        self,
        step_id: str,
        tool_name: str,
        arguments: dict[str, Any],
        emit: Emit,
        plan_line: str,
        evidence_used: dict[str, str],
    ) -> Outcome:
        try:
            tool = self.tools.get(tool_name)
        except ToolError as exc:
            emit(self.make_event(ToolCall, id=step_id, tool=tool_name, arguments=arguments))
            return Outcome("error", f"error: {exc}")
        emit(self.make_event(ToolCall, id=step_id, tool=tool.name, arguments=arguments))
        self.sources[step_id] = source_label(tool, arguments)
        try:
            arguments = tool.validate(arguments)
        except ToolError as exc:
            return Outcome("error", f"error: {exc}")
        shown = {self.label(name): text for name, text in evidence_used.items()}
        request = ApprovalRequest(step_id, tool, arguments, f"{tool.name} writes", plan_line, shown)
        decision = self._approve(request, emit, forced=False)
        if not decision.allow:
            return Outcome("denied", f"denied: {decision.note or 'the call was not approved'}")
        context = replace(self.context, evidence=dict(evidence_used))
        outcome = self._invoke(tool, decision.arguments, context)
        if isinstance(outcome, NeedsApproval):
            request = replace(request, arguments=decision.arguments, reason=outcome.reason)
            decision = self._approve(request, emit, forced=True)
            if not decision.allow:
                return Outcome("denied", f"denied: {decision.note or outcome.reason}")
            outcome = self._invoke(tool, decision.arguments, replace(context, allow_write=True))
            if isinstance(outcome, NeedsApproval):
                return Outcome("error", f"error: {outcome.reason}")
        return outcome

    def label(self, step_id: str) -> str:
        """``E1 (web_search: tokyo weather)``: the step and the call its evidence came from."""
        source = self.sources.get(step_id)
        return f"{step_id} ({source})" if source else step_id

    def _approve(self, request: ApprovalRequest, emit: Emit, forced: bool) -> Decision:
        policy = self.gate.policy(request.tool, forced, request.arguments)
        if policy != "ask":
            return self.gate.decide(request, forced)
        emit(
            self.make_event(
                ApprovalRequested,
                id=request.step_id,
                tool=request.tool.name,
                arguments=request.arguments,
                reason=request.reason,
            )
        )
        try:
            decision = self.gate.decide(request, forced)
        except ToolError as exc:  # edited arguments that break the schema
            decision = Decision(False, request.arguments, note=str(exc))
        emit(
            self.make_event(
                ApprovalResolved,
                id=request.step_id,
                decision="allow" if decision.allow else "deny",
                arguments=decision.arguments,
            )
        )
        return decision

    def _invoke(
        self, tool: Tool, arguments: dict[str, Any], context: ToolContext
    ) -> Outcome | NeedsApproval:
        timeout = tool.timeout or self.default_timeout
        box: dict[str, Any] = {}

        def target() -> None:
            try:
                box["text"] = tool.invoke(arguments, context)
            except NeedsApproval as exc:
                box["needs"] = exc
            except ToolError as exc:
                box["error"] = str(exc)
            except Exception as exc:  # a tool bug must not take the run down
                box["error"] = f"{tool.name} failed: {type(exc).__name__}: {exc}"

        thread = threading.Thread(target=target, name=f"tool-{tool.name}", daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout
        while thread.is_alive():
            thread.join(POLL_SECONDS)
            if context.cancel.is_set() and thread.is_alive():
                return Outcome("skipped", "skipped: cancelled")
            if time.monotonic() > deadline and thread.is_alive():
                return Outcome("error", f"error: {tool.name} timed out after {timeout:g} s")
        if "needs" in box:
            return box["needs"]  # type: ignore[no-any-return]
        if "error" in box:
            return Outcome("error", f"error: {box['error']}")
        return Outcome("ok", cap(box.get("text", "")))


def source_label(tool: Tool, arguments: dict[str, Any]) -> str:
    """The tool and its main argument, shortened: what a person needs to tell sources apart."""
    name = tool.fast_path_argument
    value = arguments.get(name) if name else None
    if not isinstance(value, str):
        value = next((v for v in arguments.values() if isinstance(v, str)), None)
    if not value:
        return tool.name
    return f"{tool.name}: {excerpt(value, SOURCE_CHARS)}"


def cap(text: str, limit: int = MAX_EVIDENCE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… [{len(text) - limit:,} more characters not kept]"
