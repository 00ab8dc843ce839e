"""ReAct: think, act, observe, repeat, then answer (Thought / Action / Action Input loop).

Unlike ReWOO, the model reads every observation before its next move, so each turn
re-sends the whole transcript: that is what ReWOO's paper measures against. Each turn is
decoded under a grammar on backends that allow one (the tool names of the registry, one
line each for thought and input), so it always parses; elsewhere a turn that does not
parse is fed back with the error, at most ``TURN_RETRIES`` times in a row. Every action
is a step (step_started, tool_call, evidence) through the same worker and approval gate
as ReWOO. After ``react.max_steps`` actions the model gets one more turn, constrained to
a final answer where possible; a model that still asks for a tool fails the run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Generator, Iterator
from dataclasses import dataclass
from typing import Any

from app.conversation import bind
from app.errors import PlanError, SmartAgentError, ToolError
from app.events import Answer, AnswerDelta, Event, Thought
from app.llm.base import Grammar, Message
from app.tools.registry import Tool, ToolRegistry

from .base import Agent, RunState
from .json_words import json_problem
from .steps import act, known, trim

TURN_RETRIES = 2
TURN_TOKENS = 512
FEEDBACK_EXCERPT = 2000
STOP = ("\nObservation:",)  # an unconstrained model would go on to invent the result

_FINAL = re.compile(r"^[ \t]*Final Answer[ \t]*:", re.M | re.I)
_THOUGHT = re.compile(r"^\s*Thought\s*:\s*", re.I)
_ACTION = re.compile(r"^[ \t]*Action[ \t]*:[ \t]*(.*?)[ \t]*$", re.M | re.I)
_INPUT = re.compile(r"^[ \t]*Action Input[ \t]*:[ \t]*(.*)", re.M | re.I | re.S)
_OBSERVATION = re.compile(r"^[ \t]*Observation[ \t]*:", re.M | re.I)
_EXAMPLE_TURN = re.compile(r"^(Question|Observation):\s*(.*)$")


@dataclass(frozen=True)
class Turn:
    """One parsed model turn: a thought and either an action or the final answer."""

    thought: str
    tool: str | None = None
    input: str = ""
    answer: str | None = None

    def text(self) -> str:
        """The turn as the transcript keeps it (whatever the model wrote after it dropped)."""
        head = f"Thought: {self.thought}\n"
        if self.answer is not None:
            return f"{head}Final Answer: {self.answer}"
        return f"{head}Action: {self.tool}\nAction Input: {self.input}"


class ReActAgent(Agent):
    name = "react"

    def _run(self, task: str, state: RunState) -> Iterator[Event]:
        max_steps = self.settings.get("react.max_steps")
        budget = self.settings.get("solver.evidence_budget")
        runner = self.tool_runner(state)
        grammars: tuple[Grammar | None, Grammar | None] = (None, None)
        if self.roles.planner.supports_grammar:
            line = self.settings.get("planner.max_line")
            grammars = (
                Grammar(turn_grammar(self.tools, final_only=False, max_line=line)),
                Grammar(turn_grammar(self.tools, final_only=True, max_line=line)),
            )
        task, prior, pronoun = self.follow_up(task, state)  # a follow-up reads earlier turns
        messages = self.messages(task)
        read: dict[str, str] = {}  # the observations so far: what the next call may rest on
        steps = failures = 0
        while True:
            state.check()  # before the next prompt is read in, which takes a while
            last = steps >= max_steps
            text, thought_shown = yield from self._turn(messages, grammars[last], state)
            try:
                turn = parse_turn(text, self.tools.names)
            except PlanError as exc:
                failures += 1
                if failures > TURN_RETRIES:
                    raise PlanError(f"the model did not write a usable ReAct turn: {exc}") from None
                messages = [
                    *messages,
                    {"role": "assistant", "content": text[:FEEDBACK_EXCERPT]},
                    {"role": "user", "content": self.render("react_retry", error=exc)},
                ]
                continue
            failures = 0
            if turn.thought and not thought_shown:
                yield state.event(Thought, text=turn.thought)
            if turn.answer is not None:
                yield state.event(Answer, text=turn.answer)
                return
            if last:
                raise SmartAgentError(
                    f"ReAct reached its step limit (react.max_steps = {max_steps}) "
                    "without a final answer"
                )
            steps += 1
            tool = self.tools.get(str(turn.tool))
            arguments: dict[str, Any] | ToolError
            try:
                arguments = action_arguments(tool, turn.input)
                if prior and tool.evidence_as == "text":
                    arguments = tool.validate(bind(arguments, prior, pronoun))
            except ToolError as exc:
                arguments = exc
            evidence = yield from act(
                runner,
                state,
                f"E{steps}",
                tool.name,
                arguments,
                turn.text(),
                known(tool, prior, read),
            )
            if evidence.status == "ok":
                read[evidence.id] = evidence.text
            observation = self.render("react_observation", observation=trim(evidence.text, budget))
            if steps >= max_steps:
                observation += "\n\n" + self.render("react_last_turn", max_steps=max_steps)
            messages = [
                *messages,
                {"role": "assistant", "content": turn.text()},
                {"role": "user", "content": observation},
            ]

    # -- prompt ---------------------------------------------------------------------------

    def messages(self, task: str) -> list[Message]:
        tools = "\n".join(tool_line(t) for t in self.tools)
        system = self.render(
            "react_system",
            tools=tools,
            tool_names=", ".join(self.tools.names),
            max_steps=self.settings.get("react.max_steps"),
        )
        return [
            {"role": "system", "content": system},
            *example_messages(self.prompts.get("react_example").text, self.tools.names),
            {"role": "user", "content": task.strip()},
        ]

    # -- one turn -------------------------------------------------------------------------

    def _turn(
        self, messages: list[Message], grammar: Grammar | None, state: RunState
    ) -> Generator[Event, None, tuple[str, bool]]:
        """Generate one turn; once it says "Final Answer:", stream the rest as answer deltas.

        Returns the turn's text and whether its thought was already shown (it is, just
        before the answer starts streaming).
        """
        # LoRA adapters are trained on ReWOO's formats; this loop writes its own
        generation = self.roles.planner.without_adapter().generate(
            messages,
            constraint=grammar,
            max_tokens=TURN_TOKENS,
            temperature=self.temperature,
            stop=STOP,
            cancel=state.cancel,
        )
        answer_at = -1
        shown = 0
        thought_shown = False
        try:
            for _ in generation:
                state.check()
                text = generation.received
                if answer_at < 0:
                    marker = _FINAL.search(text)
                    if marker is None:
                        continue
                    answer_at = marker.end()
                    thought = _thought(text[: marker.start()])
                    if thought:
                        yield state.event(Thought, text=thought)
                        thought_shown = True
                answer = text[answer_at:].lstrip()
                if len(answer) > shown:
                    yield state.event(AnswerDelta, text=answer[shown:])
                    shown = len(answer)
        finally:
            generation.close()
            state.account("planner", generation.usage)
        state.check()
        return generation.received, thought_shown


# -- the turn format ----------------------------------------------------------------------


def _thought(text: str) -> str:
    return " ".join(_THOUGHT.sub("", text, count=1).split())


def parse_turn(text: str, tools: Collection[str]) -> Turn:
    """Parse one turn; PlanError with a reason the model (and a person) can act on."""
    observation = _OBSERVATION.search(text)
    if observation:
        text = text[: observation.start()]
    final = _FINAL.search(text)
    if final:
        answer = text[final.end() :].strip()
        if not answer:
            raise PlanError("the Final Answer is empty")
        return Turn(_thought(text[: final.start()]), answer=answer)
    action = _ACTION.search(text)
    if action is None:
        raise PlanError(
            "expected 'Action: <tool>' with 'Action Input: <input>', or 'Final Answer: <answer>'"
        )
    name = action.group(1).strip().strip("`'\"")
    if name not in tools:
        shown = name if len(name) <= 60 else name[:59] + "…"
        raise PlanError(f"unknown tool '{shown}' (known tools: {', '.join(sorted(tools))})")
    given = _INPUT.search(text, action.end())
    if given is None:
        raise PlanError(f"'Action: {name}' has no 'Action Input:' line after it")
    return Turn(_thought(text[: action.start()]), tool=name, input=given.group(1).strip())


def action_arguments(tool: Tool, text: str) -> dict[str, Any]:
    """The tool's arguments from an Action Input: a JSON object, or the one string it takes."""
    text = text.strip()
    argument = tool.fast_path_argument
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            if not argument:
                raise ToolError(
                    f"the Action Input for {tool.name} is not valid JSON: {json_problem(exc)}"
                ) from None
        else:
            if isinstance(value, dict):
                return value
    if not text and not tool.parameters.get("required"):
        return {}
    if argument:
        return {argument: text}
    names = ", ".join(tool.parameters.get("properties", {}))
    raise ToolError(
        f"the Action Input for {tool.name} must be a JSON object of its arguments ({names})"
    )


