"""Settings changes: one ``update`` every writer goes through, one notification, and a
file that keeps what this version does not understand."""

from __future__ import annotations

import argparse
import json
import threading

import pytest

from app.cli import build_parser
from app.errors import SettingsError, UsageError
from app.learn.teach import accept
from app.paths import Paths
from app.policy_commands import cmd_approval, cmd_trust
from app.runtime import AGENTS
from app.server.openapi import RUN_REQUEST
from app.settings import AGENT_MODES, OPTIONS, Settings, db_password_secret
from app.tools.approval import ApprovalGate
from tests.helpers import runtime


def heard(settings: Settings) -> list[frozenset[str]]:
    """Every notification ``settings`` sends from now on."""
    changes: list[frozenset[str]] = []
    settings.subscribe(changes.append)
    return changes


def written(paths: Paths) -> dict:
    return json.loads(paths.settings_file.read_text(encoding="utf-8"))


def test_an_unknown_key_survives_a_save():
    paths = Paths.from_env()
    paths.config.mkdir(parents=True)
    future = {"colour": "teal", "depth": [1, 2]}
    paths.settings_file.write_text(json.dumps({"ui.future_option": future, "theme": "dark"}))
    settings = Settings.load()
    assert settings.warnings and "ui.future_option" in settings.warnings[0]
    settings.update({"planner.max_steps": 5})
    assert written(paths) == {
        "ui.future_option": future,
        "theme": "dark",
        "planner.max_steps": 5,
    }
    assert Settings.load().get("planner.max_steps") == 5


def test_an_unusable_value_is_kept_until_the_person_sets_one():
    paths = Paths.from_env()
    paths.config.mkdir(parents=True)
    paths.settings_file.write_text(json.dumps({"agent": "plan-and-act", "theme": "dark"}))
    settings = Settings.load()
    assert settings.get("agent") == "rewoo"  # what this version can run
    settings.update({"theme": "light"})
    assert written(paths) == {"agent": "plan-and-act", "theme": "light"}
    settings.update({"agent": "rewoo"})  # the default, chosen: the old value goes
    assert written(paths) == {"theme": "light"}


def test_update_saves_and_tells_each_listener_what_changed_once():
    settings = Settings.load()
    first, second = heard(settings), heard(settings)
    changed = settings.update({"theme": "dark", "planner.max_steps": 8, "hotkey": ""})
    assert changed == {"theme", "hotkey"}  # max_steps was already 8
    assert first == second == [frozenset({"theme", "hotkey"})]
    assert written(settings.paths) == {"theme": "dark", "hotkey": ""}
    assert settings.update({"theme": "dark"}) == frozenset()
    assert len(first) == 1  # nothing changed, nothing said


def test_set_changes_memory_only_but_is_heard():
    settings = Settings.load()
    changes = heard(settings)
    settings.set("worker.max_parallel", 2)
    assert changes == [frozenset({"worker.max_parallel"})]
    assert not settings.paths.settings_file.exists()


def test_one_bad_value_changes_nothing():
    settings = Settings.load()
    changes = heard(settings)
    with pytest.raises(SettingsError, match="planner.max_steps"):
        settings.update({"theme": "dark", "planner.max_steps": "many"})
    with pytest.raises(SettingsError, match="unknown setting"):
        settings.update({"theme": "dark", "no.such.option": 1})
    assert settings.get("theme") == "system"
    assert changes == [] and not settings.paths.settings_file.exists()


def test_a_file_that_cannot_be_written_leaves_the_values_as_they_were():
    settings = Settings.load()
    settings.paths.settings_file.mkdir(parents=True)  # os.replace onto a folder fails
    changes = heard(settings)
    with pytest.raises(OSError):
        settings.update({"theme": "dark"})
    assert settings.get("theme") == "system" and changes == []
    assert not list(settings.paths.config.glob(".settings-*"))  # no temp file left


def test_unsubscribed_listeners_hear_nothing_more():
    settings = Settings.load()
    changes: list[frozenset[str]] = []
    unsubscribe = settings.subscribe(changes.append)
    settings.update({"theme": "dark"})
    unsubscribe()
    unsubscribe()  # twice is harmless
    settings.update({"theme": "light"})
    assert changes == [frozenset({"theme"})]


def test_updates_from_two_threads_both_land_in_the_file():
    settings = Settings.load()
    changes = heard(settings)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(name: str, value: object) -> None:
        try:
            barrier.wait(timeout=30)
            settings.update({name: value})
        except BaseException as exc:  # surfaced below, not lost in the thread
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=("theme", "dark")),
        threading.Thread(target=write, args=("approval", {"python": "allow"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert written(settings.paths) == {"theme": "dark", "approval": {"python": "allow"}}
    assert sorted(changes, key=sorted) == [frozenset({"approval"}), frozenset({"theme"})]


# -- the writers ------------------------------------------------------------------------


def test_the_policy_commands_go_through_update(tmp_path):
    rt = runtime()
    changes = heard(rt.settings)
    cmd_approval(rt, argparse.Namespace(tool="save_file", policy="allow"))
    assert changes == [frozenset({"approval"})]
    assert written(rt.paths)["approval"] == {"save_file": "allow"}
    rt.paths.user_tools_dir.mkdir(parents=True, exist_ok=True)
    (rt.paths.user_tools_dir / "weather.py").write_text("X = 1\n")
    cmd_trust(rt, argparse.Namespace(name="weather", sha256=None))
    assert changes[-1] == frozenset({"tools.trusted"})
    assert set(written(rt.paths)["tools.trusted"]) == {"weather.py"}


def test_always_allow_goes_through_update():
    settings = Settings.load()
    changes = heard(settings)
    ApprovalGate(settings).remember("save_file")
    assert changes == [frozenset({"approval"})]
    assert written(settings.paths) == {"approval": {"save_file": "allow"}}
    ApprovalGate(settings).remember("python")  # code tools: this session only, not saved
    assert len(changes) == 1


def test_accepting_an_adapter_goes_through_update(tmp_path):
    settings = Settings.load()
    changes = heard(settings)
    accept(settings, "planner", tmp_path / "planner.gguf")
    assert changes == [frozenset({"models.planner_adapter"})]
    assert written(settings.paths) == {"models.planner_adapter": str(tmp_path / "planner.gguf")}


# -- names declared once ----------------------------------------------------------------


def test_agent_modes_are_declared_once():
    option = next(o for o in OPTIONS if o.name == "agent")
    assert option.choices == tuple(AGENT_MODES)
    assert list(AGENTS) == list(AGENT_MODES)  # a class for every mode, in the same order
    assert RUN_REQUEST["properties"]["agent"]["enum"] == list(AGENT_MODES)
    parser = build_parser()
    for mode in AGENT_MODES:
        assert parser.parse_args(["run", "a task", "--agent", mode]).agent == mode
    with pytest.raises((SystemExit, UsageError)):
        parser.parse_args(["run", "a task", "--agent", "plan-and-act"])


def test_a_database_password_has_one_keyring_name_and_one_variable():
    secret = db_password_secret("sales-db")
    assert secret.keyring == "db_password_sales-db"
    assert secret.env == "SMART_AGENT_DB_PASSWORD_SALES_DB"
