"""AutoGPT: a goal-driven loop whose every reply is one JSON object with one command.

Each reply holds the model's thoughts (text, reasoning, plan, criticism) and a command:
a tool with its arguments, or ``finish`` with the answer. On backends that take a JSON
schema the reply is decoded under one that admits only the registry's tools with their
own argument schemas (strings bounded, so a reply always fits its token limit); elsewhere
a reply that does not parse is fed back with the error, at most ``REPLY_RETRIES`` times in
a row. Two limits end a run that does not finish: ``autogpt.max_steps`` commands (after
the last one the model must finish, constrained to it where possible) and
``autogpt.max_tokens`` tokens spent, checked before each reply.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from app.conversation import bind
from app.errors import PlanError, SmartAgentError, ToolError
from app.events import Answer, AnswerDelta, Event, Thought
from app.llm.base import JsonSchema, Message
from app.tools.registry import Tool, ToolRegistry

from .base import Agent, RunState
from .json_words import json_problem
from .steps import act, known, spent, trim

FINISH = "finish"
FINISH_ARGUMENTS: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "string", "description": "the final answer to the goal"}},
    "required": ["answer"],
    "additionalProperties": False,
}
THOUGHT_KEYS = ("text", "reasoning", "plan", "criticism")
THOUGHT_CHARS = 200  # per thought field, under the schema
ARGUMENT_CHARS = 400  # per string argument, under the schema
REPLY_TOKENS = 768
REPLY_RETRIES = 2
FEEDBACK_EXCERPT = 2000


@dataclass(frozen=True)
class Reply:
    thoughts: dict[str, str]
    command: str
    arguments: dict[str, Any]

    def text(self) -> str:
        """The reply as the history keeps it: canonical JSON, whatever surrounded it."""
        return json.dumps(
            {
                "thoughts": self.thoughts,
                "command": {"name": self.command, "arguments": self.arguments},
            },
            ensure_ascii=False,
        )

    def thought(self) -> str:
        labels = {
            "text": "",
            "reasoning": "Reasoning: ",
            "plan": "Plan: ",
            "criticism": "Criticism: ",
        }
        return "\n".join(
            labels[k] + self.thoughts[k].strip()
            for k in THOUGHT_KEYS
            if self.thoughts.get(k, "").strip()
        )


class AutoGPTAgent(Agent):
    name = "autogpt"

    def _run(self, task: str, state: RunState) -> Iterator[Event]:
        max_steps = self.settings.get("autogpt.max_steps")
        max_tokens = self.settings.get("autogpt.max_tokens")
        budget = self.settings.get("solver.evidence_budget")
        runner = self.tool_runner(state)
        tools = commands(self.tools)
        names = [t.name for t in tools] + [FINISH]
        schemas: tuple[JsonSchema | None, JsonSchema | None] = (None, None)
        if self.roles.planner.supports_json_schema:
            schemas = (
                JsonSchema(reply_schema(tools, finish_only=False)),
                JsonSchema(reply_schema(tools, finish_only=True)),
            )
        task, prior, pronoun = self.follow_up(task, state)  # a follow-up reads earlier turns
        messages = self.messages(task, tools)
        read: dict[str, str] = {}  # the results so far: what the next command may rest on
        steps = failures = 0
        while True:
            state.check()  # before the next prompt is read in, which takes a while
            used = spent(state)
            if used >= max_tokens:
                raise SmartAgentError(
                    f"AutoGPT spent its token budget ({used:,} of {max_tokens:,} tokens) "
                    "without finishing"
                )
            last = steps >= max_steps
            # LoRA adapters are trained on ReWOO's formats; this loop writes its own
            generation = self.roles.planner.without_adapter().generate(
                messages,
                constraint=schemas[last],
                max_tokens=REPLY_TOKENS,
                temperature=self.temperature,
                cancel=state.cancel,
            )
            text = self.complete(generation, state, "planner")
            try:
                reply = parse_reply(text, names)
            except PlanError as exc:
                failures += 1
                if failures > REPLY_RETRIES:
                    raise PlanError(
                        f"the model did not write a usable AutoGPT reply: {exc}"
                    ) from None
                messages = [
                    *messages,
                    {"role": "assistant", "content": text[:FEEDBACK_EXCERPT]},
                    {"role": "user", "content": self.render("autogpt_retry", error=exc)},
                ]
                continue
            failures = 0
            thought = reply.thought()
            if thought:
                yield state.event(Thought, text=thought)
            if reply.command == FINISH:
                answer = str(reply.arguments["answer"]).strip()
                yield state.event(AnswerDelta, text=answer)  # whole: it sits inside JSON
                yield state.event(Answer, text=answer)
                return
            if last:
                raise SmartAgentError(
                    f"AutoGPT reached its step limit (autogpt.max_steps = {max_steps}) "
                    "without finishing"
                )
            steps += 1
            arguments: dict[str, Any] | ToolError = reply.arguments
            tool = self.tools.get(reply.command)
            if prior and tool.evidence_as == "text":
                try:
                    arguments = tool.validate(bind(reply.arguments, prior, pronoun))
                except ToolError as exc:
                    arguments = exc
            evidence = yield from act(
                runner,
                state,
                f"E{steps}",
                reply.command,
                arguments,
                reply.text(),
                known(tool, prior, read),
            )
            if evidence.status == "ok":
                read[evidence.id] = evidence.text
            result = self.render(
                "autogpt_result",
                command=reply.command,
                status=evidence.status,
                result=trim(evidence.text, budget),
            )
            if steps >= max_steps:
                result += "\n\n" + self.render("autogpt_last_turn", max_steps=max_steps)
            messages = [
                *messages,
                {"role": "assistant", "content": reply.text()},
                {"role": "user", "content": result},
            ]

    def messages(self, task: str, tools: list[Tool]) -> list[Message]:
        lines = [command_line(t.name, t.description, t.parameters) for t in tools]
        lines.append(
            command_line(FINISH, "End the run with the final answer to the goal.", FINISH_ARGUMENTS)
        )
        system = self.render(
            "autogpt_system",
            commands="\n".join(lines),
            max_steps=self.settings.get("autogpt.max_steps"),
        )
        return [
            {"role": "system", "content": system},
            {"role": "user", "content": self.render("autogpt_task", task=task.strip())},
        ]


def commands(tools: ToolRegistry) -> list[Tool]:
    """The tools a reply may name; a user tool called ``finish`` would be shadowed."""
    return [t for t in tools if t.name != FINISH]


def command_line(name: str, description: str, parameters: dict[str, Any]) -> str:
    required = set(parameters.get("required", []))
    arguments = {
        n: f"{s.get('type', 'value')}{'' if n in required else ', optional'}"
        + (f": {s['description']}" if s.get("description") else "")
        for n, s in parameters.get("properties", {}).items()
    }
    return f"- {name}: {description} Arguments: {json.dumps(arguments, ensure_ascii=False)}"


def bounded(schema: dict[str, Any], limit: int) -> dict[str, Any]:
    """``schema`` with every string that has no length limit given ``limit`` characters."""
    schema = copy.deepcopy(schema)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and "maxLength" not in node and "enum" not in node:
                node["maxLength"] = limit
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schema)
    return schema


def reply_schema(tools: list[Tool], *, finish_only: bool) -> dict[str, Any]:
    """The JSON schema of one reply: thoughts, and one command with its own arguments."""

    def command(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "name": {"const": name},
                "arguments": bounded(arguments, ARGUMENT_CHARS),
            },
            "required": ["name", "arguments"],
            "additionalProperties": False,
        }

    options = [] if finish_only else [command(t.name, t.parameters) for t in tools]
    options.append(command(FINISH, FINISH_ARGUMENTS))
    return {
        "type": "object",
        "properties": {
            "thoughts": {
                "type": "object",
                "properties": {
                    k: {"type": "string", "maxLength": THOUGHT_CHARS} for k in THOUGHT_KEYS
                },
                "required": list(THOUGHT_KEYS),
                "additionalProperties": False,
            },
            "command": options[0] if len(options) == 1 else {"anyOf": options},
        },
        "required": ["thoughts", "command"],
        "additionalProperties": False,
    }


def parse_reply(text: str, names: Collection[str]) -> Reply:
    """One reply; PlanError with a reason the model (and a person) can act on."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise PlanError("the reply holds no JSON object")
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise PlanError(f"the reply is not valid JSON: {json_problem(exc)}") from None
    command = data.get("command")  # data is a dict: the text ran from "{" to "}"
    if not isinstance(command, dict) or not isinstance(command.get("name"), str):
        raise PlanError('the reply has no "command" object with a "name"')
    name = command["name"].strip()
    arguments = command.get("arguments", {})
    if not isinstance(arguments, dict):
        raise PlanError(f'the "arguments" of {name or "the command"} must be a JSON object')
    if name not in names:
        shown = name if len(name) <= 60 else name[:59] + "…"
        raise PlanError(f"unknown command '{shown}' (known commands: {', '.join(names)})")
    if name == FINISH and not (
        isinstance(arguments.get("answer"), str) and arguments["answer"].strip()
    ):
        raise PlanError('finish needs a non-empty "answer" argument')
    raw = data.get("thoughts")
    thoughts = (
        {k: v for k, v in raw.items() if k in THOUGHT_KEYS and isinstance(v, str)}
        if isinstance(raw, dict)
        else {}
    )
    return Reply(thoughts, name, arguments)
