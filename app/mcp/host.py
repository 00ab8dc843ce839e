"""The app's side of MCP: the configured servers, their tools in the registry, their lines.

``Runtime`` holds one ``McpHost``. Nothing starts until ``start()``; servers then start on
the hub's thread and each one's tools join the registry when it is ready. A server that
fails, or a tool that cannot be used, adds one line to ``problems`` (shown by the CLI, the
status bar and the log) and the other tools keep working.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.mcp.client import McpHub, ServerStatus
from app.mcp.config import ServerConfig, load_servers
from app.mcp.tools import server_tools
from app.paths import Paths
from app.tools.registry import ToolRegistry

log = logging.getLogger("smart_agent.mcp")


class McpHost:
    def __init__(self, paths: Paths, registry: ToolRegistry):
        servers, self.problems = load_servers(paths)
        self.registry = registry
        self.logs = paths.logs
        self.hub = McpHub(servers, paths.logs)
        self.hub.subscribe(self._on_status)
        self._lock = threading.Lock()
        self._added: dict[str, list[str]] = {}  # server -> the tool names it added
        self._line_listeners: list[Callable[[str], None]] = []

    @property
    def configured(self) -> bool:
        return bool(self.hub.servers)

    def on_problem(self, listener: Callable[[str], None]) -> None:
        """``listener(line)`` for each new problem line (called on the hub's thread)."""
        self._line_listeners.append(listener)

    def start(self, *, wait: bool = False) -> None:
        """Start every enabled server in the background (``wait``: until each is ready or
        failed, for the CLI)."""
        if not self.configured or self.hub.closed:
            return
        self.hub.start()
        if wait:
            self.hub.wait_started()

    def _on_status(self, status: ServerStatus) -> None:
        if status.state == "failed":
            self._problem(f"MCP server {status.name} failed: {status.error}")
        if status.state != "ready" or status.name in self._added:
            return
        server = self.hub.servers[status.name].config
        tools, problems = server_tools(self.hub, server, list(status.tools))
        with self._lock:
            added = []
            for tool in tools:
                if tool.name in self.registry and tool.name not in self._all_added():
                    self._problem(f"MCP server {server.name}: {tool.name} clashes with a tool")
                    continue
                self.registry.add(tool)
                added.append(tool.name)
            self._added[status.name] = added
        for line in problems:
            self._problem(line)

    def _all_added(self) -> set[str]:
        return {name for names in self._added.values() for name in names}

    def _problem(self, line: str) -> None:
        if line in self.problems:
            return
        self.problems.append(line)
        log.warning("%s", line)
        for listener in list(self._line_listeners):
            listener(line)

    def configure(self, servers: list[ServerConfig]) -> None:
        """Apply an edited server list at once: a stopped server's tools leave the registry,
        a started one's join it when it is ready."""
        stopped, _ = self.hub.configure(servers, self.logs)
        with self._lock:
            for name in stopped:
                for tool in self._added.pop(name, []):
                    self.registry.remove(tool)

    def statuses(self) -> list[ServerStatus]:
        return self.hub.statuses()

    def close(self) -> None:
        self.hub.close()
