"""Changes to what guards the tools, kept in the history with when and from where.

The guarded settings are the approval policies, the trusted user tool files and running
code without a sandbox. Whatever changes one (the approval question's "always allow", the
settings dialog, ``smart-agent approval``, ``smart-agent tools trust``) describes the change
with ``changes`` and keeps it with ``record``; Settings → Approval and ``smart-agent
approval`` list them. The history lives in the data folder, which code run by a tool
cannot see, so what ran cannot erase the record of what it was allowed.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app.errors import StoreError
from app.events import PolicyChanged
from app.paths import Paths
from app.store import Store

log = logging.getLogger(__name__)

GUARDED = ("approval", "tools.trusted", "tools.python.unsandboxed")


def changes(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    source: str,
    *,
    session_only: bool = False,
) -> list[PolicyChanged]:
    """One event per guarded value that differs (per entry for the dict settings)."""
    now = time.time()
    found: list[PolicyChanged] = []

    def add(setting: str, old: Any, new: Any) -> None:
        found.append(
            PolicyChanged(
                run_id="",
                t=0.0,
                setting=setting,
                old=old,
                new=new,
                source=source,
                at=now,
                session_only=session_only,
            )
        )

    for name in GUARDED:
        if name not in after:
            continue
        old, new = before.get(name), after[name]
        if isinstance(new, dict):
            old = old if isinstance(old, dict) else {}
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    add(f"{name}.{key}", old.get(key), new.get(key))
        elif old != new:
            add(name, old, new)
    return found


def record(paths: Paths, found: list[PolicyChanged]) -> None:
    """Keep ``found`` in the history. A history that cannot be written is logged: the
    change the person made still stands."""
    if not found:
        return
    try:
        store = Store(paths.history_db)
    except StoreError:
        log.warning("policy changes not recorded: %s", found, exc_info=True)
        return
    try:
        store.append_policy_changes(found)
    except (sqlite3.Error, StoreError):
        log.warning("policy changes not recorded: %s", found, exc_info=True)
    finally:
        store.close()


def recent(paths: Paths, limit: int = 200) -> list[PolicyChanged]:
    """The latest recorded changes, newest first; none when there is no history yet."""
    if not paths.history_db.exists():
        return []
    try:
        store = Store(paths.history_db)
    except StoreError:
        return []
    try:
        return store.policy_changes(limit)
    finally:
        store.close()


def describe(change: PolicyChanged) -> str:
    """One line: when, what, from what to what, from where."""
    when = datetime.fromtimestamp(change.at).strftime("%Y-%m-%d %H:%M:%S")
    scope = " (this session only)" if change.session_only else ""
    return (
        f"{when}  {change.setting}: {_shown(change.old)} → {_shown(change.new)}{scope}"
        f"  — {change.source}"
    )


def _shown(value: Any) -> str:
    if value is None:
        return "default"
    if isinstance(value, str) and len(value) == 64:  # a SHA-256
        return value[:12] + "…"
    return str(value)
