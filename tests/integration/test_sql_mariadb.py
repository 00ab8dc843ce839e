"""sql_query against a real MariaDB server: the engine, not the SQL text, refuses writes.

The ``reader`` account holds INSERT, UPDATE, DELETE, CREATE, DROP and ALTER on ``films``, so
every refusal below comes from the read-only XA transaction, not from a missing grant (the
approved-write tests prove the grants work). It holds no FILE or SUPER privilege; an account
that does (root) is refused before its statement runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import NeedsApproval, ToolError
from app.settings import Settings
from app.tools.registry import ToolContext
from app.tools.sql import Limits, sql_query, sql_tool
from tests import mariadb_server
from tests.mariadb_server import (
    READER,
    READER_PASSWORD,
    MariaDBNotInstalled,
    MariaDBServer,
    free_port,
    start_mariadb,
)

pytestmark = pytest.mark.integration

ESCAPE_PROCEDURE = """
CREATE PROCEDURE films.escape_read_only() SQL SECURITY INVOKER
BEGIN
    COMMIT;
    SET SESSION TRANSACTION READ WRITE;
    INSERT INTO films.notes VALUES (1, 'escaped');
    COMMIT;
END
"""


@pytest.fixture(scope="module")
def server() -> Iterator[MariaDBServer]:
    try:
        running = start_mariadb()
    except MariaDBNotInstalled as exc:
        missing = str(exc)
    else:
        missing = ""
    if missing:  # a failure, not a skip: CI must install the server
        pytest.fail(missing, pytrace=False)
    try:
        with running.connect() as connection, connection.cursor() as cursor:
            cursor.execute("CREATE TABLE films.notes (id INT, body TEXT) ENGINE=MyISAM")
            cursor.execute(ESCAPE_PROCEDURE)
            for host in ("127.0.0.1", "localhost"):
                cursor.execute(f"GRANT EXECUTE ON films.* TO '{READER}'@'{host}'")
        (running.files / "rows.txt").write_text("7\tloaded\n")
        yield running
    finally:
        running.stop()


def context_for(server: MariaDBServer, tmp_path: Path, *, allow_write: bool = False,
                **urls: str) -> ToolContext:
    databases = urls or {"shop": server.url(password=READER_PASSWORD)}
    return ToolContext(workspace=tmp_path / "ws", settings=Settings(), databases=databases,
                       allow_write=allow_write)


def root_query(server: MariaDBServer, sql: str) -> tuple[tuple[object, ...], ...]:
    with server.connect(db="films") as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchall())


def server_state(server: MariaDBServer) -> dict[str, object]:
    """Everything a refused statement might have touched."""
    state = server.checksum()
    state["globals"] = root_query(server, "SELECT @@global.max_connections, @@global.read_only")
    state["files"] = sorted(path.name for path in server.files.iterdir())
    with server.connect(READER, READER_PASSWORD, "films"):
        pass  # the reader's password still works
    return state


# -- reads ------------------------------------------------------------------------------


def test_select(server: MariaDBServer, tmp_path: Path) -> None:
    result = sql_query("SELECT title, year FROM films WHERE director_id = 1 ORDER BY year",
                       "shop", context=context_for(server, tmp_path))
    assert result.splitlines()[0] == "| title | year |"
    assert "| Killers of the Flower Moon | 2023 |" in result
    assert result.endswith("(7 rows)")


def test_large_result_is_capped_and_counted(server: MariaDBServer, tmp_path: Path) -> None:
    result = sql_query("SELECT a.id, b.id FROM films a CROSS JOIN films b", "shop",
                       context=context_for(server, tmp_path))
    assert result.splitlines()[-1] == "… 1,975 more rows not shown (50 shown)"


def test_schema_reads_work(server: MariaDBServer, tmp_path: Path) -> None:
    context = context_for(server, tmp_path)
    assert "| directors |" in sql_query("SHOW TABLES", "shop", context=context)
    assert "| title | varchar(200) |" in sql_query("DESCRIBE films", "shop", context=context)


def test_evidence_is_a_bound_value(server: MariaDBServer, tmp_path: Path) -> None:
    """A ReWOO #E1 arrives as :E1, bound by PyMySQL: quotes in it are characters, and the
    statement's own % signs still mean what they say."""
    context = context_for(server, tmp_path)
    context.evidence = {"E1": "x'); DROP TABLE films; --", "E2": "Killers"}
    before = server_state(server)
    sql = "SELECT COUNT(*) FROM films WHERE title = :E1 OR title LIKE CONCAT(:E2, '%')"
    assert "| 1 |" in sql_query(sql, "shop", context=context)
    assert "| 0 |" in sql_query("SELECT COUNT(*) FROM films WHERE title = ':E1'", "shop",
                                context=context)
    assert server_state(server) == before


