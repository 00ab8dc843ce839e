"""sql_query: one SQL statement against SQLite or MySQL/MariaDB, read-only unless approved.

Read-only is enforced by the database engine, never by reading the SQL text: the engine
refuses the write, and the refusal becomes ``NeedsApproval`` so the worker can ask the
person and call again with ``ToolContext.allow_write`` set.

SQLite (read path): the file is opened with ``mode=ro``, ``PRAGMA query_only`` is on, and an
authorizer denies every action that writes, including the two that the first two layers do
not stop: ``ATTACH`` (creates files) and ``VACUUM INTO`` (writes a whole copy of the database
through an internal ATTACH), and pragmas that set values (``query_only=OFF`` among them).

MySQL/MariaDB (read path): a read-only session inside an XA transaction whose id cannot be
guessed, after checking the account's privileges; see ``app.tools.sql.mysql``.

Evidence from earlier plan steps is never part of the statement's text: a ReWOO step's
``#E1`` arrives as the named parameter ``:E1`` (``app.references``) and its value is bound
from ``ToolContext.evidence`` by the driver, so ``x'); DROP TABLE t; --`` is a value.

One statement per call: SQLite's driver refuses a second one, and the MySQL connection does
not enable multi-statements, so the server rejects it as a syntax error.

Database URLs: ``sqlite:///PATH`` (a relative PATH is relative to the workspace, as in
SQLAlchemy ``sqlite:////abs/path`` is absolute; ``~`` is expanded) and
``mysql://USER[:PASSWORD]@HOST[:PORT]/DB[?unix_socket=PATH]`` (also ``mariadb://``). Without
an inline password the password of connection NAME comes from the keyring entry
``db_password_NAME`` or the environment variable ``SMART_AGENT_DB_PASSWORD_<NAME>``.
"""

from __future__ import annotations

import itertools
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from app.errors import NeedsApproval, ToolError
from app.references import sql_parameters
from app.secrets import get_secret
from app.tools.registry import ToolContext, tool

SAMPLE_NAME = "films"
SAMPLE_DB = Path(__file__).resolve().parents[2] / "data" / "films.sqlite3"
QUERY_SECONDS = 20.0  # the engine stops a statement after this long
CONNECT_SECONDS = 5
ROW_CAP = 50
BYTE_CAP = 8000
CELL_CAP = 200
COUNT_CAP = 100_000  # rows beyond the shown ones that are counted before giving up

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MYSQL_SCHEMES = ("mysql", "mariadb", "mysql+pymysql")
_sample_lock = threading.Lock()


# -- URLs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatabaseURL:
    """A parsed connection URL; ``password`` is None when it comes from the keyring."""

    engine: Literal["sqlite", "mysql"]
    path: Path | None = None
    user: str = ""
    password: str | None = field(default=None, repr=False)
    host: str = "localhost"
    port: int = 3306
    database: str = ""
    unix_socket: str | None = None

    def display(self) -> str:
        """The URL without its password, for messages."""
        if self.engine == "sqlite":
            return f"sqlite:///{self.path}"
        where = f"?unix_socket={self.unix_socket}" if self.unix_socket else ""
        return f"mysql://{self.user}@{self.host}:{self.port}/{self.database}{where}"


def parse_database_url(url: str) -> DatabaseURL:
    """Parse ``sqlite:///PATH`` or ``mysql://USER@HOST:PORT/DB``; ValueError says what is wrong."""
    text = url.strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme == "sqlite":
        return _parse_sqlite_url(text)
    if scheme in _MYSQL_SCHEMES:
        return _parse_mysql_url(text)
    raise ValueError(
        f"unsupported database URL '{_without_password(text)}': "
        "use sqlite:///PATH or mysql://USER@HOST:PORT/DB"
    )


def parse_db_option(text: str) -> tuple[str, DatabaseURL]:
    """Parse the command line's ``NAME=URL``; the name must be an identifier."""
    name, sep, url = text.partition("=")
    if not sep or not _NAME.fullmatch(name.strip()):
        shown = _without_password(text)
        raise ValueError(f"'{shown}' is not NAME=URL (NAME like films or sales_db)")
    return name.strip(), parse_database_url(url)


def _parse_sqlite_url(text: str) -> DatabaseURL:
    if not text.lower().startswith("sqlite:///") or len(text) == len("sqlite:///"):
        raise ValueError(f"SQLite URLs look like sqlite:///PATH, not '{text}'")
    return DatabaseURL(engine="sqlite", path=Path(text[len("sqlite:///") :]).expanduser())


def _parse_mysql_url(text: str) -> DatabaseURL:
    parts = urlsplit(text)
    shown = _without_password(text)
    try:
        port = parts.port or 3306
    except ValueError:
        raise ValueError(f"bad port in '{shown}'") from None
    database = unquote(parts.path.lstrip("/"))
    if not parts.username or not database or "/" in database:
        raise ValueError(f"MySQL URLs look like mysql://USER@HOST:PORT/DB, not '{shown}'")
    query = parse_qs(parts.query)
    sockets = query.get("unix_socket") or query.get("socket") or []
    return DatabaseURL(
        engine="mysql",
        user=unquote(parts.username),
        password=unquote(parts.password) if parts.password is not None else None,
        host=parts.hostname or "localhost",
        port=port,
        database=database,
        unix_socket=sockets[0] if sockets else None,
    )


