"""Teaching from the person's runs (without training), accepting an adapter, the planner's
score on the evaluation split, and the adapters each role uses (``smart-agent models``)."""

from __future__ import annotations

import json

import pytest

from app import llm
from app.learn import teach
from app.learn.adapters import adapters_in_use
from app.learn.examples import DataError
from app.settings import Settings
from tests.helpers import cli, replay_script, runtime, time_runs, tiny_adapter

TIME_PLAN = "Plan: Get the time in {city}.\n#E1 = get_current_time[{city}]\n"


def test_teach_refuses_with_too_few_examples(tmp_path):
    rt = runtime()
    time_runs(rt, tmp_path, ["Tokyo", "Paris", "Lima", "Oslo"])
    with pytest.raises(DataError, match="only 4 rated good planner example.*rate at least 5 good"):
        teach.teach(rt, "planner", approved_only=True)
    time_runs(rt, tmp_path, ["Cairo"], rate=False)  # a fifth run, not rated
    with pytest.raises(DataError, match="rate at least 5 good runs"):
        teach.teach(rt, "planner", approved_only=True)
    assert not (rt.paths.data / "adapters").exists()  # nothing trained, nothing written
    rt.close()


def test_too_few_counts_what_the_choice_allows(tmp_path):
    rt = runtime()
    time_runs(rt, tmp_path, ["Tokyo", "Paris", "Lima", "Oslo", "Cairo"], rate=False)
    _, unrated = teach.gather(rt, "solver", approved_only=False)
    _, rated = teach.gather(rt, "solver", approved_only=True)
    assert teach.too_few(unrated, False) is None
    assert "only 0 rated good solver example(s)" in (teach.too_few(rated, True) or "")
    rt.close()


def test_accept_uses_and_saves_the_adapter(tmp_path):
    settings = Settings()
    adapter = tmp_path / "planner-1.gguf"
    teach.accept(settings, "planner", adapter)
    assert settings.get("models.planner_adapter") == str(adapter)
    assert Settings.load(settings.paths).get("models.planner_adapter") == str(adapter)
    assert Settings.load(settings.paths).get("models.caller_adapter") == ""


def test_discard_deletes_the_adapter_and_what_lies_beside_it(tmp_path):
    folder = tmp_path / "adapters"
    adapter = folder / "caller-1.gguf"
    for path in (adapter, adapter.with_suffix(".json"), folder / "caller-1.gguf.checkpoint/x"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (folder / "other.gguf").write_text("x")
    teach.discard(adapter)
    assert [p.name for p in folder.iterdir()] == ["other.gguf"]


def test_planner_score_is_the_share_of_plans_with_the_right_tools(tmp_path):
    rt = runtime()
    tasks = [
        {"task": "Time in Oslo?", "tools": ["get_current_time"], "steps": 1},
        {"task": "Films by Nolan?", "tools": ["sql_query"], "steps": 1},
        {"task": "Time in Lima?", "tools": ["get_current_time"], "steps": 1},
        {"task": "Time in Rome?", "tools": ["get_current_time"], "steps": 1},
    ]
    plans = [TIME_PLAN.format(city=c) for c in ("Oslo", "Oslo", "Lima")] + ["nonsense"] * 3
    spec = replay_script(tmp_path, plans)
    assert teach.planner_score(rt, None, tasks, base=spec) == 0.5  # the last plan is unusable
    rt.close()


def test_the_evaluation_split_is_spread_evenly():
    tasks = teach.eval_tasks()
    assert len(tasks) > 20 and all({"task", "tools", "steps"} <= set(t) for t in tasks)
    chosen = teach.spread(tasks, 20)
    assert len(chosen) == 20 and chosen[0] is tasks[0]
    tools = {tool for task in chosen for tool in task["tools"]}
    assert len(tools) >= 4  # not just the first tool of the ordered split
    assert teach.spread(tasks, None) == tasks


def test_adapters_in_use_follow_the_model_pool(tmp_path, monkeypatch):
    configured = tiny_adapter(tmp_path / "mine.gguf", rank=4)
    shipped = tiny_adapter(tmp_path / "shipped-caller.gguf", rank=8)
    monkeypatch.setattr(llm, "shipped_adapter", lambda role: shipped if role == "caller" else None)
    settings = Settings({"models.planner_adapter": str(configured)})
    planner, caller, solver = adapters_in_use(settings)
    assert (planner.path, planner.source, planner.rank) == (configured, "configured", 4)
    assert planner.size_bytes == configured.stat().st_size
    assert (caller.path, caller.source, caller.rank) == (shipped, "shipped", 8)
    assert solver.path is None and "none" in solver.describe()
    assert "configured" in planner.describe() and "rank 4" in planner.describe()

    settings.set("models.shipped_adapters", False)
    assert adapters_in_use(settings)[1].path is None
    settings.set("models.caller", "openai:http://127.0.0.1:9#m")  # shipped ones: embedded only
    settings.set("models.shipped_adapters", True)
    assert adapters_in_use(settings)[1].path is None
    settings.set("models.solver", f"default+lora:{tmp_path / 'gone.gguf'}")
    solver = adapters_in_use(settings)[2]
    assert solver.source == "spec" and solver.size_bytes is None and "missing" in solver.describe()


def test_cli_models_lists_the_adapters(tmp_path):
    adapter = tiny_adapter(tmp_path / "mine.gguf", rank=4)
    Settings(
        {"models.planner_adapter": str(adapter), "models.shipped_adapters": False}
    ).save()  # the settings file of this test's SMART_AGENT_HOME
    out = cli("models", "--json")
    assert out.returncode == 0, out.stderr
    adapters = json.loads(out.stdout)["adapters"]
    assert adapters["planner"] == {
        "role": "planner",
        "path": str(adapter),
        "source": "configured",
        "size_bytes": adapter.stat().st_size,
        "rank": 4,
    }
    assert adapters["caller"]["path"] is None and adapters["solver"]["path"] is None
    text = cli("models").stdout
    assert "Adapters (shipped adapters off)" in text
    assert f"planner  {adapter} (configured" in text
