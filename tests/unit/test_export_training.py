"""Ratings in the history and the person's own runs exported as training data.

The runs are real (replay model, real SQLite); the exported messages are compared with
what the agent actually sent to each model, so training and use cannot drift apart.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.agents.rewoo_messages import ReWOOMessages
from app.events import RunFinished, RunStarted
from app.learn.examples import Example, read_jsonl
from app.learn.history import ExportTally, export_examples
from app.llm.base import Message
from app.llm.replay import ReplayModel
from app.plan import Plan, PlanStep
from app.prompts import Prompts
from app.store import MIGRATIONS, Store
from app.tools.approval import ApprovalRequest, Decision
from app.tools.registry import tool
from tests.helpers import cli, replay_script, run_events, runtime

TIME_PLAN = "Plan: Get the time in Tokyo.\n#E1 = get_current_time[Asia/Tokyo]\n"
ADD_PLAN = (
    "Plan: Get the time in UTC.\n#E1 = get_current_time[UTC]\n"
    "Plan: Add the hour to 3.\n#E2 = add[the hour in #E1, plus 3]\n"
)
ADD_CALL = '{"function": "add", "arguments": {"a": 1, "b": 3}}'
SAVE_PLAN = "Plan: Save the notes.\n#E1 = save_file[notes.md with hello]\n"
SAVE_CALL = '{"function": "save_file", "arguments": {"path": "notes.md", "content": "hello"}}'


@tool
def add(a: int, b: int) -> str:
    """Add two numbers.

    Args:
        a: the first number
        b: the second number
    """
    return str(a + b)


@pytest.fixture
def sent(monkeypatch) -> list[list[Message]]:
    """Every message list the agent hands to a model, in order."""
    calls: list[list[Message]] = []
    generate = ReplayModel.generate

    def recording(self, messages, **kw):
        calls.append([dict(m) for m in messages])
        return generate(self, messages, **kw)

    monkeypatch.setattr(ReplayModel, "generate", recording)
    return calls


@pytest.fixture
def rt():
    rt = runtime(**{"planner.examples": "off"})  # as the tuned planner runs
    rt.tools.add(add)
    yield rt
    rt.close()


def run(rt, tmp_path, answers, task, name, **kw):
    events = run_events(rt, replay_script(tmp_path, answers, name), task, **kw)
    assert isinstance(events[-1], RunFinished)
    return events[0].run_id, events[-1].status


def export(rt, role, **kw) -> tuple[list[Example], ExportTally]:
    tally = ExportTally(role)
    return list(export_examples(rt.store, rt, role, tally=tally, **kw)), tally


# -- ratings ---------------------------------------------------------------------------------


def _old_schema_db(path) -> None:
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0])
    con.execute("PRAGMA user_version=1")
    con.execute(
        "INSERT INTO runs (id, task, agent, models, status, answer, started_at, finished_at) "
        "VALUES ('old1', 'an old task', 'rewoo', '{}', 'ok', 'old answer', 1.0, 2.0)"
    )
    con.execute(
        "INSERT INTO events (run_id, seq, type, t, data) VALUES ('old1', 1, 'run_started', 0, ?)",
        (RunStarted(run_id="old1", t=0.0, task="an old task", agent="rewoo", models={}).to_json(),),
    )
    con.commit()
    con.close()


def test_an_old_database_upgrades_and_stays_readable(tmp_path):
    db = tmp_path / "h.sqlite3"
    _old_schema_db(db)
    store = Store(db)
    version = sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0]
    assert version == len(MIGRATIONS)
    record = store.get("old1")
    assert record.task == "an old task" and record.answer == "old answer"
    assert record.rating is None
    assert store.events("old1")[0].type == "run_started"
    assert store.rate("old1", 1) and store.get("old1").rating == 1
    store.close()
    assert Store(db).get("old1").rating == 1  # reopening migrates nothing twice


def test_rate_and_clear(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    list(store.record([RunStarted(run_id="r1", t=0.0, task="t", agent="rewoo", models={})]))
    assert store.get("r1").rating is None and store.get("r1").to_dict()["rating"] is None
    assert store.rate("r1", -1) and store.runs()[0].rating == -1
    assert store.rate("r1", 1) and store.get("r1").rating == 1
    assert store.rate("r1", None) and store.get("r1").rating is None
    assert not store.rate("nope", 1)
    with pytest.raises(ValueError):
        store.rate("r1", 5)
    with pytest.raises(sqlite3.IntegrityError):  # the schema itself refuses other values
        sqlite3.connect(tmp_path / "h.sqlite3").execute("UPDATE runs SET rating = 2")


# -- export ----------------------------------------------------------------------------------


def test_each_role_gets_exactly_the_messages_the_agent_sent(rt, tmp_path, sent):
    run_id, status = run(rt, tmp_path, [ADD_PLAN, ADD_CALL, "It is 4."], "Hour plus 3?", "a")
    assert status == "ok" and len(sent) == 3  # planner, caller (E2 only), solver
    planner_sent, caller_sent, solver_sent = sent

    [planner] = export(rt, "planner")[0]
    assert planner.messages == planner_sent
    assert planner.response == ADD_PLAN
    assert planner.source == "history" and planner.meta == {"run_id": run_id}

    [caller] = export(rt, "caller")[0]  # get_current_time takes the fast path: no example
    assert caller.messages == caller_sent
    assert json.loads(caller.response) == {"function": "add", "arguments": {"a": 1, "b": 3}}
    assert caller.meta == {"run_id": run_id, "step": "E2"}
    utc = next(e for e in rt.store.events(run_id) if e.type == "evidence").text
    assert f"the hour in {utc}, plus 3" in caller.messages[-1]["content"]  # #E1 substituted

    [solver] = export(rt, "solver")[0]
    assert solver.messages == solver_sent
    assert solver.response == "It is 4."


def test_messages_match_rewoo_messages_built_directly(rt, tmp_path):
    run(rt, tmp_path, [TIME_PLAN, "Evening."], "Time in Tokyo?", "a")
    messages = ReWOOMessages(rt.tools, rt.settings, Prompts(rt.settings.paths))
    from_tuple = list(
        export_examples(rt.store, (rt.tools, rt.settings, Prompts(rt.paths)), "planner")
    )
    [planner] = export(rt, "planner")[0]
    assert planner.messages == messages.planner("Time in Tokyo?", examples=False)
    assert from_tuple == [planner]
    step = PlanStep("E1", "Get the time in Tokyo.", "get_current_time", "Asia/Tokyo")
    [solver] = export(rt, "solver")[0]
    evidence = next(e for e in rt.store.events(planner.meta["run_id"]) if e.type == "evidence")
    assert solver.messages == messages.solver(
        "Time in Tokyo?", Plan((step,)), {"E1": evidence.text}
    )
    # examples round-trip through the JSONL format the trainer reads
    Example.from_dict(json.loads(json.dumps(planner.to_dict())))


def test_failed_bad_and_other_agents_are_never_exported(rt, tmp_path):
    good, _ = run(rt, tmp_path, [TIME_PLAN, "Evening."], "good", "a")
    bad, _ = run(rt, tmp_path, [TIME_PLAN, "Wrong."], "bad", "b")
    rt.store.rate(bad, -1)
    _, failed = run(rt, tmp_path, ["nonsense"] * 3, "failing", "c")
    assert failed == "failed"
    list(
        rt.store.record(
            [
                RunStarted(run_id="re1", t=0.0, task="react", agent="react", models={}),
                RunFinished(run_id="re1", t=1.0, status="ok"),
            ]
        )
    )
    for role in ("planner", "solver"):
        examples, tally = export(rt, role)
        assert [e.meta["run_id"] for e in examples] == [good]
        assert tally.examples == 1 and tally.runs == 1
        assert dict(tally.left_out) == {"not ReWOO": 1, "did not finish ok": 1, "rated bad": 1}
    assert "1 rated bad" in tally.summary()


def test_approved_only_keeps_the_runs_rated_good(rt, tmp_path):
    first, _ = run(rt, tmp_path, [TIME_PLAN, "One."], "first", "a")
    second, _ = run(rt, tmp_path, [TIME_PLAN, "Two."], "second", "b")
    assert len(export(rt, "solver")[0]) == 2
    examples, tally = export(rt, "solver", approved_only=True)
    assert examples == [] and dict(tally.left_out) == {"not rated good": 2}
    assert "smart-agent rate RUN_ID good" in tally.nothing_to_export()
    rt.store.rate(second, 1)
    examples, _ = export(rt, "solver", approved_only=True)
    assert [e.response for e in examples] == ["Two."]


def test_arguments_edited_at_approval_are_the_caller_target(rt, tmp_path, sent):
    def approver(request: ApprovalRequest) -> Decision:
        return Decision(True, dict(request.arguments, path="edited.md", content="better"))

    run_id, status = run(
        rt, tmp_path, [SAVE_PLAN, SAVE_CALL, "Saved."], "save", "a", approver=approver
    )
    assert status == "ok" and (rt.settings.workspace / "edited.md").read_text() == "better"
    [caller] = export(rt, "caller")[0]
    assert caller.messages == sent[1]
    assert json.loads(caller.response) == {
        "function": "save_file",
        "arguments": {"path": "edited.md", "content": "better"},
    }


def test_steps_that_did_not_succeed_or_lost_their_tool_give_no_caller_example(rt, tmp_path):
    _, status = run(
        rt, tmp_path, [SAVE_PLAN, SAVE_CALL, "Not saved."], "denied", "a", approve="deny"
    )
    assert status == "failed"  # its only step was denied: the whole run is left out
    examples, tally = export(rt, "caller")
    assert examples == [] and dict(tally.left_out) == {"did not finish ok": 1}
    assert "nothing to export for the caller" in tally.nothing_to_export()
    run(rt, tmp_path, [ADD_PLAN, ADD_CALL, "It is 4."], "hour", "b")
    assert len(export(rt, "caller")[0]) == 1
    rt.tools._tools.pop("add")  # the tool has gone since the run
    assert export(rt, "caller")[0] == []
    planner, tally = export(rt, "planner")
    assert planner == []  # a plan using add is not a target, a run denied its step not ok
    assert dict(tally.left_out) == {"did not finish ok": 1, "had nothing for this role": 1}


def test_an_empty_history_says_so():
    rt = runtime()
    examples, tally = export(rt, "planner")
    assert examples == [] and "the history has no runs yet" in tally.nothing_to_export()
    with pytest.raises(ValueError):
        list(export_examples(rt.store, rt, "critic"))


# -- command line ----------------------------------------------------------------------------


def test_cli_rate_and_history_json(rt, tmp_path):
    run_id, _ = run(rt, tmp_path, [TIME_PLAN, "Evening."], "time?", "a")
    rt.close()  # the history the command line opens is this one (SMART_AGENT_HOME)
    assert json.loads(cli("history", "--json").stdout)[0]["rating"] is None
    out = cli("rate", run_id[:8], "good")
    assert out.returncode == 0 and "rated good" in out.stdout
    assert json.loads(cli("history", "--json").stdout)[0]["rating"] == 1
    assert cli("rate", run_id, "bad").returncode == 0
    assert json.loads(cli("history", "--json").stdout)[0]["rating"] == -1
    assert cli("rate", run_id, "none").returncode == 0
    assert json.loads(cli("history", "--json").stdout)[0]["rating"] is None

    unknown = cli("rate", "doesnotexist", "good")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    assert "no run with id 'doesnotexist'" in unknown.stderr
    wrong = cli("rate", run_id, "meh")
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1
    assert "invalid choice: 'meh'" in wrong.stderr and "Traceback" not in wrong.stderr


def test_cli_export_training(rt, tmp_path):
    empty = cli("export-training", "--role", "planner")
    assert empty.returncode == 0 and empty.stdout == ""
    assert "nothing to export" in empty.stderr and empty.stderr.count("\n") == 1

    run(rt, tmp_path, [TIME_PLAN, "Evening."], "time?", "a")
    assert run(rt, tmp_path, ["nonsense", "x", "y"], "fails", "b")[1] == "failed"
    rt.close()

    out = cli("export-training", "--role", "planner")
    assert out.returncode == 0, out.stderr
    [line] = out.stdout.splitlines()
    assert json.loads(line)["response"] == TIME_PLAN
    assert "1 planner example from 1 run" in out.stderr
    assert "1 did not finish ok" in out.stderr

    path = tmp_path / "out" / "solver.jsonl"
    out = cli("export-training", "--role", "solver", "--out", str(path))
    assert out.returncode == 0 and out.stdout == "" and str(path) in out.stderr
    assert [e.response for e in read_jsonl(path, "solver")] == ["Evening."]

    approved = cli("export-training", "--role", "solver", "--approved-only")
    assert approved.returncode == 0 and approved.stdout == ""
    assert "nothing to export" in approved.stderr and "not rated good" in approved.stderr

    missing = cli("export-training")
    assert missing.returncode == 2 and "--role" in missing.stderr
    assert missing.stderr.count("\n") == 1
    wrong = cli("export-training", "--role", "critic")
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1
