"""sql_query: one SQL statement against SQLite or MySQL/MariaDB, read-only unless approved.

Read-only is enforced by the database engine, never by reading the SQL text: the engine
refuses the write, and the refusal becomes ``NeedsApproval`` so the worker can ask the
person and call again with ``ToolContext.allow_write`` set.

SQLite (read path): ``mode=ro``, ``PRAGMA query_only`` and an authorizer; see
``app.tools.sql.sqlite``.

MySQL/MariaDB (read path): a read-only session inside an XA transaction whose id cannot be
guessed, after checking the account's privileges; see ``app.tools.sql.mysql``.

Evidence from earlier plan steps is never part of the statement's text: a ReWOO step's
``#E1`` arrives as the named parameter ``:E1`` (``app.references``) and its value is bound
from ``ToolContext.evidence`` by the driver, so ``x'); DROP TABLE t; --`` is a value.

One statement per call: SQLite's driver refuses a second one, and the MySQL connection does
not enable multi-statements, so the server rejects it as a syntax error.

Database URLs: ``app.tools.sql.urls``. Result bounds and time limits: ``Limits`` in
``app.tools.sql.results``, passed in (``sql_tool(Limits(...))`` makes a tool with others).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

from app.errors import ToolError
from app.references import sql_parameters
from app.tools.registry import ToolContext, tool
from app.tools.sql.results import LIMITS, Limits
from app.tools.sql.sqlite import run_sqlite
from app.tools.sql.statement import Statement
from app.tools.sql.urls import DatabaseURL, parse_database_url, parse_db_option, password_for

__all__ = [
    "SAMPLE_DB",
    "SAMPLE_NAME",
    "DatabaseURL",
    "Limits",
    "parse_database_url",
    "parse_db_option",
    "password_for",
    "sql_query",
    "sql_tool",
]

SAMPLE_NAME = "films"
SAMPLE_DB = Path(__file__).resolve().parents[2] / "data" / "films.sqlite3"

_sample_lock = threading.Lock()


def sql_tool(limits: Limits = LIMITS) -> Any:
    """The ``sql_query`` tool function (marked with ``@tool``) with these limits and bounds."""

    @tool(
        risk="read", timeout=limits.query_seconds + 2 * limits.connect_seconds, evidence_as="sql"
    )
    def sql_query(sql: str, database: str = SAMPLE_NAME, *, context: ToolContext) -> str:
        """Run one SQL statement on a database and return the rows as a table.

        Reads run at once; anything that would change the database asks the person first.
        The default database "films" has tables directors(id, name, born, country) and
        films(id, title, year, director_id).

        Args:
            sql: One SQL statement, e.g. SELECT title, year FROM films WHERE director_id = 1.
            database: Name of a configured connection; "films" is the built-in sample.
        """
        if not sql.strip():
            raise ToolError("the SQL statement is empty")
        url = resolve_database(database, context)
        values = bound_values(sql, context)
        if url.engine == "sqlite":
            return run_sqlite(Statement(sql, database, url, context, values, limits))
        from app.tools.sql.mysql import run_mysql  # here: only MySQL connections need it

        return run_mysql(Statement(sql, database, url, context, values, limits))

    return sql_query


sql_query = sql_tool()


def bound_values(sql: str, context: ToolContext) -> dict[str, str]:
    """The evidence for each ``:E<k>`` parameter of ``sql``; ToolError if one is missing."""
    values: dict[str, str] = {}
    for name in sql_parameters(sql):
        if name not in context.evidence:
            known = ", ".join(f":{k}" for k in context.evidence) or "none"
            raise ToolError(
                f"the SQL uses the parameter :{name}, but no result {name} reached this call "
                f"(available: {known})"
            )
        values[name] = context.evidence[name]
    return values


def resolve_database(name: str, context: ToolContext) -> DatabaseURL:
    """The connection called ``name``: settings and ``context.databases`` over the sample."""
    configured = {**context.settings.get("databases"), **context.databases}
    if name not in configured:
        if name == SAMPLE_NAME:
            return DatabaseURL(engine="sqlite", path=sample_copy(context.settings.paths.data))
        known = ", ".join(sorted({SAMPLE_NAME, *configured}))
        raise ToolError(f"unknown database '{name}'; known databases: {known}")
    try:
        url = parse_database_url(str(configured[name]))
    except ValueError as exc:
        raise ToolError(f"database '{name}': {exc}") from None
    if url.path is not None and not url.path.is_absolute():
        url = DatabaseURL(engine="sqlite", path=context.workspace / url.path)
    return url


def sample_copy(data_dir: Path) -> Path:
    """The person's own copy of the sample database, made on first use.

    Approved writes may change the sample, and the file shipped with the app must stay
    as built, so the tool only ever opens this copy.
    """
    target = data_dir / SAMPLE_DB.name
    with _sample_lock:
        if not target.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.partial")
            shutil.copyfile(SAMPLE_DB, partial)
            partial.replace(target)
    return target
