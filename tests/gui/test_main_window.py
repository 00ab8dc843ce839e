"""The main window on replayed runs: live tree, answer, Stop, history reopen and export."""

from __future__ import annotations

import json
import threading

from PySide6.QtCore import QModelIndex, Qt

from app.events import Event
from app.tools.registry import tool
from tests.helpers import replay_script, runtime
from ui.main_window import MainWindow
from ui.plan_tree_model import NodeRole, PlanTreeModel

TIME_PLAN = "Plan: Get the time in Tokyo.\n#E1 = get_current_time[Asia/Tokyo]\n"
TWO_STEPS = (
    "Plan: Get the time in Tokyo.\n#E1 = get_current_time[Asia/Tokyo]\n"
    "Plan: And in Paris.\n#E2 = get_current_time[Europe/Paris]\n"
)


def make_window(qtbot, tmp_path, answers, **settings):
    spec = replay_script(tmp_path, answers)
    rt = runtime(**{"models.planner": spec, "models.caller": spec, **settings})
    window = MainWindow(rt)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # window shortcuts (Ctrl+Enter, Esc) need the active window
    qtbot.waitUntil(window.isActiveWindow)
    return window


def run_and_wait(qtbot, window, task, timeout=15000):
    with qtbot.waitSignal(window.runFinished, timeout=timeout) as blocker:
        assert window.start_task(task)
    qtbot.waitUntil(lambda: not window.is_running(), timeout=timeout)
    return blocker.args


def all_nodes(model: PlanTreeModel, parent=None):
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index.data(NodeRole)
        yield from all_nodes(model, index)


def test_window_title_and_empty_states(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [])
    assert "Smart Agent" in window.windowTitle()
    assert window.tree_stack.currentWidget() is window.placeholder
    assert "Ctrl+Enter" in window.placeholder.text()
    assert window.history.stack.currentWidget() is window.history.empty
    assert "No runs yet" in window.history.empty.text()


def test_tree_model_passes_modeltester_while_a_run_streams(qtbot, qtmodeltester, tmp_path):
    rt = runtime()
    spec = replay_script(tmp_path, [TWO_STEPS, "Tokyo is *ahead* of Paris."])
    model = PlanTreeModel()
    # the tester stays connected: every insertion and change below is checked as it happens
    qtmodeltester.check(model, force_py=True)
    agent = rt.agent(planner=spec, caller=spec)
    seen: list[Event] = []
    for event in rt.run(agent, "Time in Tokyo and Paris?"):
        model.apply(event)
        seen.append(event)
        model.tick()
    kinds = [n.kind for n in model.tree.walk()]
    assert kinds.count("step") == 2 and kinds.count("call") == 2 and kinds.count("evidence") == 2
    assert {n.status for n in model.tree.walk()} == {"ok"}
    assert model.tree.answer.strip() == "Tokyo is *ahead* of Paris."
    model.clear()
    assert model.rowCount() == 0


