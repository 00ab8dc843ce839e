"""Run history in SQLite: every run and every one of its events.

WAL mode and one commit per event: a process killed mid-run (even SIGKILL) loses nothing
stored before the kill and leaves a consistent file. Runs still marked ``running`` whose
process is gone are marked ``interrupted`` on the next open. A finished run keeps its
``run_finished`` status as it came (``app.events.RUN_STATUSES``: ``ok``, ``partial``,
``failed``, ``cancelled``): the column takes any text, so a new status needs no migration.
Migrations are an ordered list applied by ``PRAGMA user_version``.

Changes to what guards the tools (approval policies, trusted tool files) are kept too,
outside any run, as ``PolicyChanged`` events.

A run may carry the person's rating: +1 (a good run, fit for training), -1 (a bad one,
never to be trained on) or none.

A run may follow up on an earlier one: ``parent`` is the run it continues and
``conversation`` the id of the conversation's first run (a run that starts fresh is its
own conversation; runs stored before conversations existed each became one).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import StoreError, UnknownRun
from app.events import Event, PolicyChanged, RunFinished, RunStarted
from app.processes import pid_alive

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        task TEXT NOT NULL,
        agent TEXT NOT NULL,
        models TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'running',
        error TEXT,
        answer TEXT,
        started_at REAL NOT NULL,
        finished_at REAL,
        pid INTEGER
    );
    CREATE TABLE events (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        t REAL NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    );
    CREATE INDEX runs_started ON runs(started_at DESC);
    """,
    """
    ALTER TABLE runs ADD COLUMN rating INTEGER CHECK (rating IN (-1, 1));
    """,
    """
    CREATE TABLE policy_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        data TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE runs ADD COLUMN parent TEXT;
    ALTER TABLE runs ADD COLUMN conversation TEXT;
    UPDATE runs SET conversation = id;
    CREATE INDEX runs_conversation ON runs(conversation, started_at);
    """,
)

RATINGS = (1, -1)
_RUN_COLUMNS = (
    "id, task, agent, models, status, error, answer, started_at, finished_at, rating, "
    "parent, conversation"
)


