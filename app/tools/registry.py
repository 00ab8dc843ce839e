"""Tools are data: name, description, JSON schema, function, risk and timeout.

A plain Python function with type hints and a Google-style docstring becomes a tool: the
first paragraph of the docstring is the description, the ``Args:`` section describes each
argument, and the hints give the JSON schema. A parameter annotated ``ToolContext`` is
injected by the worker and is not part of the schema.
"""

from __future__ import annotations

import inspect
import json
import re
import threading
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from app.errors import ToolError
from app.net.policy import Policy
from app.references import EvidenceAs

Risk = Literal["read", "write"]

_TOOL_MARK = "__smart_agent_tool__"


@dataclass
class ToolContext:
    """What a tool may use besides its arguments; built by the worker for each call."""

    workspace: Path
    settings: Any  # app.settings.Settings (kept loose so tools import nothing heavy)
    cancel: threading.Event = field(default_factory=threading.Event)
    ask_model: Callable[[str], str] | None = None
    databases: dict[str, str] = field(default_factory=dict)
    allow_write: bool = False  # set after approval when a read tool raised NeedsApproval
    # the earlier steps' evidence this call refers to (``E1`` -> text): code tools receive it
    # as data (variables, bound parameters), never spliced into their source
    evidence: dict[str, str] = field(default_factory=dict)
    http: Policy = field(default_factory=Policy)  # timeouts, retries, size cap of web tools


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]
    function: Callable[..., Any]
    risk: Risk = "read"
    timeout: float | None = None  # None: the tools.timeout setting
    context_parameter: str | None = None
    # how a plan step's #E references reach this tool: spliced as text, or as data for
    # code ("python": variables E1, E2 …; "sql": bound parameters :E1 …), see app.references
    evidence_as: EvidenceAs = "text"

    @property
    def schema(self) -> dict[str, Any]:
        """The tool as a JSON object: name, description, risk and argument schema."""
        return {
            "name": self.name,
            "description": self.description,
            "risk": self.risk,
            "parameters": self.parameters,
        }

    @property
    def fast_path_argument(self) -> str | None:
        """The argument a plan input fills directly, or None when the caller model is needed.

        That is the case when the tool has exactly one required argument and it is a
        string, or exactly one argument in all and it is a string.
        """
        props = self.parameters.get("properties", {})
        required = self.parameters.get("required", [])
        strings = [name for name, spec in props.items() if spec.get("type") == "string"]
        if len(required) == 1 and required[0] in strings:
            return str(required[0])
        if len(props) == 1 and strings:
            return strings[0]
        return None

    def validate(self, arguments: Any) -> dict[str, Any]:
        """Check ``arguments`` against the schema; raise ToolError with a readable reason."""
        if not isinstance(arguments, dict):
            raise ToolError(f"arguments for {self.name} must be a JSON object")
        import jsonschema  # here, not at the top: it costs the app's start-up a third of a second

        try:
            jsonschema.validate(arguments, self.parameters)
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path)
            raise ToolError(
                f"invalid arguments for {self.name}{' at ' + where if where else ''}: {exc.message}"
            ) from None
        return arguments

    def invoke(self, arguments: dict[str, Any], context: ToolContext) -> str:
        """Run the tool with validated ``arguments``; the result as evidence text."""
        kwargs = dict(self.validate(arguments))
        if self.context_parameter:
            kwargs[self.context_parameter] = context
        result = self.function(**kwargs)
        return result_text(result)


