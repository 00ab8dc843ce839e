"""``mcp.json`` in the config folder: the servers to use, in the Claude Desktop format.

    {"mcpServers": {
        "time": {"command": "uvx", "args": ["mcp-server-time"], "env": {}},
        "notes": {"url": "http://127.0.0.1:8000/mcp",
                  "headers": {"Authorization": "Bearer ${keyring:notes-token}"}}}}

Besides the keys other hosts know, a server may carry ``"disabled": true``,
``"timeout": seconds`` (per call) and ``"startTimeout": seconds`` (to start and list its
tools; ``npx -y`` may download the server first). A value in ``env`` or ``headers`` may
name a secret in the OS keyring as ``${keyring:NAME}`` (``smart-agent`` service, see
``app.secrets``); the file then holds only the name. A missing secret is a clear error for
that server alone.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import SmartAgentError
from app.paths import Paths

FILE_NAME = "mcp.json"
SEPARATOR = "__"  # <server>__<tool>
_SECRET = re.compile(r"\$\{keyring:([^}]+)\}")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


class McpConfigError(SmartAgentError):
    """mcp.json (or one server in it) cannot be used."""


@dataclass(frozen=True)
class ServerConfig:
    name: str
    command: str = ""
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    disabled: bool = False
    timeout: float | None = None
    start_timeout: float | None = None

    @property
    def transport(self) -> str:
        return "http" if self.url else "stdio"

    @property
    def prefix(self) -> str:
        """The tool-name prefix: the server name as an identifier."""
        return re.sub(r"\W", "_", self.name)

    def describe(self) -> str:
        return self.url if self.url else " ".join([self.command, *self.args])

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.url:
            out["url"] = self.url
            if self.headers:
                out["headers"] = dict(self.headers)
        else:
            out["command"] = self.command
            out["args"] = list(self.args)
            if self.env:
                out["env"] = dict(self.env)
        if self.disabled:
            out["disabled"] = True
        if self.timeout is not None:
            out["timeout"] = self.timeout
        if self.start_timeout is not None:
            out["startTimeout"] = self.start_timeout
        return out


def config_path(paths: Paths) -> Path:
    return paths.config / FILE_NAME


def parse_server(name: str, raw: Any) -> ServerConfig:
    """One entry of ``mcpServers``; McpConfigError saying what is wrong with it."""
    if not _NAME.fullmatch(name):
        raise McpConfigError(f"server name '{name}' must be letters, digits, '-' or '_'")
    if not isinstance(raw, dict):
        raise McpConfigError(f"server '{name}' must be a JSON object")
    url, command = raw.get("url") or raw.get("serverUrl"), raw.get("command")
    if bool(url) == bool(command):
        raise McpConfigError(f"server '{name}' needs either 'command' or 'url'")
    args, env, headers = raw.get("args", []), raw.get("env", {}), raw.get("headers", {})
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise McpConfigError(f"server '{name}': 'args' must be a list of strings")
    for key, value in (("env", env), ("headers", headers)):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise McpConfigError(f"server '{name}': '{key}' must map names to strings")
    timeout, start_timeout = _seconds(raw, name, "timeout"), _seconds(raw, name, "startTimeout")
    return ServerConfig(
        name=name,
        command=str(command or ""),
        args=tuple(args),
        env=dict(env),
        url=str(url or ""),
        headers=dict(headers),
        disabled=bool(raw.get("disabled", False)),
        timeout=timeout,
        start_timeout=start_timeout,
    )


def _seconds(raw: dict[str, Any], name: str, key: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise McpConfigError(f"server '{name}': '{key}' must be a number of seconds")
    return float(value)


def parse_servers(data: Any, source: str) -> tuple[list[ServerConfig], list[str]]:
    """The servers of an ``{"mcpServers": {...}}`` document, and one warning per bad entry."""
    if not isinstance(data, dict) or not isinstance(data.get("mcpServers", {}), dict):
        raise McpConfigError(f'{source}: expected {{"mcpServers": {{...}}}}')
    servers, warnings = [], []
    for name, raw in data.get("mcpServers", {}).items():
        try:
            servers.append(parse_server(name, raw))
        except McpConfigError as exc:
            warnings.append(f"{source}: {exc}; skipped")
    return servers, warnings


def read_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise McpConfigError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise McpConfigError(f"{path} is not valid JSON: {exc}") from None


def load_servers(paths: Paths) -> tuple[list[ServerConfig], list[str]]:
    """The configured servers (none without a file) and a warning for each unusable one."""
    path = config_path(paths)
    if not path.exists():
        return [], []
    try:
        return parse_servers(read_file(path), FILE_NAME)
    except McpConfigError as exc:
        return [], [str(exc)]


def save_servers(paths: Paths, servers: list[ServerConfig]) -> None:
    """Write mcp.json, keeping keys of the file this code does not know (atomic replace)."""
    path = config_path(paths)
    data: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = read_file(path)
            data = loaded if isinstance(loaded, dict) else {}
        except McpConfigError:
            data = {}
    data["mcpServers"] = {s.name: s.to_json() for s in servers}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def resolve_secrets(values: dict[str, str], server: str) -> dict[str, str]:
    """``${keyring:NAME}`` replaced by the keyring's secret; McpConfigError when it is missing."""
    from app.secrets import get_secret

    def secret(match: re.Match[str]) -> str:
        value = get_secret(match.group(1))
        if value is None:
            raise McpConfigError(
                f"server '{server}' refers to the secret '{match.group(1)}', which is not in "
                "the keyring (add it in Settings or with the keyring command)"
            )
        return value

    return {key: _SECRET.sub(secret, value) for key, value in values.items()}


def other_hosts_files() -> list[Path]:
    """Where Claude Desktop and Cursor keep their MCP servers on this platform."""
    home = Path.home()
    if sys.platform == "darwin":
        claude = home / "Library/Application Support/Claude/claude_desktop_config.json"
    elif sys.platform == "win32":
        claude = Path(os.environ.get("APPDATA", home)) / "Claude/claude_desktop_config.json"
    else:
        claude = home / ".config/Claude/claude_desktop_config.json"
    return [claude, home / ".cursor/mcp.json"]


def import_candidates(
    paths: Paths, source: Path | None
) -> tuple[list[ServerConfig], list[str], list[Path]]:
    """Servers another host's file has that mcp.json lacks; warnings; the files read."""
    files = [source] if source else [p for p in other_hosts_files() if p.exists()]
    mine = {s.name for s in load_servers(paths)[0]}
    found: list[ServerConfig] = []
    warnings: list[str] = []
    for path in files:
        servers, bad = parse_servers(read_file(path), str(path))
        warnings += bad
        for server in servers:
            if server.name not in mine and server.name not in {s.name for s in found}:
                found.append(server)
    return found, warnings, files
