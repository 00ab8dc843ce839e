"""The ReWOO plan format: parse, validate, dependency graph, and a grammar for it.

A plan is one or more pairs of lines::

    Plan: <one sentence saying what this step finds out>
    #E<n> = <tool_name>[<input>]

The input runs to the last ``]`` of its line and may mention earlier results as
``#E<k>`` (k < n) and, in a follow-up, results of earlier turns as ``#P<k>`` (see
``app.conversation``). Every mistake raises ``PlanError`` with a sentence a person can act on.
``plan_grammar`` builds a llama.cpp GBNF grammar that only admits valid plans for a given
tool list, step limit and line length, so constrained decoding always parses.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.errors import PlanError
from app.text import truncate

MAX_STEP_ID = 10_000
MAX_INPUT = 10_000  # characters; longer inputs are runaway output, not a plan
_EXCERPT = 80

_PLAN_LINE = re.compile(r"\s*plan\s*:(.*)", re.IGNORECASE)
STEP_LINE = re.compile(r"\s*#E(\d+)\s*=\s*([^\s\[\]]+)\s*\[(.*)\]\s*")
_STEP_START = re.compile(r"\s*#E\d*")
REFERENCE = re.compile(r"#E(\d+)")
PRIOR = re.compile(r"#P(\d+)")  # a result of an earlier turn of the conversation


@dataclass(frozen=True)
class PlanStep:
    id: str  # "E1"
    plan: str
    tool: str
    input: str
    deps: tuple[str, ...] = ()
    prior: tuple[str, ...] = ()  # earlier turns' results it uses: "P1", …

    @property
    def number(self) -> int:
        return int(self.id[1:])

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "plan": self.plan,
            "tool": self.tool,
            "input": self.input,
            "deps": list(self.deps),
        }
        if self.prior:  # only a follow-up's steps have it; a fresh plan reads as it did
            data["prior"] = list(self.prior)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanStep:
        return cls(
            id=str(data["id"]),
            plan=str(data.get("plan", "")),
            tool=str(data["tool"]),
            input=str(data.get("input", "")),
            deps=tuple(str(d) for d in data.get("deps", ())),
            prior=tuple(str(p) for p in data.get("prior", ())),
        )

    def line(self) -> str:
        return f"#{self.id} = {self.tool}[{self.input}]"


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlanStep, ...]

    def ready(self, done: Collection[str], started: Collection[str]) -> list[PlanStep]:
        """Steps not yet started whose dependencies are all done."""
        return [
            step
            for step in self.steps
            if step.id not in started and all(dep in done for dep in step.deps)
        ]

    def text(self) -> str:
        return "\n".join(f"Plan: {s.plan}\n{s.line()}" for s in self.steps)


def _excerpt(text: str) -> str:
    return truncate(text.strip(), _EXCERPT)


def parse_plan(
    text: str,
    tools: Collection[str],
    max_steps: int | None = None,
    prior: Collection[str] = (),
) -> Plan:
    """Parse and validate planner output; raise PlanError with a readable reason.

    ``prior``: the earlier turns' results a follow-up may use (``"P1"``, …); without it
    ``#P`` is plain text, as it always was.
    """
    if not isinstance(text, str):
        raise PlanError("the planner returned no text")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    steps: list[PlanStep] = []
    seen: set[int] = set()
    pending_plan: str | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        plan_match = _PLAN_LINE.fullmatch(line)
        if plan_match:
            if pending_plan is not None:
                raise PlanError(f"line {number}: a 'Plan:' line must be followed by a #E step")
            pending_plan = plan_match.group(1).strip()
            continue
        step_match = STEP_LINE.fullmatch(line)
        if step_match is None:
            if _STEP_START.match(line):
                raise PlanError(
                    f"line {number}: a step must look like '#E1 = tool[input]', "
                    f"not '{_excerpt(line)}'"
                )
            raise PlanError(
                f"line {number}: expected 'Plan: …' or '#E<n> = tool[input]', "
                f"got '{_excerpt(line)}'"
            )
        if pending_plan is None:
            raise PlanError(f"line {number}: step '{_excerpt(line)}' has no 'Plan:' line before it")
        steps.append(_step(step_match, pending_plan, number, seen, tools, prior))
        pending_plan = None
        if max_steps is not None and len(steps) > max_steps:
            raise PlanError(f"the plan has more than {max_steps} steps")
    if pending_plan is not None:
        raise PlanError("the last 'Plan:' line has no #E step after it")
    if not steps:
        raise PlanError("the planner wrote no steps (expected 'Plan: …' and '#E1 = tool[input]')")
    return Plan(tuple(steps))


def _step(
    match: re.Match[str],
    plan: str,
    line: int,
    seen: set[int],
    tools: Collection[str],
    prior: Collection[str] = (),
) -> PlanStep:
    digits, tool, tool_input = match.group(1), match.group(2), match.group(3).strip()
    if len(digits) > len(str(MAX_STEP_ID)) or int(digits) > MAX_STEP_ID:
        raise PlanError(f"line {line}: step id #E{_excerpt(digits)} is too large")
    n = int(digits)
    if len(tool_input) > MAX_INPUT:
        raise PlanError(f"line {line}: the input of #E{n} is longer than {MAX_INPUT:,} characters")
    if n < 1:
        raise PlanError(f"line {line}: step ids start at #E1, not #E{n}")
    if n in seen:
        raise PlanError(f"line {line}: step id #E{n} is used twice")
    if seen and n < max(seen):
        raise PlanError(f"line {line}: step #E{n} comes after #E{max(seen)}; ids must increase")
    if tool not in tools:
        known = ", ".join(sorted(tools)) or "none"
        raise PlanError(f"line {line}: unknown tool '{_excerpt(tool)}' (known tools: {known})")
    deps: list[str] = []
    for ref in REFERENCE.findall(tool_input):
        k = int(ref) if len(ref) <= 6 else MAX_STEP_ID + 1
        if k == n:
            raise PlanError(f"line {line}: step #E{n} refers to its own result")
        if k not in seen:
            later = "a later step" if k > n else "a step that does not exist"
            raise PlanError(f"line {line}: step #E{n} refers to #E{_excerpt(ref)}, {later}")
        if f"E{k}" not in deps:
            deps.append(f"E{k}")
    used = prior_used(tool_input, prior, f"line {line}: step #E{n}")
    seen.add(n)
    return PlanStep(
        id=f"E{n}", plan=plan, tool=tool, input=tool_input, deps=tuple(deps), prior=used
    )


def prior_used(text: str, prior: Collection[str], where: str) -> tuple[str, ...]:
    """The earlier turns' results ``text`` names; PlanError for one that was not offered."""
    if not prior:
        return ()
    used: list[str] = []
    for ref in PRIOR.findall(text):
        name = f"P{ref}"
        if name not in prior:
            offered = ", ".join(f"#{p}" for p in prior)
            raise PlanError(f"{where} refers to #{_excerpt(name)}; earlier results: {offered}")
        if name not in used:
            used.append(name)
    return tuple(used)


