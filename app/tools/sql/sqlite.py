"""sql_query on SQLite: three walls against writes, and the statement run in autocommit.

The file is opened with ``mode=ro``, ``PRAGMA query_only`` is on, and an authorizer denies
every action that writes, including the two that the first two layers do not stop:
``ATTACH`` (creates files) and ``VACUUM INTO`` (writes a whole copy of the database through
an internal ATTACH), and pragmas that set values (``query_only=OFF`` among them).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from app.errors import ToolError
from app.text import one_line
from app.tools.registry import ToolContext
from app.tools.sql.results import Limits, affected_text, refused, result_table
from app.tools.sql.statement import Statement

_WRITE_ACTIONS = {
    getattr(sqlite3, f"SQLITE_{action}"): action.replace("_", " ")
    for action in (
        "CREATE_INDEX",
        "CREATE_TABLE",
        "CREATE_TEMP_INDEX",
        "CREATE_TEMP_TABLE",
        "CREATE_TEMP_TRIGGER",
        "CREATE_TEMP_VIEW",
        "CREATE_TRIGGER",
        "CREATE_VIEW",
        "CREATE_VTABLE",
        "DELETE",
        "DROP_INDEX",
        "DROP_TABLE",
        "DROP_TEMP_INDEX",
        "DROP_TEMP_TABLE",
        "DROP_TEMP_TRIGGER",
        "DROP_TEMP_VIEW",
        "DROP_TRIGGER",
        "DROP_VIEW",
        "DROP_VTABLE",
        "INSERT",
        "UPDATE",
        "ALTER_TABLE",
        "REINDEX",
        "ANALYZE",
        "ATTACH",
        "DETACH",
    )
}
# Changes to the schema table come with the DDL action that causes them (checked on its
# own, so the message names it), and with the first use of a table-valued pragma such as
# pragma_table_info(). SQLite itself refuses direct writes to the schema table.
_SCHEMA_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
_SCHEMA_TABLES = {"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"}
# Pragmas whose argument names what to read rather than a value to set.
_READ_PRAGMAS = {
    "table_info",
    "table_xinfo",
    "table_list",
    "index_info",
    "index_xinfo",
    "index_list",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
}
_WRITING_PRAGMAS = {"optimize", "incremental_vacuum", "wal_checkpoint", "shrink_memory"}
_DENIED_FUNCTIONS = {"load_extension"}


class ReadOnlyAuthorizer:
    """SQLite authorizer that denies writes and remembers what it denied, for the message."""

    def __init__(self) -> None:
        self.denied: list[str] = []

    def __call__(
        self, action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None
    ) -> int:
        reason = self._reason(action, arg1, arg2)
        if reason is None:
            return sqlite3.SQLITE_OK
        if reason not in self.denied:
            self.denied.append(reason)
        return sqlite3.SQLITE_DENY

    @staticmethod
    def _reason(action: int, arg1: str | None, arg2: str | None) -> str | None:
        if action in _SCHEMA_WRITES and arg1 in _SCHEMA_TABLES:
            return None
        if action in _WRITE_ACTIONS:
            subject = arg2 if action == sqlite3.SQLITE_ALTER_TABLE else arg1
            target = f" {subject}" if subject else ""
            return f"{_WRITE_ACTIONS[action]}{target}"
        if action == sqlite3.SQLITE_PRAGMA:
            pragma = (arg1 or "").lower()
            setting = arg2 is not None and pragma not in _READ_PRAGMAS
            if setting or pragma in _WRITING_PRAGMAS:
                return f"PRAGMA {pragma}" + (f" = {arg2}" if setting else "")
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _DENIED_FUNCTIONS:
            return f"function {arg2}"
        return None


def run_sqlite(statement: Statement) -> str:
    sql, name, url, values = statement.sql, statement.database, statement.url, statement.values
    context, limits = statement.context, statement.limits
    assert url.path is not None
    mode = "rw" if context.allow_write else "ro"
    try:
        connection = sqlite3.connect(
            f"{url.path.resolve().as_uri()}?mode={mode}",
            uri=True,
            isolation_level=None,
            timeout=limits.connect_seconds,
        )
    except sqlite3.Error as exc:
        raise ToolError(f"cannot open SQLite database '{name}' at {url.path}: {exc}") from None
    authorizer = ReadOnlyAuthorizer()
    try:
        if not context.allow_write:
            connection.execute("PRAGMA query_only = ON")
            connection.set_authorizer(authorizer)
        connection.set_progress_handler(_stopper(context, limits.query_seconds), 1000)
        if sqlite3.sqlite_version_info < (3, 44):  # concat() arrived in SQLite 3.44
            connection.create_function("concat", -1, _concat, deterministic=True)
        return _sqlite_statement(connection, sql, values, limits)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, name, authorizer, context, limits) from None
    finally:
        connection.close()


def _sqlite_statement(
    connection: sqlite3.Connection, sql: str, values: dict[str, str], limits: Limits
) -> str:
    """Run ``sql`` in autocommit mode: SQLite makes a single statement atomic by itself."""
    cursor = connection.execute(sql, values) if values else connection.execute(sql)
    if cursor.description is None:
        return affected_text(cursor.rowcount)
    return result_table([column[0] for column in cursor.description], cursor, limits)


def _concat(*values: object) -> str:
    """SQL ``concat()`` as MySQL and SQLite 3.44+ have it (NULLs skipped), for ``'%#E1%'``."""
    return "".join(str(value) for value in values if value is not None)


def _stopper(context: ToolContext, seconds: float) -> Callable[[], int]:
    """Progress handler: a non-zero answer makes SQLite interrupt the statement."""
    deadline = time.monotonic() + seconds
    return lambda: int(context.cancel.is_set() or time.monotonic() > deadline)


def _sqlite_error(
    exc: sqlite3.Error,
    name: str,
    authorizer: ReadOnlyAuthorizer,
    context: ToolContext,
    limits: Limits,
) -> Exception:
    message = one_line(exc)
    if authorizer.denied:
        return refused(name, f"SQLite refused {', '.join(authorizer.denied)} ({message})")
    if (
        getattr(exc, "sqlite_errorcode", None) is not None
        and exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY
        and not context.allow_write
    ):
        return refused(name, f"SQLite: {message}")
    if message == "interrupted":
        if context.cancel.is_set():
            return ToolError(f"query on '{name}' cancelled")
        return ToolError(f"query on '{name}' stopped after {limits.query_seconds:g} s")
    if isinstance(exc, sqlite3.ProgrammingError) and "one statement" in message:
        return ToolError(f"{name}: send one SQL statement per call ({message})")
    return ToolError(f"{name}: {message}")
