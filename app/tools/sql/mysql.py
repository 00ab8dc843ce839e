"""sql_query on MySQL/MariaDB: the read-only XA guard and the PyMySQL glue.

Read path: the session is made read-only (``SET SESSION TRANSACTION READ ONLY``) and the
statement runs inside an XA transaction with a random id. A read-only transaction alone is
not enough: DDL commits implicitly *before* it runs and so leaves it, and on MariaDB ``SET
STATEMENT tx_read_only=0 FOR ...`` or an anonymous ``BEGIN NOT ATOMIC COMMIT; ...; END``
block can leave it too. While an XA transaction is active the server refuses every
statement that would commit (error 1399), and the id cannot be guessed to end it. What a
transaction cannot cover (``SET GLOBAL``, ``INTO OUTFILE``, ``SHUTDOWN``) needs global
privileges, so the account's privileges are read from the server first; an account holding
any beyond plain data access asks for approval before every statement.

Evidence values are bound by PyMySQL (``%(E1)s``, escaped by the driver for the
connection's character set), never spliced by us. The connection does not enable
multi-statements, so a second statement is a syntax error.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any, NamedTuple

from app.errors import NeedsApproval, ToolError
from app.references import pyformat_sql
from app.settings import db_password_secret
from app.text import one_line
from app.tools.sql.results import Limits, affected_text, refused, result_table
from app.tools.sql.statement import Statement
from app.tools.sql.urls import DatabaseURL, password_for


class Query(NamedTuple):
    """The statement as the driver takes it, and the values for its parameters (or None)."""

    text: str
    values: dict[str, str] | None


# Global privileges that only reach data and schema, which the read-only XA transaction
# guards. Anything else (FILE, SUPER, SHUTDOWN, CREATE USER, the *ADMIN ones, privileges
# unknown to this list) acts outside transactions, so such an account always asks.
_SAFE_PRIVILEGES = frozenset(
    {
        "USAGE",
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
        "CREATE",
        "DROP",
        "REFERENCES",
        "INDEX",
        "ALTER",
        "SHOW DATABASES",
        "CREATE TEMPORARY TABLES",
        "LOCK TABLES",
        "EXECUTE",
        "CREATE VIEW",
        "SHOW VIEW",
        "CREATE ROUTINE",
        "ALTER ROUTINE",
        "EVENT",
        "TRIGGER",
        "DELETE HISTORY",
        "PROCESS",
        "REPLICATION CLIENT",
        "BINLOG MONITOR",
        "SLAVE MONITOR",
        "REPLICATION SLAVE",
    }
)
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


def run_mysql(call: Statement) -> str:
    """Run the statement with its values bound to its ``:E<k>`` parameters (app.tools.sql)."""
    statement, name, url, values = call.sql, call.database, call.url, call.values
    context, limits = call.context, call.limits
    try:
        import pymysql
    except ImportError:
        raise ToolError(f"database '{name}' needs PyMySQL: pip install PyMySQL") from None
    query = Query(pyformat_sql(statement), values) if values else Query(statement, None)
    connection = _mysql_connect(name, url, limits)
    try:
        if context.allow_write:
            return _mysql_write(connection, query, limits)
        _enter_read_only(connection, name, limits.query_seconds)
        return _mysql_rows(connection, query, limits)
    except pymysql.err.MySQLError as exc:
        raise _mysql_error(exc, name, statement, limits.query_seconds) from None
    finally:
        with contextlib.suppress(Exception):  # a broken connection is closed already
            connection.close()


def _mysql_connect(name: str, url: DatabaseURL, limits: Limits) -> Any:
    """A connection without multi-statements or LOCAL INFILE, with network timeouts."""
    import pymysql

    place: dict[str, Any] = {"host": url.host, "port": url.port}
    if url.unix_socket:
        place = {"unix_socket": url.unix_socket}
    try:
        return pymysql.connect(
            user=url.user,
            password=password_for(name, url) or "",
            database=url.database,
            charset="utf8mb4",
            autocommit=False,
            local_infile=False,
            connect_timeout=limits.connect_seconds,
            read_timeout=int(limits.query_seconds) + limits.connect_seconds,
            write_timeout=limits.connect_seconds * 2,
            **place,
        )
    except pymysql.err.MySQLError as exc:
        code = exc.args[0] if exc.args else None
        hint = ""
        if code == 1045:
            secret = db_password_secret(name)
            hint = f"; check the password (keyring entry {secret.keyring} or {secret.env})"
        detail = one_line(exc.args[-1] if exc.args else exc)
        raise ToolError(
            f"cannot connect to database '{name}' ({url.display()}): {detail}{hint}"
        ) from None


def _enter_read_only(connection: Any, name: str, seconds: float) -> None:
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
        limit = seconds if mariadb else int(seconds * 1000)
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
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.TABLES"
                f" WHERE TABLE_SCHEMA = %s AND ({_HISTORY_TABLES[schema]})",
                (schema,),
            )
            if cursor.fetchone()[0]:
                return True
    return False


def _is_mariadb(connection: Any) -> bool:
    return "mariadb" in str(connection.get_server_info()).lower()


def _mysql_rows(connection: Any, query: Query, limits: Limits) -> str:
    """Stream the result (unbuffered), so a huge table costs only the rows shown and counted."""
    import pymysql.cursors

    cursor = connection.cursor(pymysql.cursors.SSCursor)
    cursor.execute(query.text, query.values)
    if cursor.description is None:
        return affected_text(cursor.rowcount)
    return result_table(
        [column[0] for column in cursor.description], cursor.fetchall_unbuffered(), limits
    )


def _mysql_write(connection: Any, query: Query, limits: Limits) -> str:
    """Approved: run in a read-write transaction and commit; roll back if anything fails."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("START TRANSACTION READ WRITE")
            cursor.execute(query.text, query.values)
            text = (
                affected_text(cursor.rowcount)
                if cursor.description is None
                else result_table(
                    [column[0] for column in cursor.description], cursor.fetchall(), limits
                )
            )
        connection.commit()
        return text
    except BaseException:
        with contextlib.suppress(Exception):  # the error that matters is the one raised
            connection.rollback()
        raise


def _mysql_error(exc: Exception, name: str, statement: str, seconds: float) -> Exception:
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    message = one_line(exc.args[-1] if exc.args else exc)
    if code == 1399:  # XAER_RMFAIL: the statement would have committed
        return refused(
            name, f"{message} (statements that commit, such as DDL, cannot run read-only)"
        )
    if code == 1792:
        return refused(name, message)
    if code in _TIMEOUT_ERRORS:
        return ToolError(f"query on '{name}' stopped after {seconds:g} s: {message}")
    if code == 1064 and ";" in statement.strip().rstrip(";"):
        return ToolError(f"{name}: {message} (send one SQL statement per call)")
    return ToolError(f"{name}: {message}")
