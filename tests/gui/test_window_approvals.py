"""Approvals raised on the run's worker thread are answered in a dialog on the GUI thread."""

from __future__ import annotations

import json
import threading

from app.events import ApprovalRequested
from tests.gui.test_main_window import make_window
from ui.approval_dialog import ApprovalDialog
from ui.run_worker import PendingApproval

SAVE_PLAN = "Plan: Save a note.\n#E1 = save_file[note]\n"
ARGS = {"path": "note.txt", "content": "hello"}
CALL = json.dumps({"function": "save_file", "arguments": ARGS})
TWO_SAVES = "Plan: Save a.\n#E1 = save_file[a]\nPlan: Save b.\n#E2 = save_file[b]\n"


def save_call(path: str) -> str:
    return json.dumps({"function": "save_file", "arguments": {"path": path, "content": path}})


def wait_for_dialog(qtbot, window):
    qtbot.waitUntil(lambda: bool(window._approvals), timeout=10000)
    return window._approvals[0]


def step_node(window, step_id):
    return next(n for n in window.live_model.tree.walk() if n.kind == "step" and n.key == step_id)


def test_allow_in_the_dialog_runs_the_write_tool(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [SAVE_PLAN, CALL, "Saved."])
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        window.start_task("save a note")
        dialog = wait_for_dialog(qtbot, window)
        assert "save_file" in dialog.windowTitle() or "save_file" in dialog.header.text()
        step = next(n for n in window.live_model.tree.walk() if n.kind == "step")
        assert step.status == "waiting"
        dialog.allow_button.click()
    assert blocker.args[1] == "ok"
    assert (window.runtime.settings.workspace / "note.txt").read_text() == "hello"
    evidence = [n for n in window.live_model.tree.walk() if n.kind == "evidence"]
    assert evidence[0].status == "ok"


def test_the_dialog_opens_only_once_its_step_shows_waiting(qtbot, tmp_path, monkeypatch):
    """The question overtakes its event every time here, not now and then: the event is
    held back until the tool's thread waits for the answer. The dialog must still open
    only after the GUI has applied the step's approval_requested event."""
    window = make_window(qtbot, tmp_path, [SAVE_PLAN, CALL, "Saved."])
    asked = threading.Event()
    wait, run, open_dialog = PendingApproval.wait, window.runtime.run, ApprovalDialog.open

    def wait_after_telling(pending, cancel):
        asked.set()
        return wait(pending, cancel)

    def events_held_back(agent, task, cancel=None, continue_from=None):
        for event in run(agent, task, cancel=cancel, continue_from=continue_from):
            if isinstance(event, ApprovalRequested):
                assert asked.wait(120), "the tool's thread never asked"
            yield event

    status_when_shown = []

    def open_noting_the_step(dialog):
        status_when_shown.append(step_node(window, dialog.request.step_id).status)
        open_dialog(dialog)

    monkeypatch.setattr(PendingApproval, "wait", wait_after_telling)
    monkeypatch.setattr(window.runtime, "run", events_held_back)
    monkeypatch.setattr(ApprovalDialog, "open", open_noting_the_step)
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        window.start_task("save a note")
        wait_for_dialog(qtbot, window).allow_button.click()
    assert status_when_shown == ["waiting"]
    assert blocker.args[1] == "ok"


def test_parallel_writes_ask_one_question_at_a_time(qtbot, tmp_path):
    answers = [TWO_SAVES, save_call("a.txt"), save_call("b.txt"), "Saved both."]
    window = make_window(qtbot, tmp_path, answers)
    asked = []
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        window.start_task("save two notes")
        for _ in range(2):
            dialog = wait_for_dialog(qtbot, window)
            assert len(window._approvals) == 1
            assert step_node(window, dialog.request.step_id).status == "waiting"
            asked.append(dialog.request.step_id)
            dialog.allow_button.click()
            qtbot.waitUntil(lambda d=dialog: d not in window._approvals)
    assert blocker.args[1] == "ok" and sorted(asked) == ["E1", "E2"]
    workspace = window.runtime.settings.workspace
    assert sorted(p.name for p in workspace.iterdir()) == ["a.txt", "b.txt"]


def test_edited_arguments_are_what_runs(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [SAVE_PLAN, CALL, "Saved."])
    with qtbot.waitSignal(window.runFinished, timeout=15000):
        window.start_task("save a note")
        dialog = wait_for_dialog(qtbot, window)
        dialog.arguments_edit.setPlainText(json.dumps({"path": "edited.txt", "content": "bye"}))
        dialog.allow_button.click()
    workspace = window.runtime.settings.workspace
    assert (workspace / "edited.txt").read_text() == "bye"
    assert not (workspace / "note.txt").exists()


def test_deny_marks_the_step_denied_and_writes_nothing(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [SAVE_PLAN, CALL, "Not saved."])
    with qtbot.waitSignal(window.runFinished, timeout=15000):
        window.start_task("save a note")
        wait_for_dialog(qtbot, window).deny_button.click()
    assert not any(window.runtime.settings.workspace.iterdir())
    statuses = {n.kind: n.status for n in window.live_model.tree.walk()}
    assert statuses["step"] == "denied" and statuses["evidence"] == "denied"


def test_always_allow_persists_and_skips_the_next_question(qtbot, tmp_path):
    window = make_window(
        qtbot,
        tmp_path,
        [
            SAVE_PLAN,
            CALL,
            "Saved.",
            SAVE_PLAN,
            json.dumps({"function": "save_file", "arguments": {**ARGS, "path": "b.txt"}}),
            "Again.",
        ],
    )
    with qtbot.waitSignal(window.runFinished, timeout=15000):
        window.start_task("save a note")
        wait_for_dialog(qtbot, window).always_button.click()
    settings = type(window.runtime.settings).load(window.runtime.paths)
    assert settings.get("approval") == {"save_file": "allow"}
    qtbot.waitUntil(lambda: not window.is_running())  # run_finished comes before the end
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        assert window.start_task("save another")
    assert blocker.args[1] == "ok" and not window._approvals
    assert (window.runtime.settings.workspace / "b.txt").exists()


def test_stop_while_the_dialog_is_open_denies_and_closes_it(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [SAVE_PLAN, CALL, "x"])
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        window.start_task("save a note")
        dialog = wait_for_dialog(qtbot, window)
        closed = []
        dialog.finished.connect(closed.append)  # then it is deleted: ask nothing of it after
        window.stop()
    assert blocker.args[1] == "cancelled"
    qtbot.waitUntil(lambda: not window.is_running())
    assert closed and not window._approvals
    assert not any(window.runtime.settings.workspace.iterdir())
