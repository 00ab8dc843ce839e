"""`smart-agent prompts`: every template, its placeholders and where it comes from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import SettingsError
from app.prompts import SHIPPED, Prompts, placeholders
from tests.helpers import cli, replay_script, runtime
from tests.replay_recorder import recording_agent


@pytest.fixture
def prompts_dir(smart_agent_home: Path) -> Path:
    folder = smart_agent_home / "config" / "prompts"
    folder.mkdir(parents=True)
    return folder


def shipped_names() -> list[str]:
    return sorted(p.stem for p in SHIPPED.glob("*.txt"))


def test_json_lists_every_shipped_template_with_its_placeholders():
    out = cli("prompts", "--json")
    assert out.returncode == 0, out.stderr
    listing = json.loads(out.stdout)
    assert [p["name"] for p in listing] == shipped_names()
    by_name = {p["name"]: p for p in listing}
    for mode in ("rewoo_planner", "react_system", "autogpt_system"):
        assert mode in by_name
    assert by_name["react_system"]["placeholders"] == ["max_steps", "tool_names", "tools"]
    assert by_name["autogpt_result"]["placeholders"] == ["command", "result", "status"]
    for entry in listing:
        assert entry["source"] == "package" and entry["error"] is None
        path = Path(entry["path"])
        assert path.parent == SHIPPED
        assert entry["placeholders"] == sorted(placeholders(path.read_text(encoding="utf-8")))


def test_text_listing_shows_one_line_per_template_and_the_override_folder(prompts_dir):
    out = cli("prompts")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[0] == f"Overrides go in {prompts_dir}"
    assert len(lines) == 1 + len(shipped_names())
    react = next(line for line in lines if line.startswith("react_system "))
    assert "package" in react and "{max_steps}, {tool_names}, {tools}" in react


def test_an_override_is_listed_with_its_path_and_used_by_runs(prompts_dir, tmp_path):
    override = prompts_dir / "react_system.txt"
    override.write_text(
        "CUSTOM PROMPT. Tools:\n{tools}\nNames: {tool_names}. At most {max_steps} actions.\n",
        encoding="utf-8",
    )
    listing = {p["name"]: p for p in json.loads(cli("prompts", "--json").stdout)}
    assert listing["react_system"]["source"] == "override"
    assert listing["react_system"]["path"] == str(override)
    assert listing["react_observation"]["source"] == "package"
    text = cli("prompts").stdout
    assert "react_system" in text and f"override: {override}" in text

    rt = runtime()
    agent, model = recording_agent(rt, "react", tmp_path, ["Thought: t\nFinal Answer: done"])
    events = list(rt.run(agent, "task"))
    assert events[-1].status == "ok"
    assert model.seen[0][0]["content"].startswith("CUSTOM PROMPT. Tools:\n- get_current_time")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("Tools: {tools}, at most {max_steps}.", "lacks placeholder(s) {tool_names}"),
        (
            "{tools} {tool_names} {max_steps} {colour}",
            "uses placeholder(s) {colour} that react_system does not fill",
        ),
        ("{tools} {tool_names} {max_steps} {", "is malformed"),
    ],
)
def test_a_broken_override_is_reported_and_exits_1(prompts_dir, content, fragment):
    (prompts_dir / "react_system.txt").write_text(content, encoding="utf-8")
    out = cli("prompts")
    assert out.returncode == 1
    assert fragment in out.stdout
    assert out.stderr.strip() == (
        "smart-agent: error: 1 prompt override(s) cannot be used: react_system"
    )
    listed = {p["name"]: p for p in json.loads(cli("prompts", "--json").stdout)}
    assert fragment in listed["react_system"]["error"]
    with pytest.raises(SettingsError, match="react_system"):
        Prompts().get("react_system")


def test_a_broken_override_fails_the_run_with_one_line(prompts_dir, tmp_path):
    (prompts_dir / "autogpt_task.txt").write_text("No goal here.", encoding="utf-8")
    spec = replay_script(tmp_path, ["{}"])
    out = cli("run", "--agent", "autogpt", "--planner", spec, "task")
    assert out.returncode == 1
    assert "lacks placeholder(s) {task}" in out.stderr and "Traceback" not in out.stderr


def test_an_override_with_no_template_is_flagged_as_unused(prompts_dir):
    (prompts_dir / "react_sytem.txt").write_text("typo in the name", encoding="utf-8")
    out = cli("prompts", "--json")
    assert out.returncode == 0  # nothing broken, only useless
    extra = json.loads(out.stdout)[-1]
    assert extra["name"] == "react_sytem" and extra["source"] == "unused"
    assert "no shipped template has this name" in extra["error"]


def test_literal_braces_in_an_override_are_fine(prompts_dir):
    (prompts_dir / "autogpt_retry.txt").write_text(
        'Bad reply: {error}. Send {{"thoughts": ..., "command": ...}}.', encoding="utf-8"
    )
    rendered = Prompts().get("autogpt_retry").render(error="no JSON")
    assert rendered == 'Bad reply: no JSON. Send {"thoughts": ..., "command": ...}.'
    assert cli("prompts").returncode == 0