def tool_line(tool: Tool) -> str:
    """A tool as the ReAct prompt lists it, with the form its Action Input takes."""
    argument = tool.fast_path_argument
    if argument:
        spec = tool.parameters["properties"][argument]
        takes = f"<{spec.get('description') or argument}>"
    else:
        properties = tool.parameters.get("properties", {})
        required = set(tool.parameters.get("required", []))
        fields = ", ".join(
            f'"{n}"{"" if n in required else " (optional)"}: {s.get("type", "value")}'
            for n, s in properties.items()
        )
        takes = f"a JSON object {{{fields}}}"
    return f"- {tool.name}: {tool.description} Action Input: {takes}"


def example_messages(text: str, tools: Collection[str]) -> list[Message]:
    """The few-shot example as chat turns; left out if it uses a tool this run lacks."""
    messages: list[Message] = []
    turn: list[str] = []

    def close_turn() -> None:
        if turn:
            messages.append({"role": "assistant", "content": "\n".join(turn).strip()})
            turn.clear()

    for line in text.strip().splitlines():
        heading = _EXAMPLE_TURN.match(line)
        if heading:
            close_turn()
            content = heading.group(2) if heading.group(1) == "Question" else line
            messages.append({"role": "user", "content": content})
            continue
        action = _ACTION.match(line)
        if action and action.group(1).strip() not in tools:
            return []
        turn.append(line)
    close_turn()
    return messages


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)


