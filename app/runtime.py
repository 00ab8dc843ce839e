"""Everything a front end needs to run tasks: settings, models, tools, history.

The CLI, the GUI and the HTTP API each hold one ``Runtime``; models load once per process
through its pool, whichever roles and runs use them.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING

from app import crash
from app.errors import SettingsError, StoreError, UnknownRun
from app.events import Event
from app.paths import Paths
from app.settings import Settings
from app.store import Store

if TYPE_CHECKING:
    from app.agents.base import Agent
    from app.conversation import Conversation
    from app.llm import ModelPool
    from app.mcp.host import McpHost
    from app.tools.approval import Approver
    from app.tools.registry import ToolRegistry


class _Agents(Mapping[str, "type[Agent]"]):
    """The agent modes by name; each class is imported when it is first asked for.

    The desktop builds its window from the names alone, before anything of the model
    stack is imported (start-up, issue 15).
    """

    CLASSES = {
        "rewoo": "app.agents.rewoo:ReWOOAgent",
        "react": "app.agents.react:ReActAgent",
        "autogpt": "app.agents.autogpt:AutoGPTAgent",
    }

    def __getitem__(self, name: str) -> type[Agent]:
        module, _, cls = self.CLASSES[name].partition(":")
        return getattr(importlib.import_module(module), cls)  # type: ignore[no-any-return]

    def __contains__(self, name: object) -> bool:  # without importing the class
        return name in self.CLASSES

    def __iter__(self) -> Iterator[str]:
        return iter(self.CLASSES)

    def __len__(self) -> int:
        return len(self.CLASSES)


AGENTS = _Agents()


def setup_logging(paths: Paths) -> None:
    """Log to a rotating file in the logs folder; the person sees one line, never a trace."""
    root = logging.getLogger()
    if any(getattr(h, "_smart_agent", False) for h in root.handlers):
        return
    from logging.handlers import RotatingFileHandler  # imports socket: ~11 ms, left to here

    paths.logs.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        paths.logs / "smart-agent.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._smart_agent = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    crash.enable(paths.logs)  # a segfault or an abort leaves its stacks in logs/


class Runtime:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.load()
        self.paths = self.settings.paths
        self.paths.ensure()
        self.settings.workspace.mkdir(parents=True, exist_ok=True)
        self.warnings: list[str] = list(self.settings.warnings)  # tools add theirs on load
        self._pool: ModelPool | None = None
        self._tools: ToolRegistry | None = None
        self._load_lock = threading.RLock()
        self.session_allowed: set[str] = set()  # "always allow" for code, until the app quits
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        self._mcp: McpHost | None = None

    # the model pool and the tools are built on first use: the desktop shows its window
    # before it imports anything of the model stack

    @property
    def pool(self) -> ModelPool:
        with self._load_lock:
            if self._pool is None:
                from app.llm import ModelPool

                self._pool = ModelPool(self.settings)
            return self._pool

    @property
    def tools(self) -> ToolRegistry:
        return self.load_tools()

    @tools.setter
    def tools(self, registry: ToolRegistry) -> None:
        self._tools = registry

    def load_tools(self) -> ToolRegistry:
        """The built-in and user tools; a user tool file's problems join ``warnings``."""
        with self._load_lock:
            if self._tools is None:
                from app.tools.builtin import builtin_tools
                from app.tools.user import load_user_tools

                tools = builtin_tools()
                self.warnings += load_user_tools(
                    self.paths.user_tools_dir, tools, self.settings.get("tools.trusted")
                )
                self._tools = tools
            return self._tools

    @property
    def mcp(self) -> McpHost:
        """The MCP servers of mcp.json; none runs before ``start_mcp``."""
        with self._load_lock:
            if self._mcp is None:
                from app.mcp.host import McpHost

                self._mcp = McpHost(self.paths, self.tools)
            return self._mcp

    def start_mcp(self, *, wait: bool = False) -> None:
        """Start the MCP servers on their own thread; each one's tools join ``tools`` once it
        is ready (``wait``: return when every server is ready or failed)."""
        self.mcp.start(wait=wait)

    @property
    def store(self) -> Store:
        return self.open_store()

    def open_store(self) -> Store:
        """The history store, opened on first use (start-up stays fast)."""
        with self._store_lock:
            if self._store is None:
                self._store = self._open_store()
            return self._store

    def _open_store(self) -> Store:
        path = self.paths.history_db
        try:
            return Store(path)
        except StoreError as exc:
            if not path.exists():
                raise
            aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            path.replace(aside)
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            self.warnings.append(f"{exc}; moved it to {aside.name} and started a new one")
            return Store(path)

    def agent(
        self,
        *,
        mode: str | None = None,
        planner: str | None = None,
        caller: str | None = None,
        solver: str | None = None,
        approve: str | None = None,
        approver: Approver | None = None,
        databases: dict[str, str] | None = None,
    ) -> Agent:
        name = mode or self.settings.get("agent")
        if name not in AGENTS:
            raise SettingsError(f"agent mode '{name}' is not available; choose {', '.join(AGENTS)}")
        from app.agents.base import Roles
        from app.policy_changes import record
        from app.tools.approval import ApprovalGate
        from app.tools.registry import ToolRegistry

        roles = Roles.from_settings(self.pool, self.settings, planner, caller, solver)
        gate = ApprovalGate(
            self.settings,
            approver,
            override=approve,
            session=self.session_allowed,
            record=partial(record, self.paths),
        )
        tools = ToolRegistry(list(self.tools))  # MCP servers may add tools during the run
        return AGENTS[name](roles, tools, gate, self.settings, databases=databases)

    def run(
        self,
        agent: Agent,
        task: str,
        cancel: threading.Event | None = None,
        continue_from: str | None = None,
    ) -> Iterator[Event]:
        """The agent's events, each stored in the history before it is handed on.

        ``continue_from``: a run id (or unique prefix, or ``"last"``) this task follows up
        on; its planner then reads that run's conversation. Raises ``UnknownRun`` before
        anything starts when there is no such run.
        """
        earlier = self.earlier(continue_from) if continue_from else None
        return self.store.record(agent.run(task, cancel=cancel, earlier=earlier))

    def earlier(self, run_ref: str) -> Conversation:
        """The conversation up to run ``run_ref`` (an id, a unique prefix, or ``"last"``)."""
        from app.conversation import Conversation, Turn

        store = self.store
        record = store.latest() if run_ref == "last" else store.get(run_ref)
        if record is None:
            missing = "the history holds no run yet" if run_ref == "last" else f"no run '{run_ref}'"
            raise UnknownRun(f"cannot continue: {missing}")
        turns = tuple(Turn.from_events(store.events(r.id)) for r in store.thread(record.id))
        return Conversation(record.conversation or record.id, turns)

    def close(self) -> None:
        if self._mcp is not None:
            self._mcp.close()  # every server process it started ends here
        if self._pool is not None:
            self._pool.close()
        if self._store is not None:
            self._store.close()
