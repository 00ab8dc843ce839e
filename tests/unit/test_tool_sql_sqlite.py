"""sql_query on SQLite: reads, bounded results, engine-refused writes, approved writes, URLs."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from app.data import build_sample_db
from app.errors import NeedsApproval, ToolError
from app.settings import Settings
from app.tools.registry import ToolContext, tool_from_function
from app.tools.sql import (
    SAMPLE_DB,
    DatabaseURL,
    Limits,
    parse_database_url,
    parse_db_option,
    password_for,
    sql_query,
    sql_tool,
)
from app.tools.sql.sqlite import ReadOnlyAuthorizer

ROW_CAP, BYTE_CAP, CELL_CAP = Limits().row_cap, Limits().byte_cap, Limits().cell_cap

SHIPPED_SHA256 = hashlib.sha256(SAMPLE_DB.read_bytes()).hexdigest()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    folder.mkdir()
    return folder


def make_context(workspace: Path, databases: dict[str, str] | None = None,
                 settings: Settings | None = None, allow_write: bool = False) -> ToolContext:
    return ToolContext(workspace=workspace, settings=settings or Settings(),
                       databases=databases or {}, allow_write=allow_write)


@pytest.fixture
def context(workspace: Path) -> ToolContext:
    return make_context(workspace)


def user_copy() -> Path:
    return Settings().paths.data / "films.sqlite3"


def make_db(path: Path, rows: int, text: str = "x") -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT)")
    connection.executemany("INSERT INTO items VALUES (?, ?)",
                           ((i, f"{text}{i}") for i in range(1, rows + 1)))
    connection.commit()
    connection.close()


# -- the sample -------------------------------------------------------------------------


def test_sample_answers_the_demo_question(context: ToolContext) -> None:
    result = sql_query(
        "SELECT f.title, f.year FROM films f WHERE f.director_id = ("
        " SELECT director_id FROM films WHERE title = 'Killers of the Flower Moon')"
        " ORDER BY f.year",
        context=context,
    )
    assert result.splitlines()[0] == "| title | year |"
    assert "| Taxi Driver | 1976 |" in result
    assert "| Killers of the Flower Moon | 2023 |" in result
    assert result.endswith("(7 rows)")


def test_sample_sqlite_matches_the_sql_file(tmp_path: Path) -> None:
    rebuilt = build_sample_db.build(build_sample_db.SQL_FILE, tmp_path / "rebuilt.sqlite3")
    assert build_sample_db.dump(SAMPLE_DB) == build_sample_db.dump(rebuilt)


def test_sample_holds_facts(context: ToolContext) -> None:
    result = sql_query(
        "SELECT d.name, d.born, f.year FROM films f JOIN directors d ON d.id = f.director_id"
        " WHERE f.title = 'Killers of the Flower Moon'",
        context=context,
    )
    assert "| Martin Scorsese | 1942 | 2023 |" in result
    counts = sql_query("SELECT (SELECT COUNT(*) FROM directors), (SELECT COUNT(*) FROM films)",
                       context=context)
    assert "| 11 | 45 |" in counts


def test_sample_is_copied_to_the_data_dir_on_first_use(context: ToolContext) -> None:
    assert not user_copy().exists()
    sql_query("SELECT 1", context=context)
    assert user_copy().read_bytes() == SAMPLE_DB.read_bytes()


# -- refused writes ---------------------------------------------------------------------

REFUSED = {
    "insert": "INSERT INTO directors VALUES (50, 'Someone', 1950, 'Nowhere')",
    "insert-cte": "WITH n AS (SELECT 51 AS id) INSERT INTO directors SELECT id, 'x', 1, 'y' FROM n",
    "replace": "REPLACE INTO directors VALUES (1, 'Not Scorsese', 1900, 'Nowhere')",
    "update": "UPDATE films SET year = 1900",
    "delete": "DELETE FROM films",
    "create-table": "CREATE TABLE notes (body TEXT)",
    "create-temp-table": "CREATE TEMP TABLE scratch (x)",
    "create-view": "CREATE VIEW recent AS SELECT * FROM films WHERE year > 2000",
    "create-index": "CREATE INDEX by_title ON films (title)",
    "create-trigger": "CREATE TRIGGER t AFTER INSERT ON films BEGIN SELECT 1; END",
    "drop-table": "DROP TABLE films",
    "alter-table": "ALTER TABLE films ADD COLUMN rating INTEGER",
    "attach-new-file": "ATTACH DATABASE '{out}/attached.db' AS other",
    "attach-uri-rwc": "ATTACH DATABASE 'file:{out}/uri.db?mode=rwc' AS other",
    "vacuum-into": "VACUUM INTO '{out}/copy.db'",
    "vacuum": "VACUUM",
    "analyze": "ANALYZE",
    "pragma-user-version": "PRAGMA user_version = 7",
    "pragma-query-only-off": "PRAGMA query_only = OFF",
    "pragma-journal-mode": "PRAGMA journal_mode = WAL",
    "pragma-writable-schema": "PRAGMA writable_schema = ON",
    "pragma-optimize": "PRAGMA optimize",
    "load-extension": "SELECT load_extension('/nonexistent/evil')",
}


@pytest.mark.parametrize("statement", REFUSED.values(), ids=REFUSED.keys())
def test_writes_need_approval_and_change_nothing(statement: str, context: ToolContext,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    sql_query("SELECT 1", context=context)  # makes the user's copy
    before = sha256(user_copy())
    with pytest.raises(NeedsApproval) as refused:
        sql_query(statement.format(out=out), context=context)
    assert refused.value.reason.startswith("this SQL would change the database 'films': ")
    assert "\n" not in refused.value.reason
    assert sha256(user_copy()) == before
    assert sha256(SAMPLE_DB) == SHIPPED_SHA256
    assert list(out.iterdir()) == []  # no file created, not even an empty one
    assert sorted(p.name for p in user_copy().parent.iterdir()) == ["films.sqlite3"]


def test_engine_layers_hold_without_the_authorizer(context: ToolContext, monkeypatch) -> None:
    """mode=ro and query_only refuse data writes on their own; the authorizer is a third wall."""
    monkeypatch.setattr(ReadOnlyAuthorizer, "_reason", staticmethod(lambda *a: None))
    sql_query("SELECT 1", context=context)
    before = sha256(user_copy())
    with pytest.raises(NeedsApproval, match="attempt to write a readonly database"):
        sql_query("DELETE FROM films", context=context)
    assert sha256(user_copy()) == before


def test_refusal_names_what_the_engine_refused(context: ToolContext) -> None:
    with pytest.raises(NeedsApproval, match=r"refused DROP TABLE films"):
        sql_query("DROP TABLE films", context=context)
    with pytest.raises(NeedsApproval, match=r"refused ATTACH .*copy\.db"):
        sql_query("VACUUM INTO 'copy.db'", context=context)


def test_read_pragmas_and_schema_reads_are_allowed(context: ToolContext) -> None:
    assert "| 1 | title | VARCHAR(200) |" in sql_query("PRAGMA table_info(films)", context=context)
    assert "| directors |" in sql_query("SELECT name FROM sqlite_master ORDER BY name",
                                        context=context)
    assert "| title |" in sql_query("SELECT name FROM pragma_table_info('films')",
                                    context=context)
    assert "| 0 |" in sql_query("PRAGMA user_version", context=context)


def test_read_only_file_on_a_configured_database(workspace: Path) -> None:
    make_db(workspace / "mine.db", 3)
    before = sha256(workspace / "mine.db")
    context = make_context(workspace, {"mine": "sqlite:///mine.db"})
    with pytest.raises(NeedsApproval, match="database 'mine'"):
        sql_query("DELETE FROM items", "mine", context=context)
    assert sha256(workspace / "mine.db") == before


# -- approved writes --------------------------------------------------------------------


def test_approved_write_commits_to_the_copy_only(workspace: Path) -> None:
    approved = make_context(workspace, allow_write=True)
    result = sql_query("INSERT INTO directors VALUES (50, 'Chloé Zhao', 1982, 'China')",
                       context=approved)
    assert result == "1 row affected"
    seen = sql_query("SELECT name FROM directors WHERE id = 50", context=make_context(workspace))
    assert "| Chloé Zhao |" in seen
    assert sha256(SAMPLE_DB) == SHIPPED_SHA256
    assert sha256(user_copy()) != SHIPPED_SHA256


def test_approved_update_reports_rows_affected(workspace: Path) -> None:
    approved = make_context(workspace, allow_write=True)
    assert sql_query("UPDATE films SET year = year WHERE director_id = 1",
                     context=approved) == "7 rows affected"


def test_approved_ddl_commits(workspace: Path) -> None:
    sql_query("CREATE TABLE notes (body TEXT)", context=make_context(workspace, allow_write=True))
    assert "(0 rows)" in sql_query("SELECT * FROM notes", context=make_context(workspace))


def test_failing_approved_write_rolls_back(workspace: Path) -> None:
    approved = make_context(workspace, allow_write=True)
    with pytest.raises(ToolError, match="UNIQUE constraint failed"):
        sql_query("INSERT INTO directors VALUES (60, 'First', 1, 'x'), (1, 'Duplicate', 1, 'x')",
                  context=approved)
    remaining = sql_query("SELECT COUNT(*) FROM directors WHERE id = 60",
                          context=make_context(workspace))
    assert "| 0 |" in remaining


# -- bounded results --------------------------------------------------------------------


def test_row_cap_notes_the_rows_left_out(workspace: Path) -> None:
    make_db(workspace / "big.db", 1284)
    context = make_context(workspace, {"big": "sqlite:///big.db"})
    result = sql_query("SELECT * FROM items ORDER BY id", "big", context=context)
    lines = result.splitlines()
    assert len(lines) == 2 + ROW_CAP + 1
    assert lines[2 + ROW_CAP - 1] == f"| {ROW_CAP} | x{ROW_CAP} |"
    assert lines[-1] == f"… 1,234 more rows not shown ({ROW_CAP} shown)"


def test_byte_cap_and_cell_cap(workspace: Path) -> None:
    make_db(workspace / "wide.db", 40, text="y" * 500)
    context = make_context(workspace, {"wide": "sqlite:///wide.db"})
    result = sql_query("SELECT * FROM items", "wide", context=context)
    *table, note = result.splitlines()
    assert len("\n".join(table).encode()) <= BYTE_CAP
    assert note.startswith("… ") and note.endswith(" shown)")
    shown = len(table) - 2
    assert 0 < shown < 40 and f"… {40 - shown} more rows" in note
    assert all(len(cell) <= CELL_CAP for cell in table[2].strip("| ").split(" | "))
    assert "…" in table[2]


def test_counting_stops_at_the_count_cap(workspace: Path) -> None:
    make_db(workspace / "big.db", 500)
    context = make_context(workspace, {"big": "sqlite:///big.db"})
    result = sql_tool(Limits(count_cap=100))("SELECT * FROM items", "big", context=context)
    assert result.splitlines()[-1] == f"… more than 100 more rows not shown ({ROW_CAP} shown)"


def test_cells_show_null_blobs_pipes_and_newlines(context: ToolContext) -> None:
    result = sql_query(
        "SELECT NULL AS n, x'0102' AS b, 'a|b' AS p, 'one' || char(10) || 'two' AS t",
        context=context,
    )
    assert result.splitlines()[2] == "| NULL | <2 bytes> | a\\|b | one two |"


# -- errors -----------------------------------------------------------------------------


def test_unknown_database_lists_known_ones(workspace: Path) -> None:
    context = make_context(workspace, {"sales": "sqlite:///sales.db"},
                           settings=Settings({"databases": {"crm": "sqlite:///crm.db"}}))
    known = r"unknown database 'nope'; known databases: crm, films, sales$"
    with pytest.raises(ToolError, match=known):
        sql_query("SELECT 1", "nope", context=context)


def test_syntax_error_is_one_clear_line(context: ToolContext) -> None:
    with pytest.raises(ToolError) as failed:
        sql_query("SELEC title\nFROM films", context=context)
    assert str(failed.value) == 'films: near "SELEC": syntax error'


def test_missing_table(context: ToolContext) -> None:
    with pytest.raises(ToolError, match="no such table: actors"):
        sql_query("SELECT * FROM actors", context=context)


def test_one_statement_per_call(context: ToolContext) -> None:
    with pytest.raises(ToolError, match="one SQL statement per call"):
        sql_query("SELECT 1; DELETE FROM films", context=context)
    assert "(45 rows)" in sql_query("SELECT * FROM films", context=context)


def test_empty_sql(context: ToolContext) -> None:
    with pytest.raises(ToolError, match="empty"):
        sql_query("   ", context=context)


def test_missing_file_is_not_created(workspace: Path) -> None:
    context = make_context(workspace, {"gone": "sqlite:///gone.db"})
    with pytest.raises(ToolError, match=r"cannot open SQLite database 'gone' at .*gone\.db"):
        sql_query("SELECT 1", "gone", context=context)
    assert not (workspace / "gone.db").exists()


def test_bad_configured_url_is_a_tool_error(workspace: Path) -> None:
    context = make_context(workspace, {"odd": "postgres://u@h/db"})
    with pytest.raises(ToolError, match="database 'odd': unsupported database URL"):
        sql_query("SELECT 1", "odd", context=context)


def test_long_query_is_stopped(context: ToolContext) -> None:
    with pytest.raises(ToolError, match=r"stopped after 0.3 s"):
        sql_tool(Limits(query_seconds=0.3))(  # a query that never ends: only the limit ends it
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
            " SELECT COUNT(*) FROM c",
            context=context,
        )


def test_cancelled_query_stops(context: ToolContext) -> None:
    context.cancel.set()
    with pytest.raises(ToolError, match="cancelled"):
        sql_query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
                  " SELECT COUNT(*) FROM c", context=context)


# -- connections and URLs ---------------------------------------------------------------


def test_relative_sqlite_paths_are_relative_to_the_workspace(workspace: Path) -> None:
    (workspace / "sub").mkdir()
    make_db(workspace / "sub" / "mine.db", 2)
    settings = Settings({"databases": {"mine": "sqlite:///sub/mine.db"}})
    context = make_context(workspace, settings=settings)
    assert "(2 rows)" in sql_query("SELECT * FROM items", "mine", context=context)


def test_configured_films_replaces_the_sample(workspace: Path, tmp_path: Path) -> None:
    make_db(tmp_path / "other.db", 3)
    context = make_context(workspace, {"films": f"sqlite:///{tmp_path / 'other.db'}"})
    assert "(3 rows)" in sql_query("SELECT * FROM items", context=context)
    assert not user_copy().exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///films.db", DatabaseURL("sqlite", path=Path("films.db"))),
        ("sqlite:////var/db/films.db", DatabaseURL("sqlite", path=Path("/var/db/films.db"))),
        ("mysql://reader@db.local:3307/films",
         DatabaseURL("mysql", user="reader", host="db.local", port=3307, database="films")),
        ("mariadb://reader@127.0.0.1/films",
         DatabaseURL("mysql", user="reader", host="127.0.0.1", port=3306, database="films")),
        ("mysql://app:p%40ss@localhost/shop",
         DatabaseURL("mysql", user="app", password="p@ss", database="shop")),
        ("mysql://app@localhost/shop?unix_socket=/run/mysqld/mysqld.sock",
         DatabaseURL("mysql", user="app", database="shop", unix_socket="/run/mysqld/mysqld.sock")),
    ],
)
def test_parse_database_url(url: str, expected: DatabaseURL) -> None:
    assert parse_database_url(url) == expected


def test_sqlite_url_expands_home() -> None:
    parsed = parse_database_url("sqlite:///~/films.db")
    assert parsed.path == Path.home() / "films.db"


@pytest.mark.parametrize(
    "url",
    ["films.db", "postgres://u@h/db", "sqlite://films.db", "sqlite:///", "mysql://h/db",
     "mysql://u@h/", "mysql://u@h:notaport/db", "mysql://u@h/a/b"],
)
def test_parse_database_url_rejects(url: str) -> None:
    with pytest.raises(ValueError):
        parse_database_url(url)


def test_passwords_stay_out_of_text() -> None:
    parsed = parse_database_url("mysql://app:hunter2@localhost:3306/shop")
    assert parsed.password == "hunter2"
    assert "hunter2" not in repr(parsed)
    assert "hunter2" not in parsed.display()
    with pytest.raises(ValueError) as bad:
        parse_database_url("mysql://app:hunter2@localhost:99999/shop")
    assert "hunter2" not in str(bad.value)


def test_parse_db_option() -> None:
    name, url = parse_db_option("sales_db=mysql://reader@db:3306/sales")
    assert name == "sales_db"
    assert (url.user, url.host, url.database) == ("reader", "db", "sales")
    for bad in ("no-equals", "bad name=sqlite:///x.db", "=sqlite:///x.db", "x=ftp://h/y"):
        with pytest.raises(ValueError):
            parse_db_option(bad)


def test_password_comes_from_url_then_environment(monkeypatch) -> None:
    monkeypatch.setenv("SMART_AGENT_DB_PASSWORD_SALES_DB", "from-env")
    assert password_for("sales_db", parse_database_url("mysql://u@h/db")) == "from-env"
    assert password_for("sales_db", parse_database_url("mysql://u:inline@h/db")) == "inline"


def test_tool_schema() -> None:
    described = tool_from_function(sql_query)
    assert described.name == "sql_query"
    assert described.risk == "read"
    assert described.timeout is not None and described.timeout > Limits().query_seconds
    assert described.parameters["required"] == ["sql"]
    assert described.parameters["properties"]["database"]["default"] == "films"
    assert described.context_parameter == "context"