def test_run_through_the_window_fills_tree_answer_history(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [TIME_PLAN, "It is **evening** in Tokyo."])
    qtbot.keyClicks(window.task_box, "What time is it in Tokyo?")
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        qtbot.keyClick(window.task_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    run_id, status, answer = blocker.args
    assert status == "ok" and "evening" in answer
    qtbot.waitUntil(lambda: not window.is_running())
    nodes = list(all_nodes(window.tree.model()))
    assert [n.kind for n in nodes] == ["step", "call", "evidence"]
    assert nodes[0].status == "ok" and nodes[1].tool == "get_current_time"
    assert "Asia/Tokyo" in nodes[2].detail
    assert window.tree_stack.currentWidget() is window.tree_splitter
    # Markdown rendered, not shown raw
    assert "evening" in window.answer.toPlainText()
    assert "**" not in window.answer.toPlainText()
    assert window.history.list.count() == 1
    assert window.runtime.store.get(run_id).status == "ok"
    # selecting the evidence shows it in full in the detail pane
    evidence_index = window.tree.model().index(0, 0, window.tree.model().index(0, 0))
    evidence_index = window.tree.model().index(0, 0, evidence_index)
    window.tree.setCurrentIndex(evidence_index)
    assert "Asia/Tokyo" in window.detail.toPlainText()
    assert window.run_button.isEnabled() and not window.stop_button.isEnabled()


def test_long_evidence_is_elided_in_the_tree_and_full_in_the_detail(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, ["Plan: a\n#E1 = longtext[x]\n", "ok"])

    @tool
    def longtext(what: str) -> str:
        """Return a lot of text.

        Args:
            what: anything
        """
        return "word " * 2000 + "END"

    window.runtime.tools.add(longtext)
    run_and_wait(qtbot, window, "long")
    evidence = [n for n in window.live_model.tree.walk() if n.kind == "evidence"][0]
    assert len(evidence.title) <= 160 and evidence.title.endswith("…")
    assert evidence.detail.endswith("END")


def test_stop_ends_the_run_without_waiting_for_the_tool_and_tree_shows_it(qtbot, tmp_path):
    """How fast Stop is, is measured in tests/bench/pipeline.py (stop_ms) and, on the real
    model, tests/integration/test_stop.py; here: Esc ends the run while the tool is still
    inside, and the tree says so."""
    window = make_window(qtbot, tmp_path, ["Plan: a\n#E1 = slow[x]\nPlan: b\n#E2 = slow[#E1]\n"])
    started, release, returned = threading.Event(), threading.Event(), threading.Event()

    @tool
    def slow(what: str) -> str:
        """Returns only when the test lets it.

        Args:
            what: anything
        """
        started.set()
        release.wait(120)
        returned.set()
        return "never"

    window.runtime.tools.add(slow)
    try:
        with qtbot.waitSignal(window.runFinished, timeout=60000) as blocker:
            window.start_task("slow task")
            qtbot.waitUntil(started.is_set, timeout=30000)
            qtbot.keyClick(window, Qt.Key.Key_Escape)
        assert not returned.is_set()
    finally:
        release.set()
    assert blocker.args[1] == "cancelled"
    statuses = {n.key: n.status for n in window.live_model.tree.walk() if n.kind == "step"}
    assert statuses == {"E1": "skipped", "E2": "cancelled"} or set(statuses.values()) <= {
        "cancelled",
        "skipped",
    }
    assert "Stopped" in window.statusBar().currentMessage()


def test_history_reopen_rebuilds_tree_and_answer_then_export(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [TIME_PLAN, "First answer.", TIME_PLAN, "Second."])
    first_id, _, _ = run_and_wait(qtbot, window, "first task")
    run_and_wait(qtbot, window, "second task")
    assert window.history.list.count() == 2
    window.history.search.setText("first")
    qtbot.waitUntil(lambda: window.history.list.count() == 1, timeout=30000)
    window.open_run(first_id)
    assert window.shown_model is not window.live_model
    assert window.shown_model.tree.task == "first task"
    assert [n.kind for n in window.shown_model.tree.walk()] == ["step", "call", "evidence"]
    assert "First answer." in window.answer.toPlainText()
    assert window.task_box.toPlainText() == "first task"

    md = tmp_path / "run.md"
    js = tmp_path / "run.json"
    window.history.export(first_id, md, "md")
    window.history.export(first_id, js, "json")
    text = md.read_text()
    assert text.startswith("# first task") and "get_current_time" in text
    assert "First answer." in text
    document = json.loads(js.read_text())
    assert document["run"]["id"] == first_id
    assert [e["type"] for e in document["events"]][0] == "run_started"

    window.history.delete(first_id)
    assert window.runtime.store.get(first_id) is None
    assert window.shown_model is window.live_model


def test_a_run_that_cannot_start_says_why(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [])
    window.model_box.setCurrentText("gguf:/nonexistent/model.gguf")
    with qtbot.waitSignal(window.runFinished, timeout=10000) as blocker:
        window.start_task("anything")
    assert blocker.args[1] == "failed"
    qtbot.waitUntil(lambda: not window.is_running())
    assert "could not start" in window.answer.toPlainText()
    assert window.run_button.isEnabled()


def test_second_start_while_running_is_refused(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, ["Plan: a\n#E1 = wait[x]\n", "ok"])
    release = threading.Event()

    @tool
    def wait(what: str) -> str:
        """Wait.

        Args:
            what: anything
        """
        release.wait(120)  # released below, once the second start was refused
        return "done"

    window.runtime.tools.add(wait)
    with qtbot.waitSignal(window.runFinished, timeout=10000):
        assert window.start_task("one")
        assert not window.start_task("two")
        release.set()


def test_window_state_is_remembered(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [])
    window.resize(700, 500)
    window.main_splitter.setSizes([250, 450])
    window.save_state()
    again = MainWindow(window.runtime)
    qtbot.addWidget(again)
    assert again.size().width() == 700 and again.size().height() == 500
    assert again.main_splitter.sizes()[0] == window.main_splitter.sizes()[0]


def test_the_planner_box_is_a_choice_for_this_run_until_made_default(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [])
    other = replay_script(tmp_path, [TIME_PLAN, "ok"], name="other.json")
    window.model_box.setCurrentText(other)
    window.runtime.settings.set("models.caller", other)
    assert window.planner_choice.default_button.isEnabled()
    _, status, _ = run_and_wait(qtbot, window, "task")
    assert status == "ok"  # the run used the chosen planner (the saved one has no answers)
    settings = type(window.runtime.settings).load(window.runtime.paths)
    assert settings.get("models.planner") != other and settings.get("agent") == "rewoo"
    assert "other.json" in window.models_label.text()  # the status bar names it, not "default"

    window.planner_choice.default_button.click()
    settings = type(window.runtime.settings).load(window.runtime.paths)
    assert settings.get("models.planner") == other
    assert not window.planner_choice.default_button.isEnabled()
    assert "now the default planner" in window.statusBar().currentMessage()


def test_closing_the_window_during_a_run_stops_it_cleanly(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, ["Plan: a\n#E1 = slow2[x]\n", "never"])
    started, release, returned = threading.Event(), threading.Event(), threading.Event()

    @tool
    def slow2(what: str) -> str:
        """Returns only when the test lets it.

        Args:
            what: anything
        """
        started.set()
        release.wait(120)
        returned.set()
        return "never"

    window.runtime.tools.add(slow2)
    window.start_task("slow task")
    qtbot.waitUntil(started.is_set, timeout=30000)
    worker = window.worker
    try:
        window.close()
        assert worker is not None and not worker.is_alive()
        assert not returned.is_set()  # the run's thread ended without waiting for the tool
    finally:
        release.set()
    runs = window.runtime.store.runs()
    assert [r.status for r in runs] == ["cancelled"]


def test_start_up_touches_no_network(qtbot, tmp_path, monkeypatch):
    import socket

    attempts = []
    real_connect = socket.socket.connect

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    window = make_window(qtbot, tmp_path, [TIME_PLAN, "ok"])
    window.load_models_in_background()
    qtbot.waitUntil(lambda: window.models_ready, timeout=10000)
    assert "replay" in window.models_label.text()
    assert attempts == []


def test_react_mode_from_the_selector_shows_thoughts_and_steps(qtbot, tmp_path):
    act = "Thought: I need the time in Tokyo.\nAction: get_current_time\nAction Input: Asia/Tokyo\n"
    final = "Thought: The tool told me.\nFinal Answer: It is evening in Tokyo."
    window = make_window(qtbot, tmp_path, [act, final])
    index = window.mode_box.findData("react")
    assert window.mode_box.model().item(index).isEnabled()
    window.mode_box.setCurrentIndex(index)
    run_id, status, answer = run_and_wait(qtbot, window, "What time is it in Tokyo?")
    assert status == "ok" and "evening" in answer
    kinds = [n.kind for n in window.live_model.tree.walk()]
    assert "thought" in kinds and "step" in kinds and "evidence" in kinds
    assert window.runtime.store.get(run_id).agent == "react"


def test_corrupt_settings_and_history_are_set_aside_and_reported(qtbot, smart_agent_home):
    from app.paths import Paths
    from app.runtime import Runtime
    from app.settings import Settings

    paths = Paths.from_env()
    paths.ensure()
    paths.settings_file.write_text("{ not json", encoding="utf-8")
    paths.history_db.write_bytes(b"this is not a database" * 100)
    window = MainWindow(Runtime(Settings.load(paths)))
    qtbot.addWidget(window)
    window.show()
    warnings = " | ".join(window.runtime.warnings)
    assert "settings file" in warnings and "history database" in warnings
    assert window.statusBar().currentMessage() in window.runtime.warnings
    assert window.history.stack.currentWidget() is window.history.empty  # a fresh history
    assert any(p.name.startswith("settings.json.corrupt-") for p in paths.config.iterdir())
    assert any(p.name.startswith("history.sqlite3.corrupt-") for p in paths.data.iterdir())
