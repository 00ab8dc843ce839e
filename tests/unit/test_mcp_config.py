"""mcp.json, keyring references, import from other hosts, schema conversion, results."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from app.errors import ToolError
from app.mcp.config import (
    McpConfigError,
    ServerConfig,
    config_path,
    import_candidates,
    load_servers,
    parse_server,
    resolve_secrets,
    save_servers,
)
from app.mcp.tools import SchemaError, convert_schema, result_text, risk_of, server_tools
from app.paths import Paths
from app.settings import Settings


def write_config(paths: Paths, servers: dict) -> None:
    paths.config.mkdir(parents=True, exist_ok=True)
    config_path(paths).write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")


def test_claude_desktop_format_is_read():
    paths = Paths.from_env()
    write_config(
        paths,
        {
            "time": {"command": "uvx", "args": ["mcp-server-time"], "env": {"TZ": "UTC"}},
            "web": {"url": "http://127.0.0.1:9/mcp", "headers": {"X-Key": "k"}, "timeout": 5},
            "off": {"command": "x", "disabled": True},
            "broken": {"args": ["no command"]},
        },
    )
    servers, warnings = load_servers(paths)
    assert [s.name for s in servers] == ["time", "web", "off"]
    assert servers[0].transport == "stdio" and servers[0].args == ("mcp-server-time",)
    assert servers[1].transport == "http" and servers[1].timeout == 5.0
    assert servers[2].disabled
    assert warnings == ["mcp.json: server 'broken' needs either 'command' or 'url'; skipped"]


def test_a_broken_file_is_one_warning():
    paths = Paths.from_env()
    paths.config.mkdir(parents=True, exist_ok=True)
    config_path(paths).write_text("{not json", encoding="utf-8")
    servers, warnings = load_servers(paths)
    assert servers == [] and "is not valid JSON" in warnings[0]


def test_save_keeps_unknown_keys_and_round_trips():
    paths = Paths.from_env()
    paths.config.mkdir(parents=True, exist_ok=True)
    config_path(paths).write_text(json.dumps({"other": 1, "mcpServers": {}}), encoding="utf-8")
    server = parse_server("a", {"command": "run-me", "args": ["--x"], "disabled": True})
    save_servers(paths, [server])
    data = json.loads(config_path(paths).read_text(encoding="utf-8"))
    assert data["other"] == 1
    assert load_servers(paths)[0] == [server]


def test_keyring_references_are_resolved(monkeypatch):
    monkeypatch.setattr("app.secrets.get_secret", lambda name, env=None: {"tok": "s3"}.get(name))
    assert resolve_secrets({"A": "Bearer ${keyring:tok}", "B": "plain"}, "x") == {
        "A": "Bearer s3",
        "B": "plain",
    }
    with pytest.raises(McpConfigError, match="secret 'missing'"):
        resolve_secrets({"A": "${keyring:missing}"}, "x")


def test_import_shows_only_new_servers(tmp_path):
    paths = Paths.from_env()
    write_config(paths, {"time": {"command": "uvx", "args": ["mcp-server-time"]}})
    claude = tmp_path / "claude_desktop_config.json"
    claude.write_text(
        json.dumps(
            {
                "mcpServers": {
                    "time": {"command": "uvx"},
                    "files": {"command": "npx", "args": ["-y", "@x/server-filesystem", "/tmp"]},
                }
            }
        ),
        encoding="utf-8",
    )
    found, warnings, files = import_candidates(paths, claude)
    assert [s.name for s in found] == ["files"] and files == [claude] and warnings == []


def test_schemas_are_made_fit_for_the_caller():
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "when": {"$ref": "#/$defs/When"},
            "tags": {"type": "array", "items": {"type": "string", "format": "uri"}},
            "mode": {"oneOf": [{"const": "a"}, {"const": "b"}]},
        },
        "required": ["when"],
        "$defs": {"When": {"type": "object", "properties": {"day": {"type": "string"}}}},
    }
    out = convert_schema(schema)
    assert out["additionalProperties"] is False
    assert out["properties"]["when"] == {
        "type": "object",
        "properties": {"day": {"type": "string"}},
        "additionalProperties": False,
    }
    assert out["properties"]["tags"]["items"] == {"type": "string"}
    assert out["properties"]["mode"] == {"anyOf": [{"const": "a"}, {"const": "b"}]}


@pytest.mark.parametrize(
    "schema, why",
    [
        ([], "not a JSON object"),
        ({"type": "string"}, "does not describe an object"),
        ({"type": "object", "properties": {"x": {"$ref": "#/$defs/Gone"}}}, "does not define"),
        ({"type": "object", "properties": {"x": {"type": "decimal"}}}, "unknown type"),
        (
            {
                "type": "object",
                "properties": {"n": {"$ref": "#/$defs/N"}},
                "$defs": {"N": {"type": "object", "properties": {"n": {"$ref": "#/$defs/N"}}}},
            },
            "nests too deeply",
        ),
    ],
)
def test_unusable_schemas_say_why(schema, why):
    with pytest.raises(SchemaError, match=why):
        convert_schema(schema)


def mcp_tool(name, schema, read_only=None, description="d"):
    annotations = SimpleNamespace(read_only_hint=read_only)
    return SimpleNamespace(
        name=name, title=None, description=description, input_schema=schema, annotations=annotations
    )


def test_risk_comes_from_read_only_hint_and_bad_tools_are_left_out():
    assert risk_of(mcp_tool("a", {}, read_only=True)) == "read"
    assert risk_of(mcp_tool("a", {}, read_only=False)) == "write"
    assert risk_of(mcp_tool("a", {}, read_only=None)) == "write"
    server = ServerConfig("my-srv", command="x")
    listed = [
        mcp_tool("get-time", {"type": "object", "properties": {}}, True),
        mcp_tool("weird", {"type": "array"}),
    ]
    tools, problems = server_tools(None, server, listed)
    assert [(t.name, t.risk) for t in tools] == [("my_srv__get_time", "read")]
    assert problems == [
        "MCP server my-srv: tool weird left out: its input schema does not describe an object"
    ]


def test_mcp_tools_take_their_servers_policy():
    settings = Settings({"approval": {"notes__*": "deny", "notes__list": "allow"}})
    assert settings.policy_for("notes__add", "write") == "deny"
    assert settings.policy_for("notes__list", "read") == "allow"
    assert settings.policy_for("other__add", "write") == "ask"


def block(kind, **fields):
    return SimpleNamespace(type=kind, **fields)


def test_results_become_evidence_text():
    result = SimpleNamespace(
        content=[
            block("text", text="two cats"),
            block("image", data="QUJD" * 10, mime_type="image/png"),
            block("resource_link", uri="file:///a.txt", name="a.txt"),
        ],
        structured_content={"cats": 2},
        is_error=False,
    )
    assert result_text(result, "t") == (
        "two cats\n[image image/png, about 30 bytes, not shown]\n[resource file:///a.txt a.txt]"
    )
    only_structured = SimpleNamespace(content=[], structured_content={"cats": 2}, is_error=False)
    assert result_text(only_structured, "t") == '{"cats": 2}'
    failed = SimpleNamespace(content=[block("text", text="no such city")], is_error=True)
    failed.structured_content = None
    with pytest.raises(ToolError, match="t reported an error: no such city"):
        result_text(failed, "t")