def test_password_from_the_environment_and_unix_socket(server: MariaDBServer, tmp_path: Path,
                                                       monkeypatch) -> None:
    monkeypatch.setenv("SMART_AGENT_DB_PASSWORD_LOCAL", READER_PASSWORD)
    context = context_for(
        server, tmp_path, local=f"mysql://{READER}@localhost/films?unix_socket={server.socket}"
    )
    assert "| 11 |" in sql_query("SELECT COUNT(*) FROM directors", "local", context=context)


# -- refused writes ---------------------------------------------------------------------

REFUSED = {
    "insert": "INSERT INTO directors VALUES (90, 'Someone', 1950, 'Nowhere')",
    "insert-myisam": "INSERT INTO notes VALUES (2, 'not transactional')",
    "update": "UPDATE films SET year = 1900",
    "delete": "DELETE FROM films WHERE id = 1",
    "create-table": "CREATE TABLE scratch (x INT)",
    "create-table-as-select": "CREATE TABLE copy ENGINE=MyISAM AS SELECT * FROM films",
    "create-view": "CREATE VIEW recent AS SELECT * FROM films WHERE year > 2000",
    "create-index": "CREATE INDEX by_title ON films (title)",
    "drop-table": "DROP TABLE films",
    "alter-table": "ALTER TABLE films ADD COLUMN rating INT",
    "truncate": "TRUNCATE TABLE notes",
    "rename": "RENAME TABLE notes TO notes_old",
    "set-password": f"SET PASSWORD = PASSWORD('{READER_PASSWORD}-changed')",
    "set-statement-escape": "SET STATEMENT tx_read_only = 0 FOR CREATE TABLE scratch (x INT)",
    "compound-commit-escape": (
        "BEGIN NOT ATOMIC COMMIT; SET SESSION TRANSACTION READ WRITE;"
        " INSERT INTO notes VALUES (3, 'escaped'); COMMIT; END"
    ),
    "compound-ddl-escape": (
        "BEGIN NOT ATOMIC SET SESSION tx_read_only = 0; COMMIT; CREATE TABLE scratch (x INT); END"
    ),
    "procedure-commit-escape": "CALL escape_read_only()",
    "xa-commit": "COMMIT",
}


@pytest.mark.parametrize("statement", REFUSED.values(), ids=REFUSED.keys())
def test_writes_need_approval_and_change_nothing(statement: str, server: MariaDBServer,
                                                 tmp_path: Path) -> None:
    before = server_state(server)
    with pytest.raises(NeedsApproval) as refused:
        sql_query(statement, "shop", context=context_for(server, tmp_path))
    assert refused.value.reason.startswith("this SQL would change the database 'shop': ")
    assert re.search(r"READ ONLY transaction|XAER_RMFAIL", refused.value.reason)
    assert server_state(server) == before


PRIVILEGED = {
    "set-global": ("SET GLOBAL max_connections = 77", "SUPER"),
    "into-outfile": ("SELECT * FROM films INTO OUTFILE '{files}/films.txt'", "FILE"),
    "into-dumpfile": ("SELECT 'x' INTO DUMPFILE '{files}/dump.bin'", "FILE"),
    "load-data": ("LOAD DATA INFILE '{files}/rows.txt' INTO TABLE notes", "Access denied"),
    "shutdown": ("SHUTDOWN", "SHUTDOWN"),
}


@pytest.mark.parametrize(("statement", "reason"), PRIVILEGED.values(), ids=PRIVILEGED.keys())
def test_reader_lacks_the_privileges_that_act_outside_transactions(
    statement: str, reason: str, server: MariaDBServer, tmp_path: Path
) -> None:
    before = server_state(server)
    with pytest.raises(ToolError, match=reason):
        sql_query(statement.format(files=server.files), "shop",
                  context=context_for(server, tmp_path))
    assert server_state(server) == before


