"""The command line: exit codes 0/1/2, JSONL events, one clear line and never a traceback."""

from __future__ import annotations

import json

import pytest

from tests.helpers import cli, replay_script

TIME_PLAN = "Plan: Get the time in Tokyo.\n#E1 = get_current_time[Tokyo]\n"


def test_version_and_help():
    out = cli("--version")
    assert out.returncode == 0 and out.stdout.startswith("smart-agent ")
    assert cli("--help").returncode == 0


def test_run_prints_tree_and_answer(tmp_path):
    spec = replay_script(tmp_path, [TIME_PLAN, "It is evening in Tokyo."])
    out = cli("run", "What time is it in Tokyo?", "--planner", spec, "--caller", spec)
    assert out.returncode == 0, out.stderr
    assert "E1: Get the time in Tokyo." in out.stdout
    assert 'get_current_time {"tz": "Tokyo"}' in out.stdout
    assert "Asia/Tokyo" in out.stdout and "It is evening in Tokyo." in out.stdout


def test_events_dash_writes_jsonl_only(tmp_path):
    spec = replay_script(tmp_path, [TIME_PLAN, "Evening."])
    out = cli("run", "time?", "--planner", spec, "--caller", spec, "--events", "-")
    assert out.returncode == 0
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert events[0]["type"] == "run_started" and events[-1]["type"] == "run_finished"
    assert all({"type", "run_id", "t"} <= e.keys() for e in events)


def test_events_to_file_and_history_and_show(tmp_path):
    spec = replay_script(tmp_path, [TIME_PLAN, "Evening."])
    path = tmp_path / "ev.jsonl"
    assert cli("run", "time?", "--planner", spec, "--events", str(path)).returncode == 0
    run_id = json.loads(path.read_text().splitlines()[0])["run_id"]
    listing = cli("history", "--json")
    assert [r["id"] for r in json.loads(listing.stdout)] == [run_id]
    shown = cli("show", run_id[:6])
    assert shown.returncode == 0 and "Evening." in shown.stdout
    shown_json = cli("show", run_id, "--json")
    assert shown_json.stdout.splitlines() == path.read_text().splitlines()


@pytest.mark.parametrize(
    "bad",
    [
        "prose only",
        "Plan: x\n#E1 = nosuchtool[a]",
        "Plan: x\n#E1 = llm[broken",
        "Plan: x\n#E1 = llm[#E2]",
        "Plan: a\n#E1 = llm[a]\nPlan: b\n#E1 = llm[b]",
        "Plan: x\n#E1 = llm[#E1]",
        "Plan: x\n#E99999999999999 = llm[a]",
        "garbage " * 200_000,
    ],
)
def test_malformed_plans_exit_1_with_a_readable_line_and_are_recorded(tmp_path, bad):
    spec = replay_script(tmp_path, [bad] * 3)
    out = cli("run", "task", "--planner", spec, "--events", "-")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    finished = json.loads(out.stdout.splitlines()[-1])
    assert finished["type"] == "run_finished" and finished["status"] == "failed"
    assert finished["error"].startswith("the planner did not write a usable plan")
    assert out.stderr.count("\n") == 1 and "run failed" in out.stderr
    history = json.loads(cli("history", "--json").stdout)
    assert history[0]["status"] == "failed"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run"], "the following arguments are required"),
        (["run", "x", "--approve", "maybe"], "invalid choice"),
        (["run", "x", "--db", "nourl"], "is not NAME=URL"),
        (["run", "x", "--db", "a=http://x"], "use sqlite:///PATH or mysql://"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, fragment):
    out = cli(*args)
    assert out.returncode == 2
    assert fragment in out.stderr and out.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("gguf:/nowhere/model.gguf", "model file not found: /nowhere/model.gguf"),
        ("replay:/nowhere/s.json", "replay script not found"),
        ("bogus:thing", "unknown model spec"),
    ],
)
def test_model_problems_are_one_clear_line(spec, fragment):
    out = cli("run", "task", "--planner", spec)
    assert out.returncode == 1
    assert fragment in out.stderr and "Traceback" not in out.stderr


def test_corrupt_settings_and_history_are_reported_and_runs_still_work(tmp_path, smart_agent_home):
    (smart_agent_home / "config").mkdir()
    (smart_agent_home / "config" / "settings.json").write_text("{oops")
    (smart_agent_home / "data").mkdir()
    (smart_agent_home / "data" / "history.sqlite3").write_bytes(b"not a database" * 100)
    spec = replay_script(tmp_path, [TIME_PLAN, "Evening."])
    out = cli("run", "time?", "--planner", spec)
    assert out.returncode == 0
    assert "settings file" in out.stderr and "history database" in out.stderr
    assert list((smart_agent_home / "data").glob("history.sqlite3.corrupt-*"))


def test_tools_json_lists_schemas_and_risk():
    tools = json.loads(cli("tools", "--json").stdout)
    names = {t["name"]: t for t in tools}
    assert {"get_current_time", "llm"} <= names.keys()
    assert names["llm"]["parameters"]["required"] == ["prompt"]
    assert all(t["risk"] in ("read", "write") for t in tools)


def test_unknown_run_id_is_a_clear_error():
    out = cli("show", "doesnotexist")
    assert out.returncode == 1 and "no run with id 'doesnotexist'" in out.stderr
