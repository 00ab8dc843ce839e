"""Follow-ups: a run continues an earlier one, reads its turns and may reuse its results."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.conversation import Conversation, Turn, bind, redirect
from app.errors import PlanError, UnknownRun
from app.events import Event, RunStarted, ToolCall
from app.llm.replay import ReplayModel
from app.plan import parse_plan, plan_grammar
from app.store import MIGRATIONS, Store
from tests.helpers import cli, replay_script, runtime

ASK_PLAN = "Plan: Ask who directed Jaws.\n#E1 = llm[Who directed Jaws?]\n"
SAVE_PRIOR = "Plan: Save the earlier answer.\n#E1 = save_file[answer.txt with #P1]\n"


def call(content: str) -> str:
    return json.dumps(
        {"function": "save_file", "arguments": {"path": "answer.txt", "content": content}}
    )


@pytest.fixture
def sent(monkeypatch) -> list[list[dict[str, str]]]:
    calls: list[list[dict[str, str]]] = []
    generate = ReplayModel.generate

    def recording(self, messages, **kw):
        calls.append([dict(m) for m in messages])
        return generate(self, messages, **kw)

    monkeypatch.setattr(ReplayModel, "generate", recording)
    return calls


@pytest.fixture
def rt():
    rt = runtime()
    yield rt
    rt.close()


def turn(rt, tmp_path, answers, task, name, mode="rewoo", continue_from=None) -> list[Event]:
    spec = replay_script(tmp_path, answers, f"{name}.json")
    agent = rt.agent(mode=mode, planner=spec, caller=spec, approve="allow")
    return list(rt.run(agent, task, continue_from=continue_from))


def first_turn(rt, tmp_path) -> str:
    events = turn(rt, tmp_path, [ASK_PLAN, "Steven Spielberg", "Steven Spielberg."], "Who?", "a")
    assert events[-1].status == "ok"
    return events[0].run_id


# -- ReWOO ------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["#P1", "that", "It."])
def test_save_that_saves_the_earlier_answer(rt, tmp_path, sent, content):
    first = first_turn(rt, tmp_path)
    sent.clear()
    events = turn(
        rt,
        tmp_path,
        [SAVE_PRIOR, call(content), "Saved."],
        "save that to answer.txt",
        "b",
        continue_from="last",
    )
    started = events[0]
    assert isinstance(started, RunStarted)
    assert (started.parent, started.conversation) == (first, first)
    assert (rt.settings.workspace / "answer.txt").read_text() == "Steven Spielberg."
    tool_call = next(e for e in events if isinstance(e, ToolCall))
    assert tool_call.arguments["content"] == "Steven Spielberg."
    plan = next(e for e in events if e.type == "plan")
    assert plan.steps[0].prior == ("P1",)
    planner, caller, solver = sent  # no llm call: the earlier result is not asked again
    task = planner[-1]["content"]
    assert "Earlier task: Who?" in task and "#P1 (answer) = Steven Spielberg." in task
    assert "#P2 (from llm[Who directed Jaws?]) = Steven Spielberg" in task
    assert task.endswith("New task: save that to answer.txt")
    assert "with #P1" in caller[-1]["content"]  # the name, bound after the call
    assert "Write #P1 as it is in the call" in caller[-1]["content"]
    assert "Earlier task: Who?" in solver[-1]["content"]


@pytest.mark.parametrize(
    ("task", "saved"),
    [
        ("save that to answer.txt", "Steven Spielberg."),  # a pronoun: the answer
        ("Save it.", "Steven Spielberg."),
        ("save the name llm gave to answer.txt", "Steven Spielberg"),  # the result named
    ],
)
def test_a_pronoun_means_the_latest_answer_not_a_result_behind_it(rt, tmp_path, task, saved):
    first_turn(rt, tmp_path)  # P1 = its answer, P2 = the llm tool's result
    plan = "Plan: Save the result.\n#E1 = save_file[answer.txt: #P2]\n"
    events = turn(rt, tmp_path, [plan, call("#P2"), "Saved."], task, "b", continue_from="last")
    assert events[-1].status == "ok"
    assert (rt.settings.workspace / "answer.txt").read_text() == saved
    step = next(e for e in events if e.type == "plan").steps[0]
    assert step.prior == (("P1",) if saved.endswith(".") else ("P2",))


def test_a_call_that_drops_the_earlier_result_is_an_error_not_made_up_text(rt, tmp_path):
    first_turn(rt, tmp_path)
    events = turn(
        rt,
        tmp_path,
        [SAVE_PRIOR, call("keep it as written"), "No."],
        "save that",
        "b",
        continue_from="last",
    )
    evidence = next(e for e in events if e.type == "evidence")
    assert evidence.status == "error" and "left out #P1" in evidence.text
    assert not (rt.settings.workspace / "answer.txt").exists()


def test_code_tools_do_not_take_earlier_results(rt, tmp_path):
    first_turn(rt, tmp_path)
    code = "Plan: Count.\n#E1 = python[print(len('#P1'))]\n"
    events = turn(rt, tmp_path, [code, code, code], "count it", "b", continue_from="last")
    assert events[-1].status == "failed" and "takes only this plan's #E results" in events[-1].error


def test_a_plan_may_name_only_the_results_offered(rt, tmp_path):
    first_turn(rt, tmp_path)
    bad = "Plan: x\n#E1 = save_file[a.txt with #P9]\n"
    events = turn(rt, tmp_path, [bad, bad, bad], "save it", "b", continue_from="last")
    assert events[-1].status == "failed" and "#P9" in events[-1].error


def test_continue_an_unknown_or_empty_history_is_refused_before_anything_runs(rt, tmp_path):
    with pytest.raises(UnknownRun, match="no run yet"):
        turn(rt, tmp_path, [SAVE_PRIOR], "save that", "a", continue_from="last")
    with pytest.raises(UnknownRun, match="no run 'nope'"):
        turn(rt, tmp_path, [SAVE_PRIOR], "save that", "a", continue_from="nope")
    assert rt.store.runs() == []


def test_three_turns_form_one_conversation(rt, tmp_path, sent):
    first = first_turn(rt, tmp_path)
    second = turn(
        rt, tmp_path, [SAVE_PRIOR, call("#P1"), "Saved."], "save that", "b", continue_from=first[:6]
    )
    sent.clear()
    third = turn(
        rt,
        tmp_path,
        [ASK_PLAN, "1975", "1975."],
        "when was it made?",
        "c",
        continue_from=second[0].run_id,
    )
    assert third[0].conversation == first and third[0].parent == second[0].run_id
    runs = rt.store.conversation(first)
    assert [r.id for r in runs] == [first, second[0].run_id, third[0].run_id]
    assert [r.parent for r in runs] == [None, first, second[0].run_id]
    task = sent[0][-1]["content"]
    assert task.index("Earlier task: Who?") < task.index("Earlier task: save that")
    assert "#P1 (answer) = Saved." in task  # the newest turn's answer is #P1
    assert rt.store.delete_conversation(first) == 3 and rt.store.runs() == []


def test_cli_continue(tmp_path):
    def models(name: str, answers: list[str]) -> list[str]:
        spec = replay_script(tmp_path, answers, f"{name}.json")  # each process reads it anew
        return ["--planner", spec, "--caller", spec, "--approve", "allow"]

    ask = models("a", [ASK_PLAN, "Steven Spielberg", "Steven Spielberg."])
    first = cli("run", *ask, "--events", "-", "Who directed Jaws?")
    assert first.returncode == 0, first.stderr
    first_id = json.loads(first.stdout.splitlines()[0])["run_id"]
    save = models("b", [SAVE_PRIOR, call("that"), "Saved."])
    missing = cli("run", *save, "--continue", "nope", "save that")
    assert missing.returncode == 1 and "cannot continue: no run 'nope'" in missing.stderr
    second = cli("run", *save, "--continue", "last", "--events", "-", "save that to answer.txt")
    assert second.returncode == 0, second.stderr
    started = json.loads(second.stdout.splitlines()[0])
    assert (started["parent"], started["conversation"]) == (first_id, first_id)
    assert "↳ save that to answer.txt" in cli("history").stdout
    assert json.loads(cli("history", "--json").stdout)[0]["parent"] == first_id
    workspace = runtime().settings.workspace
    assert (workspace / "answer.txt").read_text() == "Steven Spielberg."


# -- ReAct and AutoGPT --------------------------------------------------------------------------


def test_react_follow_up_reads_the_earlier_turn_and_binds_that(rt, tmp_path, sent):
    first_turn(rt, tmp_path)
    sent.clear()
    arguments = json.dumps({"path": "answer.txt", "content": "that"})
    script = [
        f"Thought: Save it.\nAction: save_file\nAction Input: {arguments}",
        "Thought: Done.\nFinal Answer: Saved.",
    ]
    events = turn(
        rt, tmp_path, script, "save that to answer.txt", "r", mode="react", continue_from="last"
    )
    assert events[-1].status == "ok"
    assert (rt.settings.workspace / "answer.txt").read_text() == "Steven Spielberg."
    assert "#P1 (answer) = Steven Spielberg." in sent[0][-1]["content"]


def test_autogpt_follow_up_binds_a_named_result(rt, tmp_path, sent):
    first_turn(rt, tmp_path)
    sent.clear()
    thoughts = {"text": "t", "reasoning": "r", "plan": "p", "criticism": "c"}
    script = [
        json.dumps(
            {
                "thoughts": thoughts,
                "command": {
                    "name": "save_file",
                    "arguments": {"path": "answer.txt", "content": "#P1"},
                },
            }
        ),
        json.dumps(
            {"thoughts": thoughts, "command": {"name": "finish", "arguments": {"answer": "Saved."}}}
        ),
    ]
    events = turn(
        rt, tmp_path, script, "save that to answer.txt", "g", mode="autogpt", continue_from="last"
    )
    assert events[-1].status == "ok"
    assert (rt.settings.workspace / "answer.txt").read_text() == "Steven Spielberg."
    assert "#P1 (answer) = Steven Spielberg." in sent[0][-1]["content"]


# -- the parts ---------------------------------------------------------------------------------


def test_turns_are_trimmed_to_the_budget_newest_first():
    old = Turn("r1", "first task", "A" * 1000, (("llm[x]", "B" * 1000), ("llm[z]", "C" * 1000)))
    new = Turn("r2", "second task", "short answer", (("llm[y]", "evidence"),))
    conversation = Conversation("r1", (old, new))
    items = conversation.items(300)  # each text shown at most 100 characters
    names = [(i.name, i.run_id, i.text[0]) for i in items]
    assert names == [("P1", "r2", "s"), ("P2", "r2", "e"), ("P3", "r1", "A"), ("P4", "r1", "C")]
    assert items[2].text == "A" * 1000  # a step gets the whole text; the planner a share
    context = conversation.context(300)
    assert "second task" in context and "B" not in context and "A" * 101 not in context


def test_bind_names_and_pointers_only():
    values = {"P1": "the answer", "P2": "a result"}
    assert bind({"a": "#P2 and #P1", "b": 3}, values) == {"a": "a result and the answer", "b": 3}
    assert bind({"a": "That."}, values) == {"a": "the answer"}
    assert bind({"a": "save that file"}, values) == {"a": "save that file"}  # only a bare pointer
    assert bind({"a": "that"}, {}) == {"a": "that"}  # a fresh run: nothing bound


def test_pronoun_redirect_only_where_nothing_else_is_named():
    turns = (
        Turn("r1", "old", "old answer", (("llm[a]", "old result"),)),
        Turn("r2", "new", "new answer", (("llm[b]", "new result"),)),
    )
    conversation = Conversation("r1", turns)
    names = conversation.pronoun_redirect("translate that into French", 1500)
    assert names == {"P2": "P1"}  # P3, P4: the older turn, never redirected
    assert conversation.pronoun_redirect("save that file name", 1500) == {}
    assert redirect("#P2", names) == "#P1"
    assert redirect("#P2 and #P3", names) == "#P2 and #P3"  # also names an older result
    assert redirect("plain", names) == "plain"


def test_plan_references_to_earlier_results():
    plan = parse_plan("Plan: s\n#E1 = llm[#P2 and #P1]\n", ["llm"], prior=["P1", "P2"])
    assert plan.steps[0].prior == ("P2", "P1") and plan.steps[0].deps == ()
    with pytest.raises(PlanError, match="#P3"):
        parse_plan("Plan: s\n#E1 = llm[#P3]\n", ["llm"], prior=["P1"])
    fresh = parse_plan("Plan: s\n#E1 = llm[#P3]\n", ["llm"])  # no earlier turn: plain text
    assert fresh.steps[0].prior == () and "prior" not in fresh.steps[0].to_dict()
    assert plan_grammar(["llm"], 3, 80, prior=0) == plan_grammar(["llm"], 3, 80)
    assert '"#P" ("1" | "2")' in plan_grammar(["llm"], 3, 80, prior=2)


def test_a_fresh_run_started_event_reads_as_before():
    fresh = RunStarted(run_id="r", t=0.0, task="t", agent="rewoo", models={})
    assert set(fresh.to_dict()) == {"type", "run_id", "t", "task", "agent", "models"}
    follow = RunStarted(
        run_id="r", t=0.0, task="t", agent="rewoo", models={}, parent="p", conversation="c"
    )
    assert Event.from_json(follow.to_json()) == follow


def test_an_older_history_gains_conversations_and_keeps_its_runs(tmp_path):
    path = tmp_path / "h.sqlite3"
    con = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        con.executescript(script)
    con.execute("PRAGMA user_version=3")
    con.execute(
        "INSERT INTO runs (id, task, agent, status, answer, started_at) "
        "VALUES ('old1', 'Who?', 'rewoo', 'ok', 'Nolan', 1.0)"
    )
    con.commit()
    con.close()
    store = Store(path)
    [record] = store.runs()
    assert (record.id, record.answer, record.parent, record.conversation) == (
        "old1",
        "Nolan",
        None,
        "old1",
    )
    assert [r.id for r in store.thread("old1")] == ["old1"]
    store.close()
