"""``smart-agent mcp``: the MCP servers from the shell.

    smart-agent mcp list [--json]         each server, its state and its tools
    smart-agent mcp test NAME             start one server and list its tools
    smart-agent mcp import [PATH] [--yes] what Claude Desktop's / Cursor's file would add
    smart-agent mcp serve                 Smart Agent as an MCP server on stdio

Kept out of ``app.cli``, which dispatches here.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from app.errors import SmartAgentError, UsageError
from app.mcp.config import config_path, import_candidates, load_servers, save_servers
from app.untrusted import json_line, visible

log = logging.getLogger("smart_agent.mcp")

EXIT_OK, EXIT_FAILED = 0, 1


def add_mcp_parsers(sub: Any) -> None:
    mcp = sub.add_parser("mcp", help="MCP servers: list, test, import, or serve Smart Agent")
    actions = mcp.add_subparsers(dest="mcp_command", parser_class=type(mcp))
    listing = actions.add_parser("list", help="each server, its state and its tools")
    listing.add_argument("--json", action="store_true")
    test = actions.add_parser("test", help="start one server and list its tools")
    test.add_argument("name", metavar="NAME")
    imported = actions.add_parser(
        "import", help="show the servers Claude Desktop's or Cursor's file would add"
    )
    imported.add_argument("path", nargs="?", type=Path, metavar="PATH")
    imported.add_argument("--yes", action="store_true", help="add them to mcp.json")
    actions.add_parser("serve", help="serve Smart Agent as an MCP server on stdio")


def cmd_mcp(runtime: Any, args: argparse.Namespace) -> int:
    command = args.mcp_command or "list"
    if command == "serve":
        from app.mcp.serve import serve

        return serve(runtime)
    if command == "import":
        return _import(runtime, args.path, args.yes)
    if command == "test":
        return _test(runtime, args.name)
    return _list(runtime, args.json)


def start_for_cli(runtime: Any) -> None:
    """Start the configured servers and wait for them (a headless command has no window to
    keep responsive); one line on stderr for each that failed. From here on SIGTERM ends
    the command through its ``finally``, which stops every server it started, and the
    exit status is 143 (128 + SIGTERM), also while the servers are still starting."""
    if not runtime.mcp.configured:
        return
    if threading.current_thread() is threading.main_thread():
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
    runtime.start_mcp(wait=True)
    _print_problems(runtime.mcp)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    # Once: a second SIGTERM would raise into the stopping of the servers. That stopping
    # is bounded (CLOSE_TIMEOUT), so nothing is lost by not hearing it again. Not SIG_IGN:
    # a child started now would inherit that and could not be terminated.
    signal.signal(signal.SIGTERM, _already_ending)
    raise SystemExit(128 + signum)


def _already_ending(signum: int, frame: Any) -> None:
    log.info("SIGTERM again: the command is already ending")


def _list(runtime: Any, as_json: bool) -> int:
    host = runtime.mcp
    if not host.configured:
        print(f"No MCP servers: add them to {config_path(runtime.paths)} (see the README).")
        return EXIT_OK
    start_for_cli(runtime)
    rows = []
    for status in host.statuses():
        config = host.hub.servers[status.name].config
        tools = [_tool_row(runtime, config.prefix, t) for t in status.tools]
        rows.append(
            {
                "name": status.name,
                "state": status.state,
                "error": status.error,
                "transport": config.transport,
                "target": config.describe(),
                "tools": tools,
            }
        )
    if as_json:
        for row in rows:
            print(json_line(json.dumps(row, ensure_ascii=False)))
        return EXIT_OK
    for row in rows:
        why = f": {row['error']}" if row["error"] else ""
        print(f"{row['name']}  [{row['state']}{why}]  {visible(row['target'])}")
        for tool in row["tools"]:
            print(f"  {tool['name']:<32} {tool['risk']:<5} {tool['policy']:<5} {tool['about']}")
    return EXIT_OK


def _tool_row(runtime: Any, prefix: str, mcp_tool: Any) -> dict[str, str]:
    from app.mcp.tools import describe, risk_of, tool_name

    name = tool_name(prefix, mcp_tool.name)
    risk = risk_of(mcp_tool)
    return {
        "name": name,
        "risk": risk,
        "policy": runtime.settings.policy_for(name, risk),
        "about": visible(describe(mcp_tool)[:80]),
    }


def _print_problems(host: Any) -> None:
    for line in host.problems:
        print(f"smart-agent: warning: {visible(line)}", file=sys.stderr)


def _test(runtime: Any, name: str) -> int:
    host = runtime.mcp
    if name not in host.hub.servers:
        known = ", ".join(host.hub.servers) or "none"
        raise UsageError(f"there is no MCP server '{name}' in mcp.json (configured: {known})")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    host.hub.start([name]).result(host.hub.longest_start() + 10)
    status = host.hub.servers[name].status()
    if status.state != "ready":
        raise SmartAgentError(f"MCP server {name} failed: {status.error or status.state}")
    config = host.hub.servers[name].config
    print(f"{name}: ready, {len(status.tools)} tools")
    for mcp_tool in status.tools:
        row = _tool_row(runtime, config.prefix, mcp_tool)
        print(f"  {row['name']:<32} {row['risk']:<5} {row['about']}")
    return EXIT_OK


def _import(runtime: Any, path: Path | None, write: bool) -> int:
    found, warnings, files = import_candidates(runtime.paths, path)
    for warning in warnings:
        print(f"smart-agent: warning: {visible(warning)}", file=sys.stderr)
    if not files:
        print("No Claude Desktop or Cursor configuration found; name a file: mcp import PATH")
        return EXIT_OK
    print(f"Read {', '.join(str(f) for f in files)}")
    if not found:
        print("Nothing to add: mcp.json already has every server in it.")
        return EXIT_OK
    for server in found:
        print(f"  + {server.name}: {visible(server.describe())}")
    if not write:
        print("Add them with: smart-agent mcp import --yes" + (f" {path}" if path else ""))
        return EXIT_OK
    save_servers(runtime.paths, [*load_servers(runtime.paths)[0], *found])
    print(f"Added {len(found)} to {config_path(runtime.paths)}")
    return EXIT_OK


MCP_COMMANDS = {"mcp": cmd_mcp}
