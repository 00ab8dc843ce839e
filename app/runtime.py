"""Everything a front end needs to run tasks: settings, models, tools, history.

The CLI, the GUI and the HTTP API each hold one ``Runtime``; models load once per process
through its pool, whichever roles and runs use them.
"""

from __future__ import annotations

import logging
import logging.handlers
import threading
import time
from collections.abc import Iterator
from functools import partial

from app.agents.autogpt import AutoGPTAgent
from app.agents.base import Agent, Roles
from app.agents.react import ReActAgent
from app.agents.rewoo import ReWOOAgent
from app.conversation import Conversation, Turn
from app.errors import SettingsError, StoreError, UnknownRun
from app.events import Event
from app.llm import ModelPool
from app.paths import Paths
from app.policy_changes import record
from app.settings import Settings
from app.store import Store
from app.tools.approval import ApprovalGate, Approver
from app.tools.builtin import builtin_tools
from app.tools.registry import ToolRegistry
from app.tools.user import load_user_tools

AGENTS: dict[str, type[Agent]] = {
    "rewoo": ReWOOAgent,
    "react": ReActAgent,
    "autogpt": AutoGPTAgent,
}


def setup_logging(paths: Paths) -> None:
    """Log to a rotating file in the logs folder; the person sees one line, never a trace."""
    root = logging.getLogger()
    if any(getattr(h, "_smart_agent", False) for h in root.handlers):
        return
    paths.logs.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        paths.logs / "smart-agent.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._smart_agent = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)


class Runtime:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.load()
        self.paths = self.settings.paths
        self.paths.ensure()
        self.settings.workspace.mkdir(parents=True, exist_ok=True)
        self.warnings: list[str] = list(self.settings.warnings)
        self.pool = ModelPool(self.settings)
        self.tools: ToolRegistry = builtin_tools()
        self.warnings += load_user_tools(
            self.paths.user_tools_dir, self.tools, self.settings.get("tools.trusted")
        )
        self.session_allowed: set[str] = set()  # "always allow" for code, until the app quits
        self._store: Store | None = None
        self._store_lock = threading.Lock()

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
        roles = Roles.from_settings(self.pool, self.settings, planner, caller, solver)
        gate = ApprovalGate(
            self.settings,
            approver,
            override=approve,
            session=self.session_allowed,
            record=partial(record, self.paths),
        )
        return AGENTS[name](roles, self.tools, gate, self.settings, databases=databases)

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
        store = self.store
        record = store.latest() if run_ref == "last" else store.get(run_ref)
        if record is None:
            missing = "the history holds no run yet" if run_ref == "last" else f"no run '{run_ref}'"
            raise UnknownRun(f"cannot continue: {missing}")
        turns = tuple(Turn.from_events(store.events(r.id)) for r in store.thread(record.id))
        return Conversation(record.conversation or record.id, turns)

    def close(self) -> None:
        self.pool.close()
        if self._store is not None:
            self._store.close()
