"""MCP tools as Smart Agent tools: names, schemas, risk, and results as evidence text.

A server's tool ``get_current_time`` on server ``time`` becomes ``time__get_current_time``.
Its input schema is reduced to what the caller's JSON-schema constraint and the validator
both understand (``$ref`` inlined, keywords a grammar cannot follow dropped, no unknown
properties); a tool whose schema cannot be used that way is left out with one line saying
why. ``readOnlyHint: true`` makes a tool a read; anything else is a write, asked first.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.errors import ToolError
from app.mcp.config import SEPARATOR, ServerConfig
from app.text import elide
from app.tools.registry import Tool, ToolContext

DESCRIPTION_CHARS = 240  # the planner lists every tool on one line each
_KEEP = {
    "type",
    "properties",
    "required",
    "items",
    "enum",
    "const",
    "anyOf",
    "description",
    "default",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "additionalProperties",
}
_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null"}


class SchemaError(ValueError):
    """A tool's input schema cannot be turned into one the caller can follow."""


def tool_name(prefix: str, name: str) -> str:
    """``<server>__<tool>``, both made identifiers."""
    return f"{prefix}{SEPARATOR}{re.sub(r'[^A-Za-z0-9_]', '_', name)}"


def convert_schema(schema: Any) -> dict[str, Any]:
    """An MCP input schema as the caller's constraint can use it; SchemaError why not."""
    if not isinstance(schema, dict):
        raise SchemaError("its input schema is not a JSON object")
    defs = {**schema.get("definitions", {}), **schema.get("$defs", {})}
    out = _convert(schema, defs, 0)
    if out.get("type") != "object":
        raise SchemaError("its input schema does not describe an object")
    out.setdefault("properties", {})
    out.setdefault("required", [])
    return out


def _convert(node: Any, defs: dict[str, Any], depth: int) -> dict[str, Any]:
    if depth > 12:
        raise SchemaError("its input schema nests too deeply (or refers to itself)")
    if node is True or node == {}:
        return {}
    if not isinstance(node, dict):
        raise SchemaError(f"its input schema holds {node!r} where a schema belongs")
    if "$ref" in node:
        ref = str(node["$ref"])
        target = defs.get(ref.rsplit("/", 1)[-1]) if ref.startswith("#/") else None
        if target is None:
            raise SchemaError(f"its input schema refers to {ref}, which it does not define")
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _convert(merged, defs, depth + 1)
    if "oneOf" in node and "anyOf" not in node:
        node = {**node, "anyOf": node["oneOf"]}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in _KEEP:
            continue
        if key == "properties":
            out[key] = {name: _convert(v, defs, depth + 1) for name, v in value.items()}
        elif key == "items":
            out[key] = _convert(value, defs, depth + 1)
        elif key == "anyOf":
            out[key] = [_convert(v, defs, depth + 1) for v in value]
        elif key == "type":
            types = value if isinstance(value, list) else [value]
            if not types or any(t not in _TYPES for t in types):
                raise SchemaError(f"its input schema uses the unknown type {value!r}")
            out[key] = value
        elif key == "additionalProperties":
            continue  # set below: a small model must not invent arguments
        else:
            out[key] = value
    if out.get("type") == "object" or "properties" in out:
        out["additionalProperties"] = False
    return out


def risk_of(mcp_tool: Any) -> str:
    annotations = getattr(mcp_tool, "annotations", None)
    return "read" if annotations is not None and annotations.read_only_hint is True else "write"


def describe(mcp_tool: Any) -> str:
    return elide(mcp_tool.description or mcp_tool.title or mcp_tool.name, DESCRIPTION_CHARS)


def as_tool(hub: Any, server: ServerConfig, mcp_tool: Any) -> Tool:
    """One MCP tool as a registry Tool whose function calls it through ``hub``."""
    parameters = convert_schema(mcp_tool.input_schema)
    remote = mcp_tool.name
    name = tool_name(server.prefix, remote)

    def call(_smart_agent_context: ToolContext, **arguments: Any) -> str:
        timeout = server.timeout or float(_smart_agent_context.settings.get("tools.timeout"))
        result = hub.call(server.name, remote, arguments, timeout, _smart_agent_context.cancel)
        return result_text(result, name)

    return Tool(
        name=name,
        description=describe(mcp_tool),
        parameters=parameters,
        function=call,
        risk="read" if risk_of(mcp_tool) == "read" else "write",
        timeout=server.timeout,
        context_parameter="_smart_agent_context",
    )


def server_tools(hub: Any, server: ServerConfig, listed: list[Any]) -> tuple[list[Tool], list[str]]:
    """The usable tools of one server, and one line for each tool left out."""
    tools, problems = [], []
    for mcp_tool in listed:
        try:
            tools.append(as_tool(hub, server, mcp_tool))
        except SchemaError as exc:
            problems.append(f"MCP server {server.name}: tool {mcp_tool.name} left out: {exc}")
    return tools, problems


def result_text(result: Any, name: str) -> str:
    """A CallToolResult as evidence: its text blocks, else its structured content as JSON;
    images, audio and links as a note. ``isError`` raises ToolError with the server's text."""
    texts: list[str] = []
    notes: list[str] = []
    for block in result.content:
        kind = getattr(block, "type", "")
        if kind == "text":
            texts.append(block.text)
        elif kind in ("image", "audio"):
            size = len(block.data) * 3 // 4
            notes.append(f"[{kind} {block.mime_type}, about {size:,} bytes, not shown]")
        elif kind == "resource_link":
            notes.append(f"[resource {block.uri}{' ' + block.name if block.name else ''}]")
        elif kind == "resource":
            inner = block.resource
            text = getattr(inner, "text", None)
            texts.append(text) if text is not None else notes.append(f"[resource {inner.uri}]")
    body = "\n".join(texts)
    if not texts and result.structured_content is not None:
        body = json.dumps(result.structured_content, ensure_ascii=False)
    text = "\n".join([body, *notes]).strip()
    if result.is_error:
        raise ToolError(f"{name} reported an error: {text or 'no details'}")
    return text
