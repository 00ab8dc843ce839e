"""Teach a role from the person's own runs: train an adapter, score it, use it only if accepted.

``teach`` gathers the runs (``export_examples``), trains a LoRA adapter over the role's GGUF
model (the embedded one unless the person chose another) and, for the planner, scores the
adapter in use now and the new one on the held-out evaluation split. The new adapter is
written to ``<data>/adapters/<role>-<timestamp>.gguf`` and changes nothing until ``accept``
names it in the settings; ``discard`` deletes one the person did not want.

``planner_score`` is also the planner half of ``tests/bench/quality.py``.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.agents.base import Roles, RunState
from app.agents.rewoo import ReWOOAgent
from app.errors import SmartAgentError
from app.learn.adapters import adapter_in_use, role_spec
from app.learn.commands import base_path
from app.learn.examples import DataError
from app.learn.history import ExportTally, export_examples
from app.learn.train import Progress, TrainConfig, Trainer
from app.llm import LORA_MARK, split_adapter
from app.plan import Plan
from app.settings import Settings
from app.tools.approval import ApprovalGate

if TYPE_CHECKING:
    from app.runtime import Runtime

EVAL = Path(__file__).resolve().parent / "data" / "planner_eval.jsonl"
MIN_EXAMPLES = 5
SCORE_LIMIT = 20  # evaluation tasks scored before and after: about a minute on a laptop
# LoRA settings for a few dozen examples: the shipped adapters' rank and rate, more epochs
TRAINING: dict[str, Any] = {"rank": 16, "alpha": 32.0, "batch_size": 8, "lr": 1e-3, "epochs": 3.0}


@dataclass
class TeachResult:
    role: str
    adapter: Path  # the new adapter (deleted again when training was stopped)
    examples: int
    steps: int
    total_steps: int
    first_loss: float
    final_loss: float
    seconds: float
    stopped: bool
    previous: Path | None  # the adapter the role uses now; None: the base model alone
    score_before: float | None = None  # planner: tool choice on the evaluation split
    score_after: float | None = None
    scored_tasks: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["adapter"] = str(self.adapter)
        data["previous"] = str(self.previous) if self.previous else None
        return data


# -- the planner's yardstick -----------------------------------------------------------------


def eval_tasks(path: Path = EVAL) -> list[dict[str, Any]]:
    """The held-out planner tasks: task, the tools it needs, how many steps, a gold plan."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def spread(tasks: Sequence[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    """``limit`` tasks spread evenly over the split (it is ordered by tool), all if None."""
    if limit is None or limit >= len(tasks):
        return list(tasks)
    return [tasks[i * len(tasks) // limit] for i in range(limit)]


def drain_plan(agent: ReWOOAgent, task: str) -> tuple[Plan | SmartAgentError, RunState]:
    """Run only the planner of ``agent`` on ``task``: the plan (or the PlanError)."""
    state = RunState()
    gen = agent._plan(task, state, {})  # no earlier turn: the prompt the adapters know
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        return stop.value, state
    except SmartAgentError as exc:
        return exc, state


def chose_the_tools(plan: Plan | SmartAgentError, task: dict[str, Any]) -> bool:
    """The plan uses every tool the task needs (extra steps are not counted against it)."""
    if isinstance(plan, SmartAgentError):
        return False
    return set(task["tools"]) <= {step.tool for step in plan.steps}


def planner_score(
    runtime: Runtime,
    adapter: str | None,
    tasks: Sequence[dict[str, Any]] | None = None,
    limit: int | None = None,
    *,
    base: str = "default",
    cancel: threading.Event | None = None,
) -> float:
    """Share of evaluation tasks whose plan uses every tool needed, by ``base`` (the embedded
    model) with the planner adapter ``adapter`` (None: the base alone). With ``cancel`` set
    it stops early and scores the tasks planned so far."""
    chosen = spread(eval_tasks() if tasks is None else tasks, limit)
    spec = f"{base}{LORA_MARK}{adapter}" if adapter else base
    planner = runtime.pool.get(spec)
    agent = ReWOOAgent(
        Roles(planner, planner, planner),
        runtime.tools,
        ApprovalGate(runtime.settings, override="deny"),
        runtime.settings,
    )
    right = done = 0
    for task in chosen:
        if cancel is not None and cancel.is_set():
            break
        plan, _ = drain_plan(agent, task["task"])
        right += chose_the_tools(plan, task)
        done += 1
    return right / done if done else 0.0


# -- teaching --------------------------------------------------------------------------------


def gather(runtime: Runtime, role: str, *, approved_only: bool) -> tuple[list[Any], ExportTally]:
    tally = ExportTally(role)
    examples = list(
        export_examples(runtime.store, runtime, role, approved_only=approved_only, tally=tally)
    )
    return examples, tally


def too_few(tally: ExportTally, approved_only: bool) -> str | None:
    """Why there is not enough to learn from, or None when there is."""
    if tally.examples >= MIN_EXAMPLES:
        return None
    kind = "rated good" if approved_only else "usable"
    return (
        f"only {tally.examples} {kind} {tally.role} example(s) in your history; rate at least "
        f"{MIN_EXAMPLES} good runs (right-click a run in the history → Good run), then teach again"
    )


def teach(
    runtime: Runtime,
    role: str,
    *,
    approved_only: bool,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    out: Path | None = None,
    stage: Callable[[str], None] | None = None,
) -> TeachResult:
    """Train a new ``role`` adapter on the person's runs; score it for the planner.

    ``stage`` gets one line as each phase begins. Nothing changes in the settings; a stopped
    run leaves nothing behind (the partial adapter and its checkpoint are deleted).
    """
    say = stage or (lambda line: None)
    examples, tally = gather(runtime, role, approved_only=approved_only)
    refusal = too_few(tally, approved_only)
    if refusal:
        raise DataError(refusal)
    spec, _ = split_adapter(role_spec(runtime.settings, role))
    out = out or runtime.paths.data / "adapters" / f"{role}-{time.strftime('%Y%m%d-%H%M%S')}.gguf"
    config = TrainConfig(role=role, base=base_path(spec), out=out, **TRAINING)
    previous = adapter_in_use(runtime.settings, role).path
    say(f"Training the {role} on {tally.summary()}…")
    train = Trainer(config, examples).run(progress, cancel)
    result = TeachResult(
        role=role,
        adapter=train.out,
        examples=train.examples,
        steps=train.steps,
        total_steps=train.total_steps,
        first_loss=train.first_loss,
        final_loss=train.final_loss,
        seconds=train.seconds,
        stopped=train.stopped,
        previous=previous,
    )
    if train.stopped:
        discard(train.out)
        return result
    if role == "planner":
        _score_planner(runtime, result, spec, cancel, say)
    return result


def _score_planner(
    runtime: Runtime,
    result: TeachResult,
    base: str,
    cancel: threading.Event | None,
    say: Callable[[str], None],
) -> None:
    """Both planners on the same held-out tasks; none of it when stopped halfway."""
    tasks = spread(eval_tasks(), SCORE_LIMIT)
    result.scored_tasks = len(tasks)
    say(f"Scoring the new planner on {len(tasks)} held-out tasks…")
    try:
        after = planner_score(runtime, str(result.adapter), tasks, base=base, cancel=cancel)
    except SmartAgentError:
        discard(result.adapter)  # llama.cpp cannot use it: not worth keeping
        raise
    say("Scoring the current planner on the same tasks…")
    current = str(result.previous) if result.previous else None
    try:
        before: float | None = planner_score(runtime, current, tasks, base=base, cancel=cancel)
    except SmartAgentError:
        before = None  # the adapter in use does not load (moved, deleted): nothing to compare
    if cancel is None or not cancel.is_set():
        result.score_before, result.score_after = before, after


def accept(settings: Settings, role: str, path: Path) -> None:
    """Use ``path`` as the ``role`` adapter from now on (saved in the settings file)."""
    settings.update({f"models.{role}_adapter": str(path)})


def discard(path: Path) -> None:
    """Delete an adapter nobody uses, with its record and any checkpoint beside it."""
    path.unlink(missing_ok=True)
    path.with_suffix(".json").unlink(missing_ok=True)
    shutil.rmtree(path.with_name(path.name + ".checkpoint"), ignore_errors=True)
