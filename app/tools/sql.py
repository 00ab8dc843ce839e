"""sql_query: one SQL statement against SQLite or MySQL/MariaDB, read-only unless approved.

Read-only is enforced by the database engine, never by reading the SQL text: the engine
refuses the write, and the refusal becomes ``NeedsApproval`` so the worker can ask the
person and call again with ``ToolContext.allow_write`` set.

SQLite (read path): the file is opened with ``mode=ro``, ``PRAGMA query_only`` is on, and an
authorizer denies every action that writes, including the two that the first two layers do
not stop: ``ATTACH`` (creates files) and ``VACUUM INTO`` (writes a whole copy of the database
through an internal ATTACH), and pragmas that set values (``query_only=OFF`` among them).

MySQL/MariaDB (read path): the session is made read-only (``SET SESSION TRANSACTION READ
ONLY``) and the statement runs inside an XA transaction with a random id. A read-only
transaction alone is not enough: DDL commits implicitly *before* it runs and so leaves it,
and on MariaDB ``SET STATEMENT tx_read_only=0 FOR ...`` or an anonymous ``BEGIN NOT ATOMIC
COMMIT; ...; END`` block can leave it too. While an XA transaction is active the server
refuses every statement that would commit (error 1399), and the id cannot be guessed to end
it. What a transaction cannot cover (``SET GLOBAL``, ``INTO OUTFILE``, ``SHUTDOWN``) needs
global privileges, so the account's privileges are read from the server first; an account
holding any beyond plain data access asks for approval before every statement.

One statement per call: SQLite's driver refuses a second one, and the MySQL connection does
not enable multi-statements, so the server rejects it as a syntax error.

Database URLs: ``sqlite:///PATH`` (a relative PATH is relative to the workspace, as in
SQLAlchemy ``sqlite:////abs/path`` is absolute; ``~`` is expanded) and
``mysql://USER[:PASSWORD]@HOST[:PORT]/DB[?unix_socket=PATH]`` (also ``mariadb://``). Without
an inline password the password of connection NAME comes from the keyring entry
``db_password_NAME`` or the environment variable ``SMART_AGENT_DB_PASSWORD_<NAME>``.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import secrets
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
from app.secrets import get_secret
from app.tools.registry import ToolContext, tool

SAMPLE_NAME = "films"
SAMPLE_DB = Path(__file__).resolve().parent.parent / "data" / "films.sqlite3"
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
    return DatabaseURL(engine="sqlite", path=Path(text[len("sqlite:///"):]).expanduser())


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


@tool(risk="read", timeout=QUERY_SECONDS + 2 * CONNECT_SECONDS)
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
    if url.engine == "sqlite":
        return _run_sqlite(sql, database, url, context)
    return _run_mysql(sql, database, url, context)


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
        "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE",
        "CREATE_TEMP_TRIGGER", "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW",
        "CREATE_VTABLE", "DELETE", "DROP_INDEX", "DROP_TABLE", "DROP_TEMP_INDEX",
        "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER", "DROP_TEMP_VIEW", "DROP_TRIGGER",
        "DROP_VIEW", "DROP_VTABLE", "INSERT", "UPDATE", "ALTER_TABLE", "REINDEX",
        "ANALYZE", "ATTACH", "DETACH",
    )
}
# Changes to the schema table come with the DDL action that causes them (checked on its
# own, so the message names it), and with the first use of a table-valued pragma such as
# pragma_table_info(). SQLite itself refuses direct writes to the schema table.
_SCHEMA_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
_SCHEMA_TABLES = {"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"}
# Pragmas whose argument names what to read rather than a value to set.
_READ_PRAGMAS = {
    "table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
}
_WRITING_PRAGMAS = {"optimize", "incremental_vacuum", "wal_checkpoint", "shrink_memory"}
_DENIED_FUNCTIONS = {"load_extension"}


class _ReadOnlyAuthorizer:
    """SQLite authorizer that denies writes and remembers what it denied, for the message."""

    def __init__(self) -> None:
        self.denied: list[str] = []

    def __call__(self, action: int, arg1: str | None, arg2: str | None,
                 db: str | None, source: str | None) -> int:
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


def _run_sqlite(sql: str, name: str, url: DatabaseURL, context: ToolContext) -> str:
    assert url.path is not None
    mode = "rw" if context.allow_write else "ro"
    try:
        connection = sqlite3.connect(f"{url.path.resolve().as_uri()}?mode={mode}", uri=True,
                                     isolation_level=None, timeout=CONNECT_SECONDS)
    except sqlite3.Error as exc:
        raise ToolError(f"cannot open SQLite database '{name}' at {url.path}: {exc}") from None
    authorizer = _ReadOnlyAuthorizer()
    try:
        if not context.allow_write:
            connection.execute("PRAGMA query_only = ON")
            connection.set_authorizer(authorizer)
        connection.set_progress_handler(_stopper(context), 1000)
        return _sqlite_statement(connection, sql)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, name, authorizer, context) from None
    finally:
        connection.close()


def _sqlite_statement(connection: sqlite3.Connection, sql: str) -> str:
    """Run ``sql`` in autocommit mode: SQLite makes a single statement atomic by itself."""
    cursor = connection.execute(sql)
    if cursor.description is None:
        return affected_text(cursor.rowcount)
    return result_table([column[0] for column in cursor.description], cursor)


def _stopper(context: ToolContext) -> Callable[[], int]:
    """Progress handler: a non-zero answer makes SQLite interrupt the statement."""
    deadline = time.monotonic() + QUERY_SECONDS
    return lambda: int(context.cancel.is_set() or time.monotonic() > deadline)


def _sqlite_error(exc: sqlite3.Error, name: str, authorizer: _ReadOnlyAuthorizer,
                  context: ToolContext) -> Exception:
    message = _one_line(exc)
    if authorizer.denied:
        return _refused(name, f"SQLite refused {', '.join(authorizer.denied)} ({message})")
    if getattr(exc, "sqlite_errorcode", None) is not None and \
            exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY and not context.allow_write:
        return _refused(name, f"SQLite: {message}")
    if message == "interrupted":
        if context.cancel.is_set():
            return ToolError(f"query on '{name}' cancelled")
        return ToolError(f"query on '{name}' stopped after {QUERY_SECONDS:g} s")
    if isinstance(exc, sqlite3.ProgrammingError) and "one statement" in message:
        return ToolError(f"{name}: send one SQL statement per call ({message})")
    return ToolError(f"{name}: {message}")


# -- MySQL / MariaDB ----------------------------------------------------------------------

# Global privileges that only reach data and schema, which the read-only XA transaction
# guards. Anything else (FILE, SUPER, SHUTDOWN, CREATE USER, the *ADMIN ones, privileges
# unknown to this list) acts outside transactions, so such an account always asks.
_SAFE_PRIVILEGES = frozenset({
    "USAGE", "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "REFERENCES",
    "INDEX", "ALTER", "SHOW DATABASES", "CREATE TEMPORARY TABLES", "LOCK TABLES",
    "EXECUTE", "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE", "ALTER ROUTINE", "EVENT",
    "TRIGGER", "DELETE HISTORY", "PROCESS", "REPLICATION CLIENT", "BINLOG MONITOR",
    "SLAVE MONITOR", "REPLICATION SLAVE",
})
# Where a session could read back its own XA START, and so the id (information_schema
# lists only the tables the account may read).
_HISTORY_ON = (
    "SELECT @@performance_schema = 1,"
    " @@log_output LIKE '%TABLE%' AND (@@general_log = 1 OR @@slow_query_log = 1)"
)
_HISTORY_TABLES = {
    "performance_schema": "TABLE_NAME LIKE 'events\\_statements\\_%%'"
                          " OR TABLE_NAME LIKE 'events\\_transactions\\_%%'",
    "mysql": "TABLE_NAME IN ('general_log', 'slow_log')",
}
_TIMEOUT_ERRORS = {1969, 3024}  # max_statement_time (MariaDB), max_execution_time (MySQL)


def password_for(name: str, url: DatabaseURL) -> str | None:
    """The inline password, else the keyring's ``db_password_NAME`` or the environment's."""
    if url.password is not None:
        return url.password
    variable = "SMART_AGENT_DB_PASSWORD_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()
    return get_secret(f"db_password_{name}", env=variable)


def _run_mysql(sql: str, name: str, url: DatabaseURL, context: ToolContext) -> str:
    try:
        import pymysql
    except ImportError:
        raise ToolError(f"database '{name}' needs PyMySQL: pip install PyMySQL") from None
    connection = _mysql_connect(name, url)
    try:
        if context.allow_write:
            return _mysql_write(connection, sql)
        _enter_read_only(connection, name)
        return _mysql_rows(connection, sql)
    except pymysql.err.MySQLError as exc:
        raise _mysql_error(exc, name, sql) from None
    finally:
        with contextlib.suppress(Exception):  # a broken connection is closed already
            connection.close()


def _mysql_connect(name: str, url: DatabaseURL) -> Any:
    """A connection without multi-statements or LOCAL INFILE, with network timeouts."""
    import pymysql

    place: dict[str, Any] = {"host": url.host, "port": url.port}
    if url.unix_socket:
        place = {"unix_socket": url.unix_socket}
    try:
        return pymysql.connect(
            user=url.user, password=password_for(name, url) or "", database=url.database,
            charset="utf8mb4", autocommit=False, local_infile=False,
            connect_timeout=CONNECT_SECONDS, read_timeout=int(QUERY_SECONDS) + CONNECT_SECONDS,
            write_timeout=CONNECT_SECONDS * 2, **place,
        )
    except pymysql.err.MySQLError as exc:
        code = exc.args[0] if exc.args else None
        hint = ""
        if code == 1045:
            hint = (f"; check the password (keyring entry db_password_{name} or "
                    f"SMART_AGENT_DB_PASSWORD_{re.sub(r'[^A-Za-z0-9]', '_', name).upper()})")
        detail = _one_line(exc.args[-1] if exc.args else exc)
        raise ToolError(f"cannot connect to database '{name}' ({url.display()}): {detail}{hint}") \
            from None


def _enter_read_only(connection: Any, name: str) -> None:
    """Make the session read-only and open an XA transaction nothing inside can commit."""
    import pymysql

    mariadb = _is_mariadb(connection)
    with connection.cursor() as cursor:
        risks = _account_risks(cursor, mariadb)
        if risks:
            raise NeedsApproval(
                f"the account for database '{name}' could act outside the read-only guard "
                f"({'; '.join(risks)}), so this SQL needs approval; "
                "an account with only data privileges runs reads without asking"
            )
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
        variable = "max_statement_time" if mariadb else "max_execution_time"
        limit = QUERY_SECONDS if mariadb else int(QUERY_SECONDS * 1000)
        try:
            cursor.execute(f"SET SESSION {variable} = %s", (limit,))
        except pymysql.err.MySQLError:
            pass  # older servers lack the variable; the read timeout still ends the wait
        cursor.execute("XA START %s", (f"smart-agent-{secrets.token_hex(16)}",))


def _account_risks(cursor: Any, mariadb: bool) -> list[str]:
    """What this account could do outside a transaction, as the server reports it."""
    import pymysql

    cursor.execute("SELECT CURRENT_USER()")
    user, _, host = str(cursor.fetchone()[0]).rpartition("@")
    cursor.execute(
        "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = %s",
        (f"'{user}'@'{host}'",),
    )
    risks = sorted({str(row[0]).upper() for row in cursor.fetchall()} - _SAFE_PRIVILEGES)
    try:
        cursor.execute("SELECT DISTINCT ROLE_NAME FROM information_schema.APPLICABLE_ROLES")
        roles = sorted(str(row[0]) for row in cursor.fetchall())
    except pymysql.err.MySQLError:
        roles = []  # servers without roles
    if roles:
        risks.append(f"roles {', '.join(roles)}, whose privileges the server does not show")
    if mariadb and _history_readable(cursor):
        risks.append("can read the server's statement history")
    return risks


def _history_readable(cursor: Any) -> bool:
    """Whether a statement could find this session's XA id in a log it may read.

    Only MariaDB needs this: there one statement (a ``BEGIN NOT ATOMIC`` block) could end
    the XA transaction if it knew the id.
    """
    cursor.execute(_HISTORY_ON)
    performance_schema, log_tables = cursor.fetchone()
    for schema, enabled in (("performance_schema", performance_schema), ("mysql", log_tables)):
        if enabled:
            cursor.execute("SELECT COUNT(*) FROM information_schema.TABLES"
                           f" WHERE TABLE_SCHEMA = %s AND ({_HISTORY_TABLES[schema]})", (schema,))
            if cursor.fetchone()[0]:
                return True
    return False


def _is_mariadb(connection: Any) -> bool:
    return "mariadb" in str(connection.get_server_info()).lower()


def _mysql_rows(connection: Any, sql: str) -> str:
    """Stream the result (unbuffered), so a huge table costs only the rows shown and counted."""
    import pymysql.cursors

    cursor = connection.cursor(pymysql.cursors.SSCursor)
    cursor.execute(sql)
    if cursor.description is None:
        return affected_text(cursor.rowcount)
    return result_table([column[0] for column in cursor.description], cursor.fetchall_unbuffered())


def _mysql_write(connection: Any, sql: str) -> str:
    """Approved: run in a read-write transaction and commit; roll back if anything fails."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("START TRANSACTION READ WRITE")
            cursor.execute(sql)
            text = (
                affected_text(cursor.rowcount) if cursor.description is None
                else result_table([column[0] for column in cursor.description], cursor.fetchall())
            )
        connection.commit()
        return text
    except BaseException:
        with contextlib.suppress(Exception):  # the error that matters is the one raised
            connection.rollback()
        raise


def _mysql_error(exc: Exception, name: str, sql: str) -> Exception:
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    message = _one_line(exc.args[-1] if exc.args else exc)
    if code == 1399:  # XAER_RMFAIL: the statement would have committed
        return _refused(name, f"{message} (statements that commit, such as DDL, cannot run "
                              "read-only)")
    if code == 1792:
        return _refused(name, message)
    if code in _TIMEOUT_ERRORS:
        return ToolError(f"query on '{name}' stopped after {QUERY_SECONDS:g} s: {message}")
    if code == 1064 and ";" in sql.strip().rstrip(";"):
        return ToolError(f"{name}: {message} (send one SQL statement per call)")
    return ToolError(f"{name}: {message}")