def _without_password(text: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", text)


# -- the tool -----------------------------------------------------------------------------


@tool(risk="read", timeout=QUERY_SECONDS + 2 * CONNECT_SECONDS, evidence_as="sql")
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
        return _run_sqlite(sql, database, url, context, values)
    from app.tools.sql.mysql import run_mysql  # here: only MySQL connections need it

    return run_mysql(sql, database, url, context, values)


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


# -- results ------------------------------------------------------------------------------


def result_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table of at most ROW_CAP rows and about BYTE_CAP bytes, and a count line.

    Rows past the caps are counted (up to COUNT_CAP) so the reader knows what is missing.
    """
    lines = [_table_line(columns), "|" + "---|" * len(columns)]
    size = sum(len(line.encode()) + 1 for line in lines)
    shown = 0
    iterator = iter(rows)
    for row in iterator:
        line = _table_line(row)
        if shown >= ROW_CAP or size + len(line.encode()) + 1 > BYTE_CAP:
            lines.append(_more_note(_count(itertools.chain([row], iterator)), shown))
            return "\n".join(lines)
        lines.append(line)
        size += len(line.encode()) + 1
        shown += 1
    lines.append(f"({shown:,} row{'s' if shown != 1 else ''})")
    return "\n".join(lines)


def affected_text(count: int) -> str:
    count = max(count, 0)
    return f"{count:,} row{'s' if count != 1 else ''} affected"


def _count(rows: Iterator[Any]) -> int | None:
    """How many ``rows`` there are, or None past COUNT_CAP (counting has a price)."""
    seen = 0
    for _ in rows:
        seen += 1
        if seen > COUNT_CAP:
            return None
    return seen


def _more_note(more: int | None, shown: int) -> str:
    amount = f"more than {COUNT_CAP:,}" if more is None else f"{more:,}"
    return f"… {amount} more row{'s' if more != 1 else ''} not shown ({shown:,} shown)"


def _table_line(values: Sequence[Any]) -> str:
    return "| " + " | ".join(_cell(value) for value in values) + " |"


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value)):,} bytes>"
    text = " ".join(str(value).split()).replace("|", "\\|")
    return text if len(text) <= CELL_CAP else text[: CELL_CAP - 1] + "…"


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _refused(name: str, detail: str) -> NeedsApproval:
    return NeedsApproval(f"this SQL would change the database '{name}': {_one_line(detail)}")


# -- SQLite -------------------------------------------------------------------------------

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


class _ReadOnlyAuthorizer:
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


def _run_sqlite(
    sql: str, name: str, url: DatabaseURL, context: ToolContext, values: dict[str, str]
) -> str:
    assert url.path is not None
    mode = "rw" if context.allow_write else "ro"
    try:
        connection = sqlite3.connect(
            f"{url.path.resolve().as_uri()}?mode={mode}",
            uri=True,
            isolation_level=None,
            timeout=CONNECT_SECONDS,
        )
    except sqlite3.Error as exc:
        raise ToolError(f"cannot open SQLite database '{name}' at {url.path}: {exc}") from None
    authorizer = _ReadOnlyAuthorizer()
    try:
        if not context.allow_write:
            connection.execute("PRAGMA query_only = ON")
            connection.set_authorizer(authorizer)
        connection.set_progress_handler(_stopper(context), 1000)
        if sqlite3.sqlite_version_info < (3, 44):  # concat() arrived in SQLite 3.44
            connection.create_function("concat", -1, _concat, deterministic=True)
        return _sqlite_statement(connection, sql, values)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, name, authorizer, context) from None
    finally:
        connection.close()


def _sqlite_statement(connection: sqlite3.Connection, sql: str, values: dict[str, str]) -> str:
    """Run ``sql`` in autocommit mode: SQLite makes a single statement atomic by itself."""
    cursor = connection.execute(sql, values) if values else connection.execute(sql)
    if cursor.description is None:
        return affected_text(cursor.rowcount)
    return result_table([column[0] for column in cursor.description], cursor)


def _concat(*values: object) -> str:
    """SQL ``concat()`` as MySQL and SQLite 3.44+ have it (NULLs skipped), for ``'%#E1%'``."""
    return "".join(str(value) for value in values if value is not None)


def _stopper(context: ToolContext) -> Callable[[], int]:
    """Progress handler: a non-zero answer makes SQLite interrupt the statement."""
    deadline = time.monotonic() + QUERY_SECONDS
    return lambda: int(context.cancel.is_set() or time.monotonic() > deadline)


def _sqlite_error(
    exc: sqlite3.Error, name: str, authorizer: _ReadOnlyAuthorizer, context: ToolContext
) -> Exception:
    message = _one_line(exc)
    if authorizer.denied:
        return _refused(name, f"SQLite refused {', '.join(authorizer.denied)} ({message})")
    if (
        getattr(exc, "sqlite_errorcode", None) is not None
        and exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY
        and not context.allow_write
    ):
        return _refused(name, f"SQLite: {message}")
    if message == "interrupted":
        if context.cancel.is_set():
            return ToolError(f"query on '{name}' cancelled")
        return ToolError(f"query on '{name}' stopped after {QUERY_SECONDS:g} s")
    if isinstance(exc, sqlite3.ProgrammingError) and "one statement" in message:
        return ToolError(f"{name}: send one SQL statement per call ({message})")
    return ToolError(f"{name}: {message}")


def password_for(name: str, url: DatabaseURL) -> str | None:
    """The inline password, else the keyring's ``db_password_NAME`` or the environment's."""
    if url.password is not None:
        return url.password
    variable = "SMART_AGENT_DB_PASSWORD_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()
    return get_secret(f"db_password_{name}", env=variable)
