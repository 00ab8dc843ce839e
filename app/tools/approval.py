"""The approval gate: nothing that writes runs without the person's say.

It sits in the worker, between the tool call and the tool, so no model output and no
evidence text can get around it. Each tool has a policy (``ask``/``allow``/``deny``; writes
default to ask, reads to allow). ``--approve`` answers only the questions the policies would
ask: reads the person allowed still run under ``--approve deny``, and a tool the person set
to ``deny`` stays denied under ``--approve allow``. ``ask`` hands an ``ApprovalRequest`` to
the front end's approver, which blocks its (worker) thread until the person answers; no
approver means deny.

Code is asked every time, whatever the policy (bar ``deny``), when it would reach the
network or run without a sandbox: such a question carries a plain warning and never offers
"always allow", and ``--approve allow`` does not answer it. "Always allow" for ``python``
lasts for the session only; for other tools it is saved. Each is recorded in the history.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from app.events import PolicyChanged
from app.settings import Settings
from app.tools.registry import Tool

CODE_TOOLS = frozenset({"python"})  # "always allow" for these lasts for the session only

NETWORK_WARNING = (
    "This code asks for the network: it can send anything it can read in the workspace "
    "to any server. Asked every time."
)
UNSANDBOXED_WARNING = (
    "There is no sandbox for code here ({reason}). This code runs with your full rights: "
    "it can read, change or delete any of your files and use the network. Asked every time."
)


@dataclass(frozen=True)
class ApprovalRequest:
    step_id: str
    tool: Tool
    arguments: dict[str, Any]
    reason: str
    plan_line: str = ""
    evidence_used: dict[str, str] = field(default_factory=dict)
    warning: str = ""  # shown plainly above the call: why this call is riskier than most
    allow_always: bool = True  # False: the front end must not offer "always allow"


@dataclass(frozen=True)
class Decision:
    allow: bool
    arguments: dict[str, Any]
    always: bool = False  # "always allow this tool" (saved, or for the session: see remember)
    note: str = ""  # why, when the person did not decide (no terminal, cancelled)


Approver = Callable[[ApprovalRequest], Decision]
Recorder = Callable[[list[PolicyChanged]], None]


def sandbox_missing() -> str:
    """Why code would run without a sandbox on this machine; empty when it has one."""
    try:
        from app.sandbox import unavailable_reason
    except ImportError:  # no sandbox module in this build: the python tool refuses itself
        return ""
    return unavailable_reason() or ""


class ApprovalGate:
    def __init__(
        self,
        settings: Settings,
        approver: Approver | None = None,
        override: str | None = None,
        *,
        session: set[str] | None = None,
        record: Recorder | None = None,
    ):
        self.settings = settings
        self.approver = approver
        self.override = override
        # tools allowed until the app quits: shared by the runs of one Runtime
        self.session = session if session is not None else set()
        self.record = record
        self._ask_lock = threading.Lock()  # one question at a time

    def chosen(self, tool: Tool, forced: bool = False) -> str:
        """The person's policy for ``tool`` (settings, then this session's "always allow");
        ``forced``: a read tool found this call would write, so its read default is void."""
        if forced:
            policy = str(self.settings.get("approval").get(tool.name, "ask"))
        else:
            policy = self.settings.policy_for(tool.name, tool.risk)
        if policy == "ask" and tool.name in self.session:
            return "allow"
        return policy

    def warning(self, tool: Tool, arguments: dict[str, Any] | None) -> str:
        """Why this call must be asked whatever the policy says; empty for most calls."""
        if tool.name not in CODE_TOOLS:
            return ""
        if arguments and arguments.get("network") is True:
            return NETWORK_WARNING
        if self.settings.get("tools.python.unsandboxed"):
            reason = sandbox_missing()
            if reason:
                return UNSANDBOXED_WARNING.format(reason=reason.rstrip("."))
        return ""

    def policy(
        self, tool: Tool, forced: bool = False, arguments: dict[str, Any] | None = None
    ) -> str:
        """What happens to this call: ``allow``, ``deny`` or ``ask`` the approver.

        Without ``arguments`` a code tool gets ``ask`` unless nothing is asked in this run
        (its arguments could make it a question): a caller that announces questions then
        announces it, and ``decide``, which sees the arguments, settles it."""
        chosen = self.chosen(tool, forced)
        if chosen == "deny":
            return "deny"
        if arguments is None and tool.name in CODE_TOOLS and self.override != "deny":
            return "ask"
        if self.warning(tool, arguments):
            return "deny" if self.override == "deny" else "ask"
        if chosen == "ask" and self.override:
            return self.override
        return chosen

    def decide(self, request: ApprovalRequest, forced: bool = False) -> Decision:
        """Apply the policy; ask the approver when it says ``ask``."""
        policy = self.policy(request.tool, forced, request.arguments)
        if policy == "allow":
            return Decision(True, request.arguments)
        if policy == "deny":
            return Decision(False, request.arguments, note=self._denied(request, forced))
        warning = self.warning(request.tool, request.arguments)
        if warning:
            request = replace(request, warning=warning, allow_always=False)
        if self.approver is None:
            return Decision(False, request.arguments, note="no one to ask, so it was denied")
        with self._ask_lock:
            decision = self.approver(request)
        if decision.allow:
            always = decision.always and request.allow_always
            decision = Decision(True, request.tool.validate(decision.arguments), always)
            if always:
                self.remember(request.tool.name)
        return decision

    def _denied(self, request: ApprovalRequest, forced: bool) -> str:
        if self.chosen(request.tool, forced) == "deny":
            return f"policy for {request.tool.name} is deny"
        return f"{request.tool.name} needs approval and this run answers every question no"

    def remember(self, tool_name: str, source: str = "“Always allow” when asked") -> None:
        """Allow ``tool_name`` from now on: saved, or (code tools) until the app quits."""
        from app import policy_changes

        before = {"approval": self.settings.get("approval")}
        after = {"approval": dict(before["approval"], **{tool_name: "allow"})}
        session_only = tool_name in CODE_TOOLS
        if session_only:
            self.session.add(tool_name)
        else:
            self.settings.update(after)
        if self.record is not None:
            self.record(policy_changes.changes(before, after, source, session_only=session_only))
