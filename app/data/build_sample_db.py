"""Build ``films.sqlite3`` from ``films.sql``.

The SQL file is the source people read and review; the SQLite file is what the app ships
and opens. Run ``python app/data/build_sample_db.py`` after editing the SQL (a unit test
fails while the two disagree).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SQL_FILE = HERE / "films.sql"
DB_FILE = HERE / "films.sqlite3"


def build(sql_file: Path = SQL_FILE, db_file: Path = DB_FILE) -> Path:
    """Write a fresh database from ``sql_file`` to ``db_file`` (atomically, never half-built)."""
    script = sql_file.read_text(encoding="utf-8")
    partial = db_file.with_name(f".{db_file.name}.partial")
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial)
    try:
        connection.executescript(script)
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()
    os.replace(partial, db_file)
    return db_file


def dump(db_file: Path) -> list[str]:
    """The database as SQL text lines: equal dumps mean equal schema and rows."""
    connection = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DB_FILE
    print(f"wrote {build(SQL_FILE, target)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