@dataclass(frozen=True)
class RunRecord:
    id: str
    task: str
    agent: str
    models: dict[str, str]
    status: str
    error: str | None
    answer: str | None
    started_at: float
    finished_at: float | None
    rating: int | None = None  # +1 good, -1 bad, None not rated
    parent: str | None = None  # the run this one follows up on
    conversation: str | None = None  # the id of the conversation's first run

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._seq: dict[str, int] = {}
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the history database {self.path} cannot be used: {exc}") from None
        self.interrupted = self._mark_interrupted()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={number}")

    def _mark_interrupted(self) -> list[str]:
        """Runs left 'running' by a process that no longer exists become 'interrupted'."""
        rows = self._db.execute("SELECT id, pid FROM runs WHERE status = 'running'").fetchall()
        gone = [run_id for run_id, pid in rows if not pid_alive(pid)]
        for run_id in gone:
            last = self._db.execute(
                "SELECT MAX(t), MAX(seq) FROM events WHERE run_id = ?", (run_id,)
            ).fetchone()
            message = "interrupted: the app stopped before this run finished"
            finished = RunFinished(run_id=run_id, t=last[0] or 0.0, status="failed", error=message)
            with self._transaction():
                self._db.execute(
                    "INSERT INTO events (run_id, seq, type, t, data) VALUES (?, ?, ?, ?, ?)",
                    (run_id, (last[1] or 0) + 1, finished.type, finished.t, finished.to_json()),
                )
                self._db.execute(
                    "UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? "
                    "WHERE id = ?",
                    (message, time.time(), run_id),
                )
        return gone

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- writing ---------------------------------------------------------------------------

    def append(self, event: Event) -> None:
        """Store one event (and keep the run's summary row current). One commit each."""
        with self._lock, self._transaction():
            if isinstance(event, RunStarted):
                self._db.execute(
                    "INSERT INTO runs (id, task, agent, models, started_at, pid, parent, "
                    "conversation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        event.run_id,
                        event.task,
                        event.agent,
                        json.dumps(event.models),
                        time.time(),
                        os.getpid(),
                        event.parent,
                        event.conversation or event.run_id,
                    ),
                )
                self._seq[event.run_id] = 0
            seq = self._seq.get(event.run_id)
            if seq is None:
                row = self._db.execute(
                    "SELECT MAX(seq) FROM events WHERE run_id = ?", (event.run_id,)
                ).fetchone()
                seq = row[0] or 0
            seq += 1
            self._seq[event.run_id] = seq
            self._db.execute(
                "INSERT INTO events (run_id, seq, type, t, data) VALUES (?, ?, ?, ?, ?)",
                (event.run_id, seq, event.type, event.t, event.to_json()),
            )
            if event.type == "answer":
                self._db.execute(
                    "UPDATE runs SET answer = ? WHERE id = ?",
                    (getattr(event, "text", ""), event.run_id),
                )
            elif isinstance(event, RunFinished):
                self._db.execute(
                    "UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?",
                    (event.status, event.error, time.time(), event.run_id),
                )
                self._seq.pop(event.run_id, None)

    def append_policy_changes(self, changes: Iterable[PolicyChanged]) -> None:
        """Keep changes to what guards the tools (outside any run), all in one commit."""
        with self._lock, self._transaction():
            for change in changes:
                self._db.execute(
                    "INSERT INTO policy_changes (at, data) VALUES (?, ?)",
                    (change.at, change.to_json()),
                )

    def record(self, events: Iterable[Event]) -> Iterator[Event]:
        """Pass ``events`` through, storing each before it is handed on."""
        for event in events:
            self.append(event)
            yield event

    # -- reading ---------------------------------------------------------------------------

    def runs(self, search: str = "", limit: int = 100) -> list[RunRecord]:
        query = f"SELECT {_RUN_COLUMNS} FROM runs"
        params: list[Any] = []
        if search:
            query += " WHERE task LIKE ? OR answer LIKE ?"
            params += [f"%{search}%", f"%{search}%"]
        query += " ORDER BY started_at DESC LIMIT ?"
        params.append(limit)
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        return [self._record(row) for row in rows]

    def get(self, run_id: str) -> RunRecord | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs "
                "WHERE id = ? OR id LIKE ? ORDER BY id = ? DESC LIMIT 2",
                (run_id, f"{run_id}%", run_id),
            ).fetchall()
        if not row:
            return None
        if len(row) > 1 and row[0][0] != run_id:
            raise UnknownRun(f"run id prefix '{run_id}' is ambiguous")
        return self._record(row[0])

    def latest(self) -> RunRecord | None:
        """The run started last, if any."""
        runs = self.runs(limit=1)
        return runs[0] if runs else None

    def thread(self, run_id: str) -> list[RunRecord]:
        """The run and the runs it follows up on, oldest first (what a follow-up reads)."""
        chain: list[RunRecord] = []
        seen: set[str] = set()
        record = self.get(run_id)
        while record is not None and record.id not in seen:
            chain.append(record)
            seen.add(record.id)
            record = self.get_exact(record.parent) if record.parent else None
        return chain[::-1]

    def conversation(self, conversation_id: str) -> list[RunRecord]:
        """Every run of a conversation, in the order they started."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE conversation = ? OR id = ? "
                "ORDER BY started_at",
                (conversation_id, conversation_id),
            ).fetchall()
        return [self._record(row) for row in rows]

    def conversations(self, search: str = "", limit: int = 100) -> list[list[RunRecord]]:
        """Conversations with a run whose task or answer holds ``search``, the latest
        active first; each as its runs in the order they started."""
        query = "SELECT conversation FROM runs GROUP BY conversation"
        params: list[Any] = []
        if search:
            query += " HAVING SUM(task LIKE ? OR answer LIKE ?) > 0"
            params += [f"%{search}%", f"%{search}%"]
        query += " ORDER BY MAX(started_at) DESC LIMIT ?"
        params.append(limit)
        with self._lock:
            ids = [row[0] for row in self._db.execute(query, params).fetchall()]
            rows = self._db.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE conversation IN "
                f"({', '.join('?' * len(ids))}) ORDER BY started_at",
                ids,
            ).fetchall()
        grouped: dict[str, list[RunRecord]] = {conversation: [] for conversation in ids}
        for row in rows:
            record = self._record(row)
            grouped[record.conversation or record.id].append(record)
        return [runs for runs in grouped.values() if runs]

    def delete_conversation(self, conversation_id: str) -> int:
        """Delete every run of a conversation; how many there were."""
        ids = [r.id for r in self.conversation(conversation_id)]
        with self._lock, self._transaction():
            for run_id in ids:
                self._db.execute("DELETE FROM events WHERE run_id = ?", (run_id,))
                self._db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        return len(ids)

    def get_exact(self, run_id: str) -> RunRecord | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
        return self._record(row) if row else None

    def events(self, run_id: str) -> list[Event]:
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM events WHERE run_id = ? ORDER BY seq", (run_id,)
            ).fetchall()
        return [Event.from_json(data) for (data,) in rows]

    def policy_changes(self, limit: int = 200) -> list[PolicyChanged]:
        """The latest changes to what guards the tools, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM policy_changes ORDER BY seq DESC LIMIT ?", (limit,)
            ).fetchall()
        changes = [Event.from_json(data) for (data,) in rows]
        return [c for c in changes if isinstance(c, PolicyChanged)]

    def rate(self, run_id: str, rating: int | None) -> bool:
        """Rate a run: +1 good, -1 bad, None clears. False when there is no such run."""
        if rating is not None and rating not in RATINGS:
            raise ValueError(f"a rating is +1, -1 or None, not {rating!r}")
        with self._lock, self._transaction():
            updated = self._db.execute(
                "UPDATE runs SET rating = ? WHERE id = ?", (rating, run_id)
            ).rowcount
        return bool(updated)

    def delete(self, run_id: str) -> bool:
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM events WHERE run_id = ?", (run_id,))
            deleted = self._db.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount
        return bool(deleted)

    @staticmethod
    def _record(row: tuple[Any, ...]) -> RunRecord:
        return RunRecord(
            id=row[0],
            task=row[1],
            agent=row[2],
            models=json.loads(row[3] or "{}"),
            status=row[4],
            error=row[5],
            answer=row[6],
            started_at=row[7],
            finished_at=row[8],
            rating=row[9],
            parent=row[10],
            conversation=row[11] or row[0],
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()
