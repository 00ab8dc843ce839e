"""Approval questions answered over the API.

The tool's thread announces ``approval_requested`` and then asks; a client answers with
``POST /v1/runs/{id}/approvals/{step}`` once the event has reached it — which may be
before or after the question was asked, so an answer that comes first waits for it. A
step can be answered only while its question is open (its event passed, no answer yet);
a question nobody answers is denied after ``timeout`` seconds or when the run is
cancelled, so an abandoned run cannot hold its slot for ever.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from app.events import ApprovalRequested, ApprovalResolved, Event
from app.tools.approval import ApprovalRequest, Decision


class NotAsked(Exception):
    """There is no open question for this step (never asked, or answered already)."""


@dataclass
class _Question:
    request: ApprovalRequest | None = None
    decision: Decision | None = None
    answered: threading.Event = field(default_factory=threading.Event)


class ApiApprovals:
    """The approver of one run."""

    def __init__(self, cancel: threading.Event, timeout: float):
        self._cancel = cancel
        self._timeout = timeout
        self._lock = threading.Lock()
        self._questions: dict[str, _Question] = {}
        self._open: dict[str, tuple[str, dict[str, Any]]] = {}  # step → (tool, arguments)

    def approve(self, request: ApprovalRequest) -> Decision:
        """On a tool's thread: wait for the client's answer (or cancel, or the timeout)."""
        with self._lock:
            question = self._questions.setdefault(request.step_id, _Question())
            question.request = request
        waited = 0.0
        while not question.answered.wait(0.05):
            waited += 0.05
            if self._cancel.is_set():
                return Decision(False, request.arguments, note="the run was cancelled")
            if waited >= self._timeout:
                note = f"no answer came over the API within {self._timeout:g} s"
                return Decision(False, request.arguments, note=note)
        with self._lock:
            self._questions.pop(request.step_id, None)
        assert question.decision is not None
        return question.decision

    def passed(self, event: Event) -> None:
        """On the run's thread, as each event goes out to clients."""
        with self._lock:
            if isinstance(event, ApprovalRequested):
                self._open[event.id] = (event.tool, event.arguments)
            elif isinstance(event, ApprovalResolved):
                self._open.pop(event.id, None)
                self._questions.pop(event.id, None)

    def pending(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Open questions: step → (tool, the arguments asked about)."""
        with self._lock:
            return dict(self._open)

    def answer(self, step: str, decision: Decision) -> None:
        with self._lock:
            if step not in self._open:
                raise NotAsked(step)
            del self._open[step]
            question = self._questions.setdefault(step, _Question())
            question.decision = decision
            question.answered.set()
