"""Training examples per role, built with the product's own message builders.

``ReWOOMessages`` (the code the agent itself prompts with) turns synthetic scenarios and
function-call cases into ``Example`` objects, so what a role learns is byte for byte what it
is sent in use. The planner is trained without few-shot turns: a tuned planner is used
without them (setting ``planner.examples = auto``).
"""

from __future__ import annotations

import json
import random
from typing import Any

from app.agents.rewoo_messages import ReWOOMessages
from app.learn import synthetic
from app.learn.examples import Example
from app.plan import PlanStep, parse_plan
from app.prompts import Prompts
from app.settings import Settings
from app.tools.builtin import builtin_tools
from app.tools.registry import Tool, ToolRegistry

FAILED_SHARE = 0.12  # solver examples where a step failed: the answer must say so


def shipped_messages(tools: ToolRegistry | None = None) -> ReWOOMessages:
    """Default settings, the shipped prompt templates and the built-in tools."""
    settings = Settings()
    return ReWOOMessages(tools or builtin_tools(), settings, Prompts(None))


def planner_examples(n: int, seed: int, messages: ReWOOMessages | None = None) -> list[Example]:
    messages = messages or shipped_messages()
    out = []
    for scenario in synthetic.scenarios(n, seed):
        plan_text = scenario.plan_text()
        parse_plan(plan_text, messages.tools.names)  # a generator bug must not become data
        out.append(
            Example(
                "planner",
                messages.planner(scenario.task, examples=False),
                plan_text,
                meta={"family": scenario.family},
            )
        )
    return out


def solver_examples(n: int, seed: int, messages: ReWOOMessages | None = None) -> list[Example]:
    messages = messages or shipped_messages()
    rng = random.Random(seed + 1)
    out = []
    for scenario in synthetic.scenarios(n, seed):
        if rng.random() < FAILED_SHARE:
            scenario = synthetic.failed(rng, scenario)
        plan = parse_plan(scenario.plan_text(), messages.tools.names)
        evidence = {step.id: s.evidence for step, s in zip(plan.steps, scenario.steps, strict=True)}
        out.append(
            Example(
                "solver",
                messages.solver(scenario.task, plan, evidence),
                scenario.answer,
                meta={"family": scenario.family, "key": scenario.key_fact},
            )
        )
    return out


def call_text(tool: Tool, arguments: dict[str, Any]) -> str:
    """The call as the caller's schema constraint lets it be written: arguments in the
    grammar's order (required ones first, each group in schema order)."""
    props = list(tool.parameters.get("properties", {}))
    required = set(tool.parameters.get("required", []))
    order = [p for p in props if p in required] + [p for p in props if p not in required]
    ordered = {name: arguments[name] for name in order if name in arguments}
    return json.dumps({"function": tool.name, "arguments": ordered}, ensure_ascii=False)


def caller_examples(n: int, seed: int, messages: ReWOOMessages | None = None) -> list[Example]:
    from app.learn.functions import caller_cases

    base = messages or shipped_messages()
    builtins = base.tools
    rng = random.Random(seed + 2)
    out = []
    for case in caller_cases(n, seed):
        if case.tool.name in builtins.names:
            registry = builtins  # the product's own functions block
        else:
            # at most one other function: the functions block is most of the prompt and
            # training time goes with its length
            listed = [case.tool, *case.distractors[: rng.randint(0, 1)]]
            rng.shuffle(listed)
            registry = ToolRegistry(listed)
        view = ReWOOMessages(registry, base.settings, base.prompts)
        step = PlanStep(id="E1", plan=case.plan, tool=case.tool.name, input=case.request)
        out.append(
            Example(
                "caller",
                view.caller(step, case.request),
                call_text(case.tool, case.arguments),
                meta={"function": case.tool.name},
            )
        )
    return out


def synthetic_examples(role: str, n: int, seed: int) -> list[Example]:
    builders = {"planner": planner_examples, "caller": caller_examples, "solver": solver_examples}
    return builders[role](n, seed)
