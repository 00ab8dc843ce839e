"""What every agent mode shares: the run clock, roles, usage, and the run's frame.

``Agent.run`` yields ``run_started`` first and ``run_finished`` last, whatever happens in
between: a typed ``SmartAgentError`` becomes status ``failed`` with its message, a set
cancel flag becomes ``cancelled``, and an unexpected exception becomes ``failed`` with an
"internal error" line (its traceback goes to the log, not to the person). A run that ends
without either is judged from its steps and answer (``app.agents.outcome``): ``ok``,
``partial`` or ``failed``.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from app.conversation import Conversation
from app.errors import SmartAgentError
from app.events import Event, RunFinished, RunStarted
from app.llm import ModelPool
from app.llm.base import Generation, Message, Model, Usage
from app.prompts import Prompts
from app.settings import Settings
from app.tools.approval import ApprovalGate
from app.tools.registry import ToolContext, ToolRegistry

from .outcome import Outcome
from .worker import ToolRunner

log = logging.getLogger(__name__)


class RunCancelled(Exception):
    """Raised inside an agent to unwind when the person pressed Stop."""


@dataclass(frozen=True)
class Roles:
    planner: Model
    caller: Model
    solver: Model

    @classmethod
    def from_settings(
        cls,
        pool: ModelPool,
        settings: Settings,
        planner: str | None = None,
        caller: str | None = None,
        solver: str | None = None,
    ) -> Roles:
        planner_spec = planner or settings.get("models.planner")
        caller_spec = caller or settings.get("models.caller")
        solver_spec = solver or settings.get("models.solver") or planner_spec
        return cls(
            pool.get(planner_spec, "planner"),
            pool.get(caller_spec, "caller"),
            pool.get(solver_spec, "solver"),
        )

    def ids(self) -> dict[str, str]:
        return {"planner": self.planner.id, "caller": self.caller.id, "solver": self.solver.id}


@dataclass
class RunState:
    """One run's identity, clock, cancel flag and token usage per role."""

    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    cancel: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.perf_counter)
    usage: dict[str, Usage] = field(default_factory=dict)
    earlier: Conversation | None = None  # the turns this run follows up on
    _usage_lock: threading.Lock = field(default_factory=threading.Lock)

    def event(self, cls: type[Event], **fields: Any) -> Event:
        return cls(run_id=self.run_id, t=round(time.perf_counter() - self.started, 4), **fields)

    def account(self, role: str, usage: Usage) -> None:
        with self._usage_lock:
            self.usage.setdefault(role, Usage()).add(usage)

    def check(self) -> None:
        if self.cancel.is_set():
            raise RunCancelled


