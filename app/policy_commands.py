"""The guards from the shell: approval policies and trusted user tool files.

    smart-agent approval                        every tool's policy and the recorded changes
    smart-agent approval TOOL ask|allow|deny    set one policy (SERVER__* for an MCP server)
    smart-agent tools trust NAME [--sha256 HEX] load a user tool file from the next start on
    smart-agent tools untrust NAME

Kept out of ``app.cli`` (which dispatches to it). Each change is saved and recorded in the
history with where it came from (``app.policy_changes``).
"""

from __future__ import annotations

import argparse
from typing import Any

from app import policy_changes
from app.errors import SmartAgentError, UsageError
from app.settings import POLICIES
from app.tools.approval import sandbox_missing
from app.tools.user import ToolFile, tool_files

EXIT_OK = 0


def add_policy_parsers(sub: Any, tools: argparse.ArgumentParser) -> None:
    """``approval`` beside the other commands; ``trust``/``untrust`` under ``tools``."""
    approval = sub.add_parser(
        "approval", help="show the approval policies and every change to them, or set one"
    )
    approval.add_argument("tool", nargs="?", help="the tool whose policy to set")
    approval.add_argument("policy", nargs="?", choices=POLICIES)
    actions = tools.add_subparsers(dest="tools_command", parser_class=type(tools))
    trust = actions.add_parser("trust", help="load a user tool file (pins its SHA-256)")
    trust.add_argument("name", metavar="NAME", help="file name in the tools folder")
    trust.add_argument("--sha256", metavar="HEX", help="the hash the file must have")
    trust.set_defaults(command="tools trust")
    untrust = actions.add_parser("untrust", help="stop loading a user tool file")
    untrust.add_argument("name", metavar="NAME")
    untrust.set_defaults(command="tools untrust")


def cmd_approval(runtime: Any, args: argparse.Namespace) -> int:
    settings = runtime.settings
    if args.tool is None:
        _show_policies(runtime)
        return EXIT_OK
    if args.policy is None:
        raise UsageError(f"say which policy {args.tool} gets: ask, allow or deny")
    risks = {tool.name: tool.risk for tool in runtime.tools}
    # a whole MCP server: "NAME__*" (its tools without a policy of their own follow it)
    risks.update({f"{s.config.prefix}__*": "write" for s in runtime.mcp.hub.servers.values()})
    if args.tool not in risks:
        raise UsageError(f"there is no tool '{args.tool}' (see `smart-agent tools`)")
    before = settings.get("approval")
    after = dict(before)
    if args.policy == ("ask" if risks[args.tool] == "write" else "allow"):
        after.pop(args.tool, None)  # the risk's default: a read tool asks again when it writes
    else:
        after[args.tool] = args.policy
    _save(runtime, "approval", before, after, "smart-agent approval")
    print(f"{args.tool}: {args.policy}")
    return EXIT_OK


def _show_policies(runtime: Any) -> None:
    settings = runtime.settings
    explicit = settings.get("approval")
    for tool in runtime.tools:
        policy = settings.policy_for(tool.name, tool.risk)
        how = "set" if tool.name in explicit else "default"
        print(f"{tool.name:<18} {policy:<5}  [{tool.risk}, {how}]")
    missing = sandbox_missing()
    print(f"\nCode runs {'without a sandbox: ' + missing if missing else 'in a sandbox'}", end="")
    unsandboxed = settings.get("tools.python.unsandboxed")
    print(f"; running it without one is {'allowed (asked every time)' if unsandboxed else 'off'}")
    changes = policy_changes.recent(runtime.paths, 50)
    print("\nChanges, newest first:" if changes else "\nNo changes recorded.")
    for change in changes:
        print(policy_changes.describe(change))


def cmd_trust(runtime: Any, args: argparse.Namespace) -> int:
    file = _tool_file(runtime, args.name)
    print(f"{file.path}\nsha256 {file.sha256}")
    if args.sha256 and args.sha256.strip().lower() != file.sha256:
        raise SmartAgentError(f"{file.name} does not have the SHA-256 given; it was not trusted")
    if file.status == "trusted":
        print("Already trusted.")
        return EXIT_OK
    before = runtime.settings.get("tools.trusted")
    _save(
        runtime,
        "tools.trusted",
        before,
        {**before, file.name: file.sha256},
        "smart-agent tools trust",
    )
    print("Trusted: Smart Agent imports it, with your rights, from the next start on.")
    return EXIT_OK


def cmd_untrust(runtime: Any, args: argparse.Namespace) -> int:
    name = _file_name(args.name)
    before = runtime.settings.get("tools.trusted")
    if name not in before:
        print(f"{name} was not trusted.")
        return EXIT_OK
    after = {k: v for k, v in before.items() if k != name}
    _save(runtime, "tools.trusted", before, after, "smart-agent tools untrust")
    print(f"{name} is no longer loaded.")
    return EXIT_OK


def _file_name(name: str) -> str:
    name = name if name.endswith(".py") else f"{name}.py"
    if "/" in name or "\\" in name or name.startswith("."):
        raise UsageError(f"'{name}' is not a file name in the tools folder")
    return name


def _tool_file(runtime: Any, name: str) -> ToolFile:
    name = _file_name(name)
    folder = runtime.paths.user_tools_dir
    for file in tool_files(folder, runtime.settings.get("tools.trusted")):
        if file.name == name:
            return file
    raise UsageError(f"there is no user tool file {name} in {folder}")


def _save(runtime: Any, setting: str, before: Any, after: Any, source: str) -> None:
    runtime.settings.update({setting: after})
    policy_changes.record(
        runtime.paths, policy_changes.changes({setting: before}, {setting: after}, source)
    )


POLICY_COMMANDS = {
    "approval": cmd_approval,
    "tools trust": cmd_trust,
    "tools untrust": cmd_untrust,
}