def substitute(text: str, evidence: Mapping[str, str]) -> str:
    """Replace each ``#E<k>`` in ``text`` by the evidence of step Ek (and each ``#P<k>``
    by the earlier turn's result P<k>, when ``evidence`` holds it)."""

    def replace(match: re.Match[str]) -> str:
        return evidence.get(f"E{match.group(1)}", match.group(0))

    def replace_prior(match: re.Match[str]) -> str:
        return evidence.get(f"P{match.group(1)}", match.group(0))

    text = REFERENCE.sub(replace, text)
    if any(name.startswith("P") for name in evidence):
        text = PRIOR.sub(replace_prior, text)
    return text


# -- grammar ----------------------------------------------------------------------------


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plan_grammar(
    tools: Iterable[str], max_steps: int = 8, max_line: int = 200, prior: int = 0
) -> str:
    """A GBNF grammar admitting exactly plans that ``parse_plan`` accepts.

    Step n may reference #E1..#E(n-1) only (and #P1..#P<prior>, a follow-up's earlier
    results); a reference is never followed by a digit (so
    #E1 cannot become #E10); ``]`` and ``#`` otherwise do not occur in an input; each
    line's free text is bounded by ``max_line`` characters.
    """
    names = sorted(set(tools))
    if not names:
        raise ValueError("a plan grammar needs at least one tool")
    if max_steps < 1:
        raise ValueError("max_steps must be at least 1")
    text_len = max(1, max_line - len("Plan: "))
    rules = [
        f"tool ::= {' | '.join(_literal(n) for n in names)}",
        f"text ::= [^\\r\\n#] [^\\r\\n]{{0,{text_len - 1}}}",
        "plain ::= [^#\\]\\r\\n]",
        "after ::= [^0-9#\\]\\r\\n]",
    ]
    earlier = ""
    if prior > 0:
        rules.append(
            f'prior ::= "#P" ({" | ".join(_literal(str(k)) for k in range(1, prior + 1))})'
        )
        earlier = " | prior"
        rules.append(f"input1 ::= (plain | prior+ after){{0,{max_line}}} prior*")
    else:
        rules.append(f"input1 ::= plain{{0,{max_line}}}")
    for n in range(2, max_steps + 1):
        refs = " | ".join(_literal(str(k)) for k in range(1, n))
        rules.append(f'ref{n} ::= "#E" ({refs}){earlier}')
        rules.append(f"input{n} ::= (plain | ref{n}+ after){{0,{max_line}}} ref{n}*")
    for n in range(1, max_steps + 1):
        rules.append(f'step{n} ::= "Plan: " text "\\n#E{n} = " tool "[" input{n} "]\\n"')
    nested = f"step{max_steps}"
    for n in range(max_steps - 1, 0, -1):
        nested = f"step{n} ({nested})?"
    return "\n".join([f"root ::= {nested}", *rules]) + "\n"