@pytest.mark.parametrize(("statement", "reason"), PRIVILEGED.values(), ids=PRIVILEGED.keys())
def test_privileged_account_asks_before_anything_runs(
    statement: str, reason: str, server: MariaDBServer, tmp_path: Path
) -> None:
    before = server_state(server)
    context = context_for(server, tmp_path, admin=server.url(user="root", password=""))
    with pytest.raises(NeedsApproval, match=r"could act outside the read-only guard .*FILE.*SUPER"):
        sql_query(statement.format(files=server.files), "admin", context=context)
    assert server_state(server) == before


def test_privileged_statements_work_once_approved(server: MariaDBServer, tmp_path: Path) -> None:
    """The refusals above matter: approved, the same statements do write."""
    context = context_for(server, tmp_path, allow_write=True,
                          admin=server.url(user="root", password=""))
    target = server.files / "approved.txt"
    try:
        sql_query(f"SELECT title FROM films WHERE id = 7 INTO OUTFILE '{target}'", "admin",
                  context=context)
        assert target.read_text() == "Killers of the Flower Moon\n"
        sql_query("SET GLOBAL max_connections = 77", "admin", context=context)
        assert root_query(server, "SELECT @@global.max_connections") == ((77,),)
    finally:
        root_query(server, "SET GLOBAL max_connections = 50")
        target.unlink(missing_ok=True)


def test_account_with_roles_asks(server: MariaDBServer, tmp_path: Path) -> None:
    """A role's global privileges are invisible to its holder, so a role means asking."""
    for statement in ("CREATE ROLE filer", "GRANT FILE ON *.* TO filer",
                      "CREATE USER roled@'127.0.0.1' IDENTIFIED BY 'roled-pw'",
                      "GRANT SELECT ON films.* TO roled@'127.0.0.1'",
                      "GRANT filer TO roled@'127.0.0.1'"):
        root_query(server, statement)
    try:
        context = context_for(server, tmp_path, roled=server.url(user="roled", password="roled-pw"))
        with pytest.raises(NeedsApproval, match="roles filer"):
            sql_query("SELECT 1", "roled", context=context)
    finally:
        root_query(server, "DROP USER roled@'127.0.0.1'")
        root_query(server, "DROP ROLE filer")


def test_xa_id_is_secret_and_guarded(server: MariaDBServer, tmp_path: Path) -> None:
    """Each call uses a fresh random XA id; an account that could read it back must ask."""
    root_query(server, "SET GLOBAL log_output = 'TABLE'")
    root_query(server, "SET GLOBAL general_log = ON")
    granted = False
    try:
        context = context_for(server, tmp_path)
        for _ in range(2):
            sql_query("SELECT 1", "shop", context=context)
        logged = root_query(server, "SELECT CONVERT(argument USING utf8mb4) FROM"
                                    " mysql.general_log WHERE argument LIKE 'XA START%'")
        ids = [re.fullmatch(r"XA START 'smart-agent-([0-9a-f]{32})'", row[0]) for row in logged]
        assert len(ids) == 2 and all(ids) and ids[0][1] != ids[1][1]  # type: ignore[index]
        root_query(server, f"GRANT SELECT ON mysql.general_log TO '{READER}'@'127.0.0.1'")
        granted = True
        with pytest.raises(NeedsApproval, match="statement history"):
            sql_query("SELECT 1", "shop", context=context)
    finally:
        root_query(server, "SET GLOBAL general_log = OFF")
        root_query(server, "SET GLOBAL log_output = 'FILE'")
        root_query(server, "TRUNCATE TABLE mysql.general_log")
        if granted:
            root_query(server, f"REVOKE SELECT ON mysql.general_log FROM '{READER}'@'127.0.0.1'")


def test_performance_schema_reader_asks(tmp_path: Path) -> None:
    """With performance_schema on, an account that may read it could find the XA id."""
    private = start_mariadb("--performance-schema=ON")
    try:
        context = context_for(private, tmp_path)
        assert "| 1 |" in sql_query("SELECT 1", "shop", context=context)
        root_query(private, f"GRANT SELECT ON performance_schema.* TO '{READER}'@'127.0.0.1'")
        with pytest.raises(NeedsApproval, match="statement history"):
            sql_query("SELECT 1", "shop", context=context)
    finally:
        private.stop()