def turn_grammar(tools: ToolRegistry, *, final_only: bool, max_line: int = 200) -> str:
    """A GBNF grammar admitting exactly the turns ``parse_turn`` accepts for ``tools``.

    A tool that takes one string gets a free line as input; any other a line that starts
    with ``{`` and ends with ``}`` (its JSON arguments, checked against its schema when
    called). The turn may end right after the input: a model that wants to stop there
    must not be pushed into filling the line. ``final_only``: the turn after the last
    allowed action. ``max_line`` bounds a thought or an input, as it bounds a plan line.
    """
    names = [t.name for t in tools]
    if not names and not final_only:
        raise ValueError("a ReAct grammar needs at least one tool")
    rules = [
        f"line ::= [^\\r\\n] [^\\r\\n]{{0,{max_line - 1}}}",
        f'json ::= "{{" [^\\r\\n]{{0,{max_line - 2}}} "}}"',
        'final ::= "Final Answer: " [^\\r\\n]+',
    ]
    if final_only:
        rules.insert(0, 'root ::= "Thought: " line "\\n" final')
        return "\n".join(rules) + "\n"
    calls = []
    for n, t in enumerate(tools):
        value = "line" if t.fast_path_argument else "json"
        calls.append(f"call{n}")
        rules.append(f'call{n} ::= {_literal(t.name)} "\\nAction Input: " {value} "\\n"?')
    rules.insert(0, 'root ::= "Thought: " line "\\n" (action | final)')
    rules.insert(1, f'action ::= "Action: " ({" | ".join(calls)})')
    return "\n".join(rules) + "\n"
