"""The approval gate: nothing that writes runs without the person's say.

It sits in the worker, between the tool call and the tool, so no model output and no
evidence text can get around it. Each tool has a policy (``ask``/``allow``/``deny``; writes
default to ask, reads to allow); ``--approve`` overrides every policy for one headless run.
``ask`` hands an ``ApprovalRequest`` to the front end's approver, which blocks its (worker)
thread until the person answers; no approver means deny.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.settings import Settings
from app.tools.registry import Tool


@dataclass(frozen=True)
class ApprovalRequest:
    step_id: str
    tool: Tool
    arguments: dict[str, Any]
    reason: str
    plan_line: str = ""
    evidence_used: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    allow: bool
    arguments: dict[str, Any]
    always: bool = False  # "always allow this tool": persisted as policy allow
    note: str = ""  # why, when the person did not decide (no terminal, cancelled)


Approver = Callable[[ApprovalRequest], Decision]


class ApprovalGate:
    def __init__(
        self,
        settings: Settings,
        approver: Approver | None = None,
        override: str | None = None,
    ):
        self.settings = settings
        self.approver = approver
        self.override = override
        self._ask_lock = threading.Lock()  # one question at a time

    def policy(self, tool: Tool, forced: bool = False) -> str:
        """The policy for ``tool``; ``forced``: a read tool found this call would write."""
        if self.override:
            return self.override
        if forced:
            return str(self.settings.get("approval").get(tool.name, "ask"))
        return self.settings.policy_for(tool.name, tool.risk)

    def decide(self, request: ApprovalRequest, forced: bool = False) -> Decision:
        """Apply the policy; ask the approver when it says ``ask``."""
        policy = self.policy(request.tool, forced)
        if policy == "allow":
            return Decision(True, request.arguments)
        if policy == "deny":
            return Decision(
                False, request.arguments, note=f"policy for {request.tool.name} is deny"
            )
        if self.approver is None:
            return Decision(False, request.arguments, note="no one to ask, so it was denied")
        with self._ask_lock:
            decision = self.approver(request)
        if decision.allow:
            decision = Decision(True, request.tool.validate(decision.arguments), decision.always)
            if decision.always:
                self.remember(request.tool.name)
        return decision

    def remember(self, tool_name: str) -> None:
        policies = self.settings.get("approval")
        policies[tool_name] = "allow"
        self.settings.set("approval", policies)
        self.settings.save()