class Agent(ABC):
    name = "agent"

    def __init__(
        self,
        roles: Roles,
        tools: ToolRegistry,
        gate: ApprovalGate,
        settings: Settings,
        *,
        prompts: Prompts | None = None,
        databases: dict[str, str] | None = None,
    ):
        self.roles = roles
        self.tools = tools
        self.gate = gate
        self.settings = settings
        self.prompts = prompts or Prompts(settings.paths)
        self.databases = {**settings.get("databases"), **(databases or {})}

    def render(self, name: str, **values: object) -> str:
        """The prompt template ``name`` filled in (an override from the config folder wins)."""
        return self.prompts.get(name).render(**values).strip()

    def run(
        self,
        task: str,
        *,
        run_id: str | None = None,
        cancel: threading.Event | None = None,
        earlier: Conversation | None = None,
    ) -> Iterator[Event]:
        """The run's events. ``earlier``: the conversation this run follows up on; its
        planner then reads the earlier turns and may use their results as ``#P<n>``.
        Without it every prompt is exactly what a fresh run sends."""
        state = RunState(
            run_id=run_id or uuid.uuid4().hex[:12],
            cancel=cancel or threading.Event(),
            earlier=earlier if earlier is not None and earlier.turns else None,
        )
        link = {}
        if state.earlier is not None:
            link = {"parent": state.earlier.parent, "conversation": state.earlier.id}
        yield state.event(RunStarted, task=task, agent=self.name, models=self.roles.ids(), **link)
        status: str
        error: str | None = None
        outcome = Outcome()
        try:
            if not task.strip():
                raise SmartAgentError("the task is empty")
            yield from outcome.watch(self._run(task, state))
            status, error = outcome.verdict()
            if state.cancel.is_set():
                status, error = "cancelled", None
        except RunCancelled:
            status = "cancelled"
        except SmartAgentError as exc:
            status, error = "failed", str(exc)
        except Exception as exc:  # a bug: the run ends readably, the log keeps the traceback
            log.exception("run %s failed", state.run_id)
            status, error = "failed", f"internal error: {type(exc).__name__}: {exc}"
        yield state.event(
            RunFinished,
            status=status,
            error=error,
            usage={role: u.to_dict() for role, u in state.usage.items()},
            seconds=round(time.perf_counter() - state.started, 4),
        )

    @abstractmethod
    def _run(self, task: str, state: RunState) -> Iterator[Event]:
        """The mode's own events between run_started and run_finished."""

    # -- helpers shared by the modes ---------------------------------------------------------

    def tool_runner(self, state: RunState) -> ToolRunner:
        """What runs this run's tool calls: behind the approval gate, with the tool timeout."""
        context = ToolContext(
            workspace=self.settings.workspace,
            settings=self.settings,
            cancel=state.cancel,
            ask_model=lambda prompt: self.ask_model(prompt, state),
            databases=dict(self.databases),
        )
        return ToolRunner(
            self.tools, self.gate, context, state.event, self.settings.get("tools.timeout")
        )

    def ask_model(self, prompt: str, state: RunState) -> str:
        """The ``llm`` tool: the planner model answers a question directly."""
        messages: list[Message] = [
            {"role": "system", "content": self.prompts.get("llm_tool").render()},
            {"role": "user", "content": prompt},
        ]
        # the planner's base model: its adapter is trained to write plans, not answers
        generation = self.roles.planner.without_adapter().generate(
            messages, max_tokens=256, temperature=self.temperature, cancel=state.cancel
        )
        text = generation.text
        state.account("llm_tool", generation.usage)
        return text

    def follow_up(self, task: str, state: RunState) -> tuple[str, dict[str, str], dict[str, str]]:
        """The task as the planner reads it, the earlier results it may use by name, and
        the names a pronoun in the task overrides (``Conversation.pronoun_redirect``).

        A fresh run: the task as it is and nothing else, so its prompts are exactly what
        they always were. A follow-up: the earlier turns (``follow_up_task``) before it.
        """
        if state.earlier is None:
            return task, {}, {}
        budget = self.settings.get("conversation.budget")
        values = state.earlier.values(budget)
        text = self.render(
            "follow_up_task",
            names=", ".join(f"#{name}" for name in values) or "none",
            context=state.earlier.context(budget),
            task=task.strip(),
        )
        return text, values, state.earlier.pronoun_redirect(task, budget)

    @property
    def temperature(self) -> float:
        return float(self.settings.get("generation.temperature"))

    @staticmethod
    def stream(
        generation: Generation, state: RunState, role: str, event: type[Event]
    ) -> Generator[Event, None, None]:
        """Yield each piece as an ``event`` (stopping if cancelled); account usage to ``role``."""
        try:
            for piece in generation:
                state.check()
                yield state.event(event, text=piece)
        finally:
            generation.close()
            state.account(role, generation.usage)
        state.check()

    @staticmethod
    def complete(generation: Generation, state: RunState, role: str) -> str:
        """Drain ``generation`` (stopping if cancelled) and account its usage to ``role``."""
        try:
            for _ in generation:
                if state.cancel.is_set():
                    break
        finally:
            generation.close()
            state.account(role, generation.usage)
        state.check()
        return generation.received
