"""Settings and paths, the event contract, and the tool registry."""

from __future__ import annotations

import json

import pytest

from app.errors import SettingsError, ToolError
from app.events import EVENT_TYPES, Event, Evidence, RunFinished, UnknownEvent
from app.paths import Paths
from app.plan import PlanStep
from app.settings import Settings
from app.tools.registry import ToolContext, tool, tool_from_function


def test_smart_agent_home_puts_everything_under_it(smart_agent_home):
    paths = Paths.from_env()
    for folder in (paths.config, paths.data, paths.cache, paths.logs):
        assert folder.is_relative_to(smart_agent_home)
    assert paths.workspace == smart_agent_home / "workspace"


def test_settings_round_trip_stores_only_changes():
    settings = Settings.load()
    settings.set("planner.max_steps", 5)
    settings.set("approval", {"python": "allow"})
    settings.save()
    raw = json.loads(settings.paths.settings_file.read_text())
    assert raw == {"approval": {"python": "allow"}, "planner.max_steps": 5}
    again = Settings.load()
    assert again.get("planner.max_steps") == 5
    assert again.policy_for("python", "write") == "allow"
    assert again.policy_for("save_file", "write") == "ask"
    assert again.policy_for("llm", "read") == "allow"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "\x00\x01binary"])
def test_corrupt_settings_file_is_set_aside_not_fatal(content):
    paths = Paths.from_env()
    paths.config.mkdir(parents=True)
    paths.settings_file.write_text(content)
    settings = Settings.load()
    assert settings.get("agent") == "rewoo"
    assert settings.warnings and "could not be read" in settings.warnings[0]
    assert not paths.settings_file.exists()
    assert list(paths.config.glob("settings.json.corrupt-*"))


def test_bad_values_are_reported_and_skipped():
    paths = Paths.from_env()
    paths.config.mkdir(parents=True)
    paths.settings_file.write_text(
        json.dumps({"planner.max_steps": "many", "nope": 1, "theme": "dark"})
    )
    settings = Settings.load()
    assert settings.get("theme") == "dark" and settings.get("planner.max_steps") == 8
    assert len(settings.warnings) == 2
    with pytest.raises(SettingsError):
        settings.set("approval", {"python": "sometimes"})


def test_every_event_type_round_trips_through_json():
    samples = {
        "run_started": {"task": "t", "agent": "rewoo", "models": {"planner": "m"}},
        "plan": {"steps": (PlanStep("E1", "p", "llm", "i"),)},
        "plan_delta": {"text": "Pl"},
        "step_started": {"id": "E1"},
        "tool_call": {"id": "E1", "tool": "llm", "arguments": {"prompt": "x"}},
        "approval_requested": {"id": "E1", "tool": "t", "arguments": {}, "reason": "r"},
        "approval_resolved": {"id": "E1", "decision": "deny", "arguments": {}},
        "evidence": {"id": "E1", "status": "ok", "text": "ü", "seconds": 0.1},
        "thought": {"text": "hm"},
        "answer_delta": {"text": "a"},
        "answer": {"text": "a"},
        "run_finished": {"status": "failed", "error": "e", "usage": {}, "seconds": 1.0},
        "policy_changed": {
            "setting": "approval.python",
            "old": None,
            "new": "allow",
            "source": "settings dialog",
            "at": 1.0,
            "session_only": True,
        },
    }
    assert set(samples) == set(EVENT_TYPES)
    for type_name, fields in samples.items():
        event = EVENT_TYPES[type_name](run_id="r", t=0.5, **fields)
        line = event.to_json()
        assert "\n" not in line
        data = json.loads(line)
        assert data["type"] == type_name and data["run_id"] == "r" and data["t"] == 0.5
        assert Event.from_json(line) == event


def test_unknown_event_type_is_kept():
    event = Event.from_json('{"type": "later", "run_id": "r", "t": 1, "extra": [1]}')
    assert isinstance(event, UnknownEvent) and json.loads(event.to_json())["extra"] == [1]


def test_events_are_frozen():
    event = Evidence(run_id="r", t=0, id="E1", status="ok", text="x", seconds=0)
    with pytest.raises(AttributeError):
        event.text = "changed"  # type: ignore[misc]
    assert RunFinished(run_id="r", t=0, status="ok").error is None


def test_schema_from_hints_and_docstring():
    @tool(risk="write", timeout=5)
    def sample(
        path: str,
        count: int = 3,
        flag: bool = False,
        tags: list[str] | None = None,
        *,
        context: ToolContext,
    ) -> str:
        """Do a sample thing.

        Longer text.

        Args:
            path: Where it goes,
                over two lines.
            count: How many.
            flag: A switch.
            tags: Labels.
        """
        return path

    t = tool_from_function(sample)
    assert t.name == "sample" and t.risk == "write" and t.timeout == 5
    assert t.description == "Do a sample thing. Longer text."
    props = t.parameters["properties"]
    assert props["path"] == {"type": "string", "description": "Where it goes, over two lines."}
    assert props["count"]["type"] == "integer" and props["count"]["default"] == 3
    assert props["tags"]["type"] == "array" and props["tags"]["items"] == {"type": "string"}
    assert t.parameters["required"] == ["path"] and "context" not in props
    assert t.fast_path_argument == "path"
    with pytest.raises(ToolError, match="invalid arguments for sample"):
        t.validate({"path": 3})
    with pytest.raises(ToolError):
        t.validate({"path": "x", "surprise": 1})


def test_auto_threads_leave_one_core_to_the_window_while_writing():
    from app.llm.llama_cpp import auto_threads

    assert auto_threads(0, cores=8) == (8, 7)
    assert auto_threads(0, cores=2) == (2, 1)
    assert auto_threads(0, cores=1) == (1, 1)
    assert auto_threads(3, cores=8) == (3, 3)
