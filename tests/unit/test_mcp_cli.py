"""smart-agent mcp import / list / test without starting a server."""

from __future__ import annotations

import json

from app.cli import main
from app.mcp.config import config_path
from app.paths import Paths


def test_import_shows_then_adds_another_hosts_servers(tmp_path, capsys):
    cursor = tmp_path / "mcp.json"
    servers = {
        "files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"]}
    }
    cursor.write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
    assert main(["mcp", "import", str(cursor)]) == 0
    out = capsys.readouterr().out
    assert "+ files: npx -y @modelcontextprotocol/server-filesystem" in out
    assert not config_path(Paths.from_env()).exists()  # shown, not written
    assert main(["mcp", "import", str(cursor), "--yes"]) == 0
    saved = json.loads(config_path(Paths.from_env()).read_text(encoding="utf-8"))
    assert saved["mcpServers"]["files"]["command"] == "npx"
    assert main(["mcp", "import", str(cursor)]) == 0
    assert "Nothing to add" in capsys.readouterr().out


def test_list_without_servers_says_where_to_add_them(capsys):
    assert main(["mcp", "list"]) == 0
    assert "No MCP servers: add them to" in capsys.readouterr().out


def test_testing_an_unknown_server_is_a_usage_error(capsys):
    assert main(["mcp", "test", "nope"]) == 2
    assert "there is no MCP server 'nope'" in capsys.readouterr().err
