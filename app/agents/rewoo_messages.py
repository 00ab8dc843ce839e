"""The messages ReWOO sends to its three roles, built without any model.

The agent uses these at inference and ``app.learn`` uses the very same functions to build
training data, so a fine-tuned adapter sees at training time exactly what it will see in
use (same templates, same tool listing, same evidence layout).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from app.errors import PlanError
from app.llm.base import Message
from app.plan import Plan, PlanStep, parse_plan
from app.prompts import Prompts
from app.settings import Settings
from app.text import elide, one_line
from app.tools import ranking
from app.tools.ranking import builtin_names, relevant_tools
from app.tools.registry import Tool, ToolRegistry

# how the caller is told about the names code tools get for earlier results
_EVIDENCE_NAMES = {"python": ("Python variables", "{}"), "sql": ("SQL parameters", ":{}")}
# the evidence of a step that gave no result, as the solver reads it
NO_RESULT = {
    "error": "no result — the {tool} call failed: {reason}",
    "denied": "no result — the {tool} call was not allowed: {reason}",
    "skipped": "no result — the {tool} call was not made: {reason}",
}
REASON_CHARS = 200
_EXAMPLE = re.compile(r"^### Task\n(.*?)\n### Plan\n(.*?)(?=^### Task\n|\Z)", re.M | re.S)


class ReWOOMessages:
    """Prompt builders for planner, caller and solver over one tool registry."""

    def __init__(self, tools: ToolRegistry, settings: Settings, prompts: Prompts):
        self.tools = tools
        self.settings = settings
        self.prompts = prompts

    def planner(self, task: str, *, examples: bool = True) -> list[Message]:
        """System prompt with the tool list, optional few-shot turns, then the task."""
        max_steps = self.settings.get("planner.max_steps")
        listed = self.visible_tools(task)
        tools = "\n".join(f"{t.name}[input]: {t.description}" for t in listed)
        messages: list[Message] = [
            {
                "role": "system",
                "content": self.prompts.get("rewoo_planner").render(
                    tools=tools, max_steps=max_steps
                ),
            }
        ]
        if examples:
            text = self.prompts.get("rewoo_planner_examples").text
            for example_task, example_plan in _EXAMPLE.findall(text):
                try:
                    parse_plan(example_plan, self.tools.names)
                except PlanError:
                    continue  # an example that uses a tool this run does not have
                messages.append({"role": "user", "content": example_task.strip()})
                messages.append({"role": "assistant", "content": example_plan.strip() + "\n"})
        messages.append({"role": "user", "content": task.strip()})
        return messages

    def visible_tools(self, task: str) -> ToolRegistry:
        """The tools the planner is offered for ``task`` (all of them up to ``LIMIT``)."""
        return relevant_tools(self.tools, task, builtin_names())

    def caller(self, step: PlanStep, tool_input: str) -> list[Message]:
        """The functions block (every tool as JSON) and the step to turn into a call.

        For a code tool whose input refers to earlier results, a note says that those are
        variables or parameters to keep as written (their values never enter the input).
        """
        # many tools: the caller is shown only the one it must call (its output is held to
        # that tool's schema anyway); up to LIMIT, every tool as the adapters were trained
        few = len(self.tools) <= ranking.LIMIT
        listed = list(self.tools) if few else [self.tools.get(step.tool)]
        functions = "\n".join(json.dumps(function_listing(t), ensure_ascii=False) for t in listed)
        ask = self.prompts.get("rewoo_caller_step").render(
            plan=step.plan, tool=step.tool, input=tool_input
        )
        evidence_as = self.tools.get(step.tool).evidence_as
        if evidence_as in _EVIDENCE_NAMES and step.deps:
            kind, form = _EVIDENCE_NAMES[evidence_as]
            names = ", ".join(form.format(d) for d in step.deps)
            note = self.prompts.get("rewoo_caller_evidence").render(names=names, kind=kind)
            ask = f"{ask.rstrip()}\n{note.strip()}"
        return [
            {
                "role": "system",
                "content": self.prompts.get("rewoo_caller").render(functions=functions),
            },
            {"role": "user", "content": ask},
        ]

    def solver(
        self,
        task: str,
        plan: Plan,
        evidence: Mapping[str, str],
        statuses: Mapping[str, str] | None = None,
    ) -> list[Message]:
        """The task, each plan line with its evidence (trimmed to the budget), the ask.

        A step that failed, was denied or skipped has no result, and its evidence says so
        in words (``no result — the web_search call failed: …``); the ask then names those
        steps and says not to make their results up. ``statuses``: each step's evidence
        status; without them (training data) a status is read from the text's
        ``error:``/``denied:``/``skipped:`` prefix. When every step succeeded the messages
        are exactly what they always were: the adapters were trained on them.
        """
        budget = self.settings.get("solver.evidence_budget")
        blocks = []
        missing = []
        for step in plan.steps:
            text = evidence.get(step.id, "(no evidence)")
            status = (statuses or {}).get(step.id) or evidence_status(text)
            if status in NO_RESULT:
                missing.append(f"#{step.id}")
                text = no_result(step.tool, status, text)
            elif len(text) > budget:
                text = text[:budget] + f" … [trimmed: {len(text) - budget:,} more characters]"
            blocks.append(f"Plan: {step.plan}\n{step.line()}\nEvidence: {text}")
        ask = self.prompts.get("rewoo_solver_task").render(
            task=task.strip(), evidence="\n\n".join(blocks)
        )
        if missing:
            note = self.prompts.get("rewoo_solver_missing").render(names=", ".join(missing))
            ask = f"{ask.rstrip()}\n{note}"  # the template's own line end, as without it
        return [
            {"role": "system", "content": self.prompts.get("rewoo_solver").render()},
            {"role": "user", "content": ask},
        ]


def evidence_status(text: str) -> str:
    """A step's status as its evidence text shows it (the worker's prefixes)."""
    head = text.split(":", 1)[0]
    return head if head in NO_RESULT else "ok"


def no_result(tool: str, status: str, text: str) -> str:
    """A failed, denied or skipped step's evidence as the solver reads it: that there is
    no result, why, in one line."""
    reason = one_line(text)
    if reason.startswith(f"{status}:"):
        reason = reason[len(status) + 1 :].strip()
    reason = elide(reason, REASON_CHARS)
    return NO_RESULT[status].format(tool=tool, reason=reason or "no reason given")


def function_listing(tool: Tool) -> dict[str, object]:
    """One tool as the caller's functions block lists it: name, description, arguments."""
    return {
        "name": tool.name,
        "description": tool.description,
        "arguments": [
            {
                "name": n,
                "type": s.get("type", "any"),
                "description": s.get("description", ""),
            }
            for n, s in tool.parameters.get("properties", {}).items()
        ],
    }
