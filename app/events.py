"""The one contract between the core and every front end (SPEC §2).

A run is a stream of small frozen dataclasses. Each serialises to one JSON object per
line with at least ``type``, ``run_id`` and ``t`` (seconds since the run started).
Consumers dispatch on the class (or ``type``) and ignore types they do not know; an
unknown type read back from JSON becomes ``UnknownEvent`` so nothing is lost.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

from app.plan import PlanStep

_TYPES: dict[str, type[Event]] = {}


@dataclass(frozen=True, kw_only=True)
class Event:
    type: ClassVar[str] = "event"
    run_id: str
    t: float

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "type" in cls.__dict__:
            _TYPES[cls.type] = cls

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type}
        for f in dataclasses.fields(self):
            data[f.name] = getattr(self, f.name)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=_jsonable)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Event:
        cls = _TYPES.get(str(data.get("type")))
        if cls is None:
            return UnknownEvent(
                run_id=str(data.get("run_id", "")), t=float(data.get("t", 0.0)), data=dict(data)
            )
        names = {f.name for f in dataclasses.fields(cls)}
        return cls._from_fields({k: v for k, v in data.items() if k in names})

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> Event:
        """The event of these JSON fields; a type whose fields are typed objects overrides it."""
        return cls(**fields)

    @staticmethod
    def from_json(line: str) -> Event:
        return Event.from_dict(json.loads(line))


def _jsonable(value: Any) -> Any:
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    return str(value)


@dataclass(frozen=True, kw_only=True)
class UnknownEvent(Event):
    """An event of a type this version does not know, kept as it was."""

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.data)


@dataclass(frozen=True, kw_only=True)
class RunStarted(Event):
    """The first event of a run. A follow-up names the run it continues (``parent``) and
    its conversation (the id of the conversation's first run); a run that starts fresh
    leaves both out of its JSON, which stays as it was before conversations existed."""

    type: ClassVar[str] = "run_started"
    task: str
    agent: str
    models: dict[str, str]
    parent: str | None = None
    conversation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        for name in ("parent", "conversation"):
            if data[name] is None:
                del data[name]
        return data


@dataclass(frozen=True, kw_only=True)
class PlanDelta(Event):
    """A piece of the plan as the planner writes it (for live display)."""

    type: ClassVar[str] = "plan_delta"
    text: str


@dataclass(frozen=True, kw_only=True)
class PlanReady(Event):
    """The plan, parsed: ``PlanStep``s in the stream, each step's ``to_dict`` in its JSON
    (the objects the stream carried before its steps were typed, byte for byte)."""

    type: ClassVar[str] = "plan"
    steps: tuple[PlanStep, ...]

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["steps"] = [step.to_dict() for step in self.steps]
        return data

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> Event:
        steps = tuple(PlanStep.from_dict(step) for step in fields.get("steps", ()))
        return cls(**{**fields, "steps": steps})


@dataclass(frozen=True, kw_only=True)
class StepStarted(Event):
    type: ClassVar[str] = "step_started"
    id: str


@dataclass(frozen=True, kw_only=True)
class ToolCall(Event):
    type: ClassVar[str] = "tool_call"
    id: str
    tool: str
    arguments: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ApprovalRequested(Event):
    type: ClassVar[str] = "approval_requested"
    id: str
    tool: str
    arguments: dict[str, Any]
    reason: str


@dataclass(frozen=True, kw_only=True)
class ApprovalResolved(Event):
    type: ClassVar[str] = "approval_resolved"
    id: str
    decision: str  # "allow" | "deny"
    arguments: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class Evidence(Event):
    type: ClassVar[str] = "evidence"
    id: str
    status: str  # "ok" | "error" | "denied" | "skipped"
    text: str
    seconds: float


@dataclass(frozen=True, kw_only=True)
class Thought(Event):
    """Free reasoning text from agents that think aloud (ReAct, AutoGPT)."""

    type: ClassVar[str] = "thought"
    text: str


@dataclass(frozen=True, kw_only=True)
class AnswerDelta(Event):
    type: ClassVar[str] = "answer_delta"
    text: str


@dataclass(frozen=True, kw_only=True)
class Answer(Event):
    type: ClassVar[str] = "answer"
    text: str


@dataclass(frozen=True, kw_only=True)
class RunFinished(Event):
    """The last event of a run. ``status``: ``ok`` (every step succeeded, an answer was
    written), ``partial`` (an answer, but some steps failed, were denied or skipped),
    ``failed`` (an error, no step succeeded, or no answer), ``cancelled``; ``error`` says
    why in one line for all but ``ok``. The store marks a run whose process died
    ``interrupted``."""

    type: ClassVar[str] = "run_finished"
    status: str  # "ok" | "partial" | "failed" | "cancelled" (RUN_STATUSES)
    error: str | None = None
    usage: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True, kw_only=True)
class PolicyChanged(Event):
    """A change to what guards the tools: an approval policy, a trusted tool file, code
    allowed to run without a sandbox. Kept in the history with when and from where, so
    the person can see every change (Settings → Approval, ``smart-agent approval``).

    Made outside a run, so ``run_id`` is empty and ``t`` is 0; ``at`` is the wall clock.
    """

    type: ClassVar[str] = "policy_changed"
    setting: str  # "approval.python", "tools.trusted.weather.py", "tools.python.unsandboxed"
    old: Any  # None: not set (the default applied)
    new: Any
    source: str  # where it was made, in words: "settings dialog", "smart-agent approval", …
    at: float  # seconds since the epoch
    session_only: bool = False  # held in memory until the app quits, never saved


EVENT_TYPES: dict[str, type[Event]] = _TYPES

RUN_STATUSES = ("running", "ok", "partial", "failed", "cancelled", "interrupted")
"""Every status a run has in the history: ``running`` until its ``run_finished``, then that
event's status; ``interrupted`` when the store finds its process gone."""
