"""ReWOO: plan every step first, then run the tools, then solve from the evidence.

planner → distributor → worker → solver (SPEC §1). The planner's output is constrained by
a grammar where the backend allows it, else parsed and, on a mistake, fed back with the
error (at most ``PLAN_RETRIES`` times). Steps whose references are resolved run
concurrently on a thread pool; their events come back through a queue to this generator,
which is the only place events leave the agent.
"""

from __future__ import annotations

import json
import queue
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from app.conversation import bind, names_kept, redirect_plan
from app.errors import PlanError, ToolError
from app.events import (
    Answer,
    AnswerDelta,
    Event,
    Evidence,
    PlanDelta,
    PlanReady,
    StepStarted,
    ToolCall,
)
from app.llm.base import Grammar, JsonSchema
from app.plan import STEP_LINE, Plan, PlanStep, parse_plan, plan_grammar
from app.references import tool_input as step_input
from app.tools.registry import Tool

from .base import Agent, RunCancelled, RunState
from .json_words import json_problem
from .repetition import LoopGuard
from .rewoo_messages import ReWOOMessages
from .worker import ToolRunner

PLAN_RETRIES = 2
FEEDBACK_EXCERPT = 2000


class ReWOOAgent(Agent):
    name = "rewoo"

    def _run(self, task: str, state: RunState) -> Iterator[Event]:
        # a follow-up: planner and solver read the earlier turns; steps may use #P<k>
        task, prior, pronoun = self.follow_up(task, state)
        plan = redirect_plan((yield from self._plan(task, state, prior)), pronoun, prior)
        yield state.event(PlanReady, steps=plan.steps)
        evidence = yield from self._work(plan, state, prior, pronoun)
        yield from self._solve(task, plan, evidence, state)

    # -- planner -------------------------------------------------------------------------

    @property
    def messages(self) -> ReWOOMessages:
        return ReWOOMessages(self.tools, self.settings, self.prompts)

    def planner_examples(self) -> bool:
        """Few-shot turns in the planner prompt: ``auto`` drops them for a tuned planner."""
        choice = self.settings.get("planner.examples")
        if choice == "auto":
            return self.roles.planner.adapter is None
        return bool(choice == "on")

    def _plan(
        self, task: str, state: RunState, prior: dict[str, str]
    ) -> Generator[Event, None, Plan]:
        planner = self.roles.planner
        max_steps = self.settings.get("planner.max_steps")
        messages = self.messages.planner(task, examples=self.planner_examples())
        constraint = None
        if planner.supports_grammar:
            constraint = Grammar(
                plan_grammar(
                    self.messages.visible_tools(task).names,
                    max_steps,
                    self.settings.get("planner.max_line"),
                    len(prior),
                )
            )
        max_tokens = max_steps * (self.settings.get("planner.max_line") // 2 + 24)
        error: PlanError | None = None
        for _attempt in range(PLAN_RETRIES + 1):
            generation = planner.generate(
                messages,
                constraint=constraint,
                max_tokens=max_tokens,
                temperature=self.temperature,
                cancel=state.cancel,
            )
            yield from self.stream(generation, state, "planner", PlanDelta)
            text = generation.received
            if constraint is not None:
                text = complete_steps(text)
            try:
                return self._checked(parse_plan(text, self.tools.names, max_steps, prior))
            except PlanError as exc:
                error = exc
            messages = [
                *messages,
                {"role": "assistant", "content": text[:FEEDBACK_EXCERPT]},
                {
                    "role": "user",
                    "content": f"That plan cannot be used: {error}. Write the whole plan "
                    "again, only 'Plan:' and '#E<n> = tool[input]' lines.",
                },
            ]
        raise PlanError(f"the planner did not write a usable plan: {error}")

    def _checked(self, plan: Plan) -> Plan:
        """A follow-up's plan: earlier results reach text tools only (a code tool's data
        are its own steps' results, bound by name; ``#P`` is not one of them yet)."""
        for step in plan.steps:
            if step.prior and self.tools.get(step.tool).evidence_as != "text":
                raise PlanError(
                    f"#{step.id} = {step.tool}[…] names an earlier result "
                    f"(#{step.prior[0]}); {step.tool} takes only this plan's #E results"
                )
        return plan

    # -- distributor + worker -----------------------------------------------------------------

    def _work(
        self, plan: Plan, state: RunState, prior: dict[str, str], pronoun: dict[str, str]
    ) -> Generator[Event, None, dict[str, Evidence]]:
        runner = self.tool_runner(state)
        events: queue.SimpleQueue[Event | BaseException] = queue.SimpleQueue()
        results: dict[str, Evidence] = {}
        started: set[str] = set()
        running = 0
        limit = self.settings.get("worker.max_parallel")
        pool = ThreadPoolExecutor(max_workers=limit, thread_name_prefix=f"run-{state.run_id}")
        try:
            while len(results) < len(plan.steps):
                for step in plan.ready(results, started):
                    if running >= limit:
                        break
                    started.add(step.id)
                    blocked = [d for d in step.deps if results[d].status != "ok"]
                    if blocked:
                        skipped = state.event(
                            Evidence,
                            id=step.id,
                            status="skipped",
                            text=f"skipped: it needs #{blocked[0]}, which did not succeed",
                            seconds=0.0,
                        )
                        assert isinstance(skipped, Evidence)
                        results[step.id] = skipped
                        yield state.event(StepStarted, id=step.id)
                        yield skipped
                        continue
                    running += 1
                    yield state.event(StepStarted, id=step.id)
                    evidence_used = {d: results[d].text for d in step.deps}
                    evidence_used.update({p: prior[p] for p in step.prior})
                    earlier = (prior, pronoun)
                    pool.submit(self._step, step, evidence_used, earlier, runner, state, events)
                if len(results) == len(plan.steps):
                    break
                if running == 0:
                    continue
                try:
                    item = events.get(timeout=0.1)
                except queue.Empty:
                    state.check()
                    continue
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, Evidence):
                    results[item.id] = item
                    running -= 1
                yield item
                state.check()
        except RunCancelled:
            for step in plan.steps:
                if step.id not in results:
                    yield state.event(
                        Evidence,
                        id=step.id,
                        status="skipped",
                        text="skipped: cancelled",
                        seconds=0.0,
                    )
            raise
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return results

    def _step(
        self,
        step: PlanStep,
        evidence_used: dict[str, str],
        earlier: tuple[dict[str, str], dict[str, str]],
        runner: ToolRunner,
        state: RunState,
        events: queue.SimpleQueue[Event | BaseException],
    ) -> None:
        try:
            evidence_as = self.tools.get(step.tool).evidence_as
            steps_used = {k: v for k, v in evidence_used.items() if k not in step.prior}
            # an earlier turn's #P<k> stays a name until the call is made (bind)
            tool_input = step_input(step.input, steps_used, evidence_as)
            plan_line = f"Plan: {step.plan}\n{step.line()}"
            try:
                arguments = self.distribute(step, tool_input, state)
                prior, pronoun = earlier  # a follow-up's results, and a pronoun's redirect
                if prior and evidence_as == "text":
                    if step.prior and not names_kept(arguments):
                        # it never saw the text, so whatever it wrote instead is made up
                        raise ToolError(
                            f"the function caller left out #{step.prior[0]} "
                            f"(the earlier result this step uses) from the {step.tool} call"
                        )
                    arguments = self.tools.get(step.tool).validate(bind(arguments, prior, pronoun))
            except ToolError as exc:
                events.put(state.event(ToolCall, id=step.id, tool=step.tool, arguments={}))
                events.put(
                    state.event(
                        Evidence, id=step.id, status="error", text=f"error: {exc}", seconds=0.0
                    )
                )
                return
            events.put(
                runner.run(
                    step.id,
                    step.tool,
                    arguments,
                    events.put,
                    plan_line=plan_line,
                    evidence_used=evidence_used,
                )
            )
        except RunCancelled:
            events.put(
                state.event(
                    Evidence, id=step.id, status="skipped", text="skipped: cancelled", seconds=0.0
                )
            )
        except BaseException as exc:  # surfaced on the run's own thread
            events.put(exc)

    def distribute(self, step: PlanStep, tool_input: str, state: RunState) -> dict[str, Any]:
        """Turn ``tool[input]`` into exact arguments: fast path, or the caller model."""
        tool = self.tools.get(step.tool)
        argument = tool.fast_path_argument
        if argument and self.settings.get("distributor.fast_path"):
            return {argument: tool_input}
        caller = self.roles.caller
        constraint = JsonSchema(call_schema(tool)) if caller.supports_json_schema else None
        messages = self.messages.caller(step, tool_input)
        if step.prior:
            note = self.render("follow_up_caller", names=", ".join(f"#{p}" for p in step.prior))
            messages[-1] = {
                **messages[-1],
                "content": f"{messages[-1]['content'].rstrip()}\n{note}",
            }
        generation = caller.generate(
            messages,
            constraint=constraint,
            max_tokens=512,
            temperature=self.temperature,
            cancel=state.cancel,
        )
        text = self.complete(generation, state, "caller")
        return parse_call(text, tool)

    # -- solver ------------------------------------------------------------------------------

    def _solve(
        self, task: str, plan: Plan, evidence: dict[str, Evidence], state: RunState
    ) -> Iterator[Event]:
        generation = self.roles.solver.generate(
            self.messages.solver(
                task,
                plan,
                {k: e.text for k, e in evidence.items()},
                {k: e.status for k, e in evidence.items()},
            ),
            max_tokens=512,
            temperature=self.temperature,
            cancel=state.cancel,
        )
        guard = LoopGuard()
        pieces = self.stream(generation, state, "solver", AnswerDelta)
        try:
            for event in pieces:
                yield event
                # a small model repeating itself: stop paying for the repeats
                if isinstance(event, AnswerDelta) and guard.feed(event.text):
                    break
        finally:
            pieces.close()
        state.check()
        yield state.event(Answer, text=guard.kept())


