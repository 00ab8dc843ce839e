"""Follow-ups in the window: the box under the answer continues the shown run, through the
real run worker; the history lists the conversation once, and reopens, exports and deletes
it whole."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from tests.helpers import replay_script, runtime
from ui.main_window import MainWindow

ASK_PLAN = "Plan: Ask who directed Jaws.\n#E1 = llm[Who directed Jaws?]\n"
SAVE_PLAN = "Plan: Save the earlier answer.\n#E1 = save_file[answer.txt with #P1]\n"
SAVE_CALL = json.dumps(
    {"function": "save_file", "arguments": {"path": "answer.txt", "content": "#P1"}}
)
SCRIPT = [ASK_PLAN, "Steven Spielberg", "Steven Spielberg directed Jaws.", SAVE_PLAN, SAVE_CALL]


def make_window(qtbot, tmp_path, answers):
    spec = replay_script(tmp_path, answers)
    rt = runtime(
        **{"models.planner": spec, "models.caller": spec, "approval": {"save_file": "allow"}}
    )
    window = MainWindow(rt)
    qtbot.addWidget(window)
    window.show()
    return window


def follow_up(qtbot, window, task):
    box = window.answer_pane.follow_up_box
    qtbot.keyClicks(box, task)
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.is_running(), timeout=15000)
    return blocker.args


def test_the_follow_up_box_continues_the_shown_run(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [*SCRIPT, "Saved it to answer.txt."])
    box = window.answer_pane.follow_up_box
    assert not box.isEnabled()  # nothing shown to follow up on yet
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        assert window.start_task("Who directed Jaws?")
    first_id, status, first_answer = blocker.args
    qtbot.waitUntil(lambda: not window.is_running(), timeout=15000)
    assert status == "ok" and box.isEnabled()

    second_id, status, _ = follow_up(qtbot, window, "save that to answer.txt")
    assert status == "ok"
    saved = (window.runtime.settings.workspace / "answer.txt").read_text()
    assert saved == first_answer.strip() == "Steven Spielberg directed Jaws."
    record = window.runtime.store.get(second_id)
    assert (record.parent, record.conversation) == (first_id, first_id)
    assert window.task_box.toPlainText() == "save that to answer.txt"
    shown = window.answer.toPlainText()  # the earlier turn above the new answer
    assert shown.index("Who directed Jaws?") < shown.index("Saved it to answer.txt.")
    assert window.history.list.count() == 1
    item = window.history.list.item(0)
    assert "2 turns" in item.text() and "save that to answer.txt" in item.text()


def test_the_history_reopens_exports_and_deletes_a_conversation(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [*SCRIPT, "Saved.", ASK_PLAN, "Jaws", "Other."])
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        window.start_task("Who directed Jaws?")
    first_id = blocker.args[0]
    qtbot.waitUntil(lambda: not window.is_running(), timeout=15000)
    second_id = follow_up(qtbot, window, "save that to answer.txt")[0]
    with qtbot.waitSignal(window.runFinished, timeout=15000):
        window.start_task("an unrelated task")
    qtbot.waitUntil(lambda: not window.is_running(), timeout=15000)
    assert window.history.list.count() == 2

    window.history.search.setText("Spielberg")  # found by its first turn's answer
    qtbot.waitUntil(lambda: window.history.list.count() == 1, timeout=30000)
    window.history.list.setCurrentRow(0)
    assert window.history.selected_run_id() == second_id
    window.open_run(second_id)
    shown = window.answer.toPlainText()
    assert "Who directed Jaws?" in shown and "Saved." in shown
    assert window.answer_pane.follow_up_box.isEnabled()

    md, js = tmp_path / "c.md", tmp_path / "c.json"
    window.history.export(second_id, md, "md")
    window.history.export(second_id, js, "json")
    text = md.read_text()
    assert text.startswith("# Conversation: Who directed Jaws?")
    assert text.index("## Who directed Jaws?") < text.index("## save that to answer.txt")
    document = json.loads(js.read_text())
    assert document["conversation"] == first_id
    assert [r["run"]["id"] for r in document["runs"]] == [first_id, second_id]

    window.history.delete(second_id)
    assert window.runtime.store.get(first_id) is None
    assert window.runtime.store.get(second_id) is None
    assert window.shown_model is window.live_model
    window.history.search.clear()
    qtbot.waitUntil(lambda: window.history.list.count() == 1, timeout=30000)
