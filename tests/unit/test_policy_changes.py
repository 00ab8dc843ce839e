"""Policy changes: described per entry, kept in the history (an older history file gains
the table), listed newest first; a history that cannot be written never undoes a change."""

from __future__ import annotations

import sqlite3

import pytest

from app.errors import SettingsError
from app.events import Event, PolicyChanged
from app.paths import Paths
from app.policy_changes import changes, describe, recent, record
from app.settings import Settings
from app.store import MIGRATIONS, Store

DIGEST = "ab" * 32


def test_one_change_per_entry_that_differs():
    before = {"approval": {"save_file": "allow", "llm": "deny"}, "tools.python.unsandboxed": False}
    after = {
        "approval": {"llm": "deny", "python": "allow"},
        "tools.python.unsandboxed": True,
        "tools.trusted": {"w.py": DIGEST},
    }
    found = {c.setting: (c.old, c.new) for c in changes(before, after, "here")}
    assert found == {
        "approval.save_file": ("allow", None),
        "approval.python": (None, "allow"),
        "tools.python.unsandboxed": (False, True),
        "tools.trusted.w.py": (None, DIGEST),
    }
    assert changes(after, after, "here") == []


def test_recorded_changes_round_trip_newest_first():
    paths = Paths.from_env()
    assert recent(paths) == []  # no history yet: none, and no file made
    assert not paths.history_db.exists()
    record(paths, changes({"approval": {}}, {"approval": {"save_file": "allow"}}, "first"))
    record(paths, changes({}, {"tools.trusted": {"w.py": DIGEST}}, "second"))
    listed = recent(paths)
    assert [c.source for c in listed] == ["second", "first"]
    assert isinstance(listed[0], PolicyChanged) and listed[0].run_id == ""
    assert Event.from_json(listed[1].to_json()) == listed[1]
    line = describe(listed[0])
    assert "tools.trusted.w.py: default → abababababab…  — second" in line


def test_an_older_history_gains_the_table_and_keeps_its_runs(tmp_path):
    db = tmp_path / "old.sqlite3"
    con = sqlite3.connect(db)
    for script in MIGRATIONS[:2]:
        con.executescript(script)
    con.execute("PRAGMA user_version=2")
    con.execute(
        "INSERT INTO runs (id, task, agent, started_at, status) "
        "VALUES ('r1', 't', 'rewoo', 1, 'ok')"
    )
    con.commit()
    con.close()
    store = Store(db)
    try:
        assert [r.id for r in store.runs()] == ["r1"]
        store.append_policy_changes(changes({}, {"tools.python.unsandboxed": True}, "x"))
        assert store.policy_changes()[0].setting == "tools.python.unsandboxed"
    finally:
        store.close()


def test_a_history_that_cannot_be_written_is_logged_not_fatal(tmp_path, caplog):
    paths = Paths.from_env()
    paths.history_db.mkdir(parents=True)  # a folder where the file should be
    record(paths, changes({}, {"tools.python.unsandboxed": True}, "x"))
    assert "policy changes not recorded" in caplog.text


@pytest.mark.parametrize(
    "value",
    [{"../evil.py": DIGEST}, {"evil.txt": DIGEST}, {"w.py": "abc"}, {"w.py": DIGEST.upper()}],
)
def test_trusted_files_are_checked(value):
    with pytest.raises(SettingsError, match="tools.trusted maps a file name"):
        Settings({"tools.trusted": value})