def complete_steps(text: str) -> str:
    """Constrained output cut off by the token limit: keep the complete steps only.

    Everything after the last complete ``#E<n> = tool[input]`` line goes, so a cut that
    falls in a ``Plan:`` sentence (which may itself end in ``]``) never leaves a dangling
    ``Plan:`` line.
    """
    lines = text.split("\n")
    for end in range(len(lines), 0, -1):
        if STEP_LINE.fullmatch(lines[end - 1]):
            kept = "\n".join(lines[:end])
            return kept + "\n" if end < len(lines) else kept
    return text


def call_schema(tool: Tool) -> dict[str, Any]:
    """The JSON schema of a call to ``tool``: {"function": name, "arguments": {...}}."""
    return {
        "type": "object",
        "properties": {
            "function": {"type": "string", "enum": [tool.name]},
            "arguments": tool.parameters,
        },
        "required": ["function", "arguments"],
        "additionalProperties": False,
    }


def parse_call(text: str, tool: Tool) -> dict[str, Any]:
    """The arguments from a caller reply; ToolError when it is not a valid call of ``tool``."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ToolError(f"the function caller did not write a JSON call for {tool.name}")
    try:
        call = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise ToolError(
            f"the function caller's reply was not a valid call of {tool.name}: {json_problem(exc)}"
        ) from None
    if not isinstance(call, dict) or call.get("function") != tool.name:
        raise ToolError(f"the function caller did not call {tool.name}")
    return tool.validate(call.get("arguments"))