# -- approved writes --------------------------------------------------------------------


def test_approved_write_commits(server: MariaDBServer, tmp_path: Path) -> None:
    context = context_for(server, tmp_path, allow_write=True)
    try:
        result = sql_query("INSERT INTO directors VALUES (100, 'Chloé Zhao', 1982, 'China')",
                           "shop", context=context)
        assert result == "1 row affected"
        assert root_query(server, "SELECT name FROM directors WHERE id = 100") == (("Chloé Zhao",),)
    finally:
        root_query(server, "DELETE FROM directors WHERE id = 100")


def test_approved_ddl_commits(server: MariaDBServer, tmp_path: Path) -> None:
    context = context_for(server, tmp_path, allow_write=True)
    try:
        sql_query("CREATE TABLE scratch (x INT)", "shop", context=context)
        assert root_query(server, "SHOW TABLES LIKE 'scratch'") == (("scratch",),)
    finally:
        root_query(server, "DROP TABLE IF EXISTS scratch")


def test_failing_approved_write_rolls_back(server: MariaDBServer, tmp_path: Path) -> None:
    context = context_for(server, tmp_path, allow_write=True)
    before = server_state(server)
    with pytest.raises(ToolError, match="Duplicate entry '1'"):
        sql_query("INSERT INTO directors VALUES (101, 'First', 1, 'x'), (1, 'Dup', 1, 'x')",
                  "shop", context=context)
    assert root_query(server, "SELECT COUNT(*) FROM directors WHERE id = 101") == ((0,),)
    assert server_state(server) == before


# -- failures ---------------------------------------------------------------------------


def test_wrong_password_is_a_clear_error(server: MariaDBServer, tmp_path: Path) -> None:
    context = context_for(server, tmp_path, shop=server.url(password="not-the-password"))
    with pytest.raises(ToolError) as failed:
        sql_query("SELECT 1", "shop", context=context)
    message = str(failed.value)
    assert message.startswith("cannot connect to database 'shop' (mysql://reader@127.0.0.1:")
    assert "Access denied for user 'reader'" in message
    assert "SMART_AGENT_DB_PASSWORD_SHOP" in message
    assert "not-the-password" not in message and "\n" not in message


def test_server_down_is_a_clear_error(tmp_path: Path) -> None:
    url = f"mysql://{READER}:{READER_PASSWORD}@127.0.0.1:{free_port()}/films"
    context = ToolContext(workspace=tmp_path, settings=Settings(), databases={"down": url})
    with pytest.raises(ToolError, match=r"cannot connect to database 'down' .*Can't connect"):
        sql_query("SELECT 1", "down", context=context)


def test_syntax_error_missing_table_and_two_statements(server: MariaDBServer,
                                                       tmp_path: Path) -> None:
    context = context_for(server, tmp_path)
    with pytest.raises(ToolError, match=r"^shop: You have an error in your SQL syntax") as bad:
        sql_query("SELEC\n1", "shop", context=context)
    assert "\n" not in str(bad.value)
    with pytest.raises(ToolError, match=r"Table 'films.actors' doesn't exist"):
        sql_query("SELECT * FROM actors", "shop", context=context)
    with pytest.raises(ToolError, match="one SQL statement per call"):
        sql_query("SELECT 1; DELETE FROM films", "shop", context=context)
    assert root_query(server, "SELECT COUNT(*) FROM films") == ((45,),)


def test_long_query_is_stopped_by_the_server(server: MariaDBServer, tmp_path: Path) -> None:
    with pytest.raises(ToolError, match=r"stopped after 1 s"):  # 45 rows x 10 s, unstopped
        sql_tool(Limits(query_seconds=1.0))(
            "SELECT SLEEP(10) FROM films", "shop", context=context_for(server, tmp_path)
        )


def test_missing_server_fails_with_the_install_command(monkeypatch) -> None:
    monkeypatch.setattr(mariadb_server, "_SBIN", ())
    monkeypatch.setenv("PATH", "")
    with pytest.raises(MariaDBNotInstalled,
                       match=r"run `sudo apt-get install -y mariadb-server` \(the project's"):
        start_mariadb()
