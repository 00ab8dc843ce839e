"""Approvals raised on the run's worker thread are answered in a dialog on the GUI thread."""

from __future__ import annotations

import json

from tests.gui.test_main_window import make_window

SAVE_PLAN = "Plan: Save a note.\n#E1 = save_file[note]\n"
ARGS = {"path": "note.txt", "content": "hello"}
CALL = json.dumps({"function": "save_file", "arguments": ARGS})


def wait_for_dialog(qtbot, window):
    qtbot.waitUntil(lambda: bool(window._approvals), timeout=10000)
    return window._approvals[0]


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
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        window.start_task("save another")
    assert blocker.args[1] == "ok" and not window._approvals
    assert (window.runtime.settings.workspace / "b.txt").exists()


def test_stop_while_the_dialog_is_open_denies_and_closes_it(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [SAVE_PLAN, CALL, "x"])
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        window.start_task("save a note")
        dialog = wait_for_dialog(qtbot, window)
        window.stop()
    assert blocker.args[1] == "cancelled"
    qtbot.waitUntil(lambda: not window.is_running())
    assert not dialog.isVisible() and not window._approvals
    assert not any(window.runtime.settings.workspace.iterdir())