def result_text(result: Any) -> str:
    if result is None:
        return ""
    if isinstance(result, str):
        return result
    try:
        return json.dumps(result, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(result)


def tool(
    function: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    risk: Risk = "read",
    timeout: float | None = None,
    evidence_as: EvidenceAs = "text",
) -> Any:
    """Mark a function as a tool: ``@tool`` or ``@tool(risk="write", timeout=60)``."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        marks = {"name": name, "risk": risk, "timeout": timeout, "evidence_as": evidence_as}
        setattr(fn, _TOOL_MARK, marks)
        return fn

    return mark(function) if function is not None else mark


def is_tool_function(obj: Any) -> bool:
    return callable(obj) and hasattr(obj, _TOOL_MARK)


def tool_from_function(fn: Callable[..., Any]) -> Tool:
    """Build a Tool from a function's hints and docstring (and its ``@tool`` marks)."""
    marks = getattr(fn, _TOOL_MARK, {})
    description, arg_docs = parse_docstring(inspect.getdoc(fn) or "")
    hints = typing.get_type_hints(fn)
    properties: dict[str, Any] = {}
    required: list[str] = []
    context_parameter = None
    for pname, param in inspect.signature(fn).parameters.items():
        hint = hints.get(pname, str)
        if hint is ToolContext:
            context_parameter = pname
            continue
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"tool {fn.__name__}: *args/**kwargs cannot be described")
        spec = json_type(hint)
        if pname in arg_docs:
            spec["description"] = arg_docs[pname]
        if param.default is inspect.Parameter.empty:
            required.append(pname)
        elif param.default is not None:
            spec["default"] = param.default
        properties[pname] = spec
    parameters: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return Tool(
        name=marks.get("name") or fn.__name__,
        description=description or fn.__name__.replace("_", " "),
        parameters=parameters,
        function=fn,
        risk=marks.get("risk", "read"),
        timeout=marks.get("timeout"),
        context_parameter=context_parameter,
        evidence_as=marks.get("evidence_as", "text"),
    )


_SIMPLE = {str: "string", int: "integer", float: "number", bool: "boolean"}


def json_type(hint: Any) -> dict[str, Any]:
    """The JSON schema of a type hint (str, int, float, bool, list[X], dict, Literal, X | None)."""
    if hint in _SIMPLE:
        return {"type": _SIMPLE[hint]}
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return json_type(inner[0])
        return {"anyOf": [json_type(a) for a in inner]}
    if origin is Literal:
        return {"type": _SIMPLE.get(type(args[0]), "string"), "enum": list(args)}
    if origin in (list, tuple, set, frozenset) or hint in (list, tuple):
        item = json_type(args[0]) if args else {}
        return {"type": "array", "items": item} if item else {"type": "array"}
    if origin is dict or hint is dict:
        return {"type": "object"}
    raise TypeError(f"cannot describe type {hint!r} as JSON schema")


_SECTION = re.compile(r"^([A-Z][A-Za-z ]*):\s*$")
_ARG_LINE = re.compile(r"^(\s+)\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")


def parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """Split a Google-style docstring into (description, {argument: description})."""
    description: list[str] = []
    args: dict[str, str] = {}
    section: str | None = None
    arg_indent: int | None = None
    current: str | None = None
    for line in doc.splitlines():
        header = _SECTION.match(line)
        if header:
            section, arg_indent, current = header.group(1), None, None
            continue
        if section is None:
            description.append(line)
            continue
        if section not in ("Args", "Arguments", "Parameters"):
            continue
        match = _ARG_LINE.match(line)
        if match and (arg_indent is None or len(match.group(1)) == arg_indent):
            arg_indent = len(match.group(1))
            current = match.group(2)
            args[current] = match.group(3).strip()
        elif current and line.strip():
            args[current] = f"{args[current]} {line.strip()}".strip()
    return " ".join(" ".join(description).split()), args


class ToolRegistry:
    """The tools of a run, by name, in registration order."""

    def __init__(self, tools: Iterable[Tool] = ()):
        self._tools: dict[str, Tool] = {}
        for t in tools:
            self.add(t)

    def add(self, item: Tool | Callable[..., Any]) -> Tool:
        t = item if isinstance(item, Tool) else tool_from_function(item)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", t.name):
            raise ValueError(f"tool name {t.name!r} must be an identifier")
        self._tools[t.name] = t
        return t

    def remove(self, name: str) -> None:
        """Forget a tool (an MCP server removed or disabled); unknown names are ignored."""
        self._tools.pop(name, None)

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise ToolError(
                f"unknown tool '{name}'; known tools: {', '.join(self._tools)}"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> Iterator[Tool]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    @property
    def names(self) -> list[str]:
        return list(self._tools)
