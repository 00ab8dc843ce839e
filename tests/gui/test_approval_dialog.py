"""The approval dialog, driven from the keyboard: allow, edit, deny, always, Esc."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from app.settings import Settings
from app.tools.approval import ApprovalGate, ApprovalRequest, Decision
from app.tools.builtin import builtin_tools
from ui.approval_dialog import CLOSED_NOTE, ApprovalDialog

pytestmark = pytest.mark.gui

ARGS = {"path": "notes/today.md", "content": "# Today\n", "overwrite": False}


@pytest.fixture
def request_():
    return ApprovalRequest(
        step_id="2",
        tool=builtin_tools().get("save_file"),
        arguments=dict(ARGS),
        reason="save_file writes a file in the workspace",
        plan_line="Plan: save the summary. #E2 = save_file[#E1]",
        evidence_used={"#E1": "The summary of the day's meetings."},
    )


@pytest.fixture
def dialog(qtbot, request_):
    dialog = ApprovalDialog(request_)
    qtbot.addWidget(dialog)
    decisions: list[Decision] = []
    dialog.decided.connect(decisions.append)
    dialog.decisions = decisions  # type: ignore[attr-defined]
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def alt(qtbot, dialog, key: Qt.Key, settled=None) -> None:
    """Press Alt+key; a button's mnemonic clicks it after a short animation, so wait."""
    qtbot.keyClick(dialog, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(settled or (lambda: bool(dialog.decisions)))


def replace_arguments(qtbot, dialog, text: str) -> None:
    """Type ``text`` over the arguments, as a person would: focus, select all, type."""
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # the other tab
    assert dialog.tabs.currentWidget() is dialog.plan_view
    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # A&rguments tab
    assert dialog.tabs.currentWidget() is dialog.arguments_edit
    editor = dialog.arguments_edit
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    assert editor.toPlainText() == text


def test_shows_tool_risk_reason_arguments_plan_and_evidence(dialog, request_):
    assert "Approve" in dialog.windowTitle()
    assert "save_file" in dialog.header.text() and "writes" in dialog.header.text()
    assert dialog.reason_label.text() == request_.reason
    assert json.loads(dialog.arguments_edit.toPlainText()) == ARGS
    context = dialog.plan_view.toPlainText()
    assert request_.plan_line in context
    assert "#E1:" in context and "meetings" in context
    assert dialog.plan_view.isReadOnly()


def test_allow_once_with_mnemonic(qtbot, dialog):
    alt(qtbot, dialog, Qt.Key.Key_A)
    assert dialog.decisions == [Decision(True, ARGS, always=False)]
    assert dialog.decision == dialog.decisions[0]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()


def test_valid_edit_is_what_gets_allowed(qtbot, dialog):
    edited = {"path": "notes/renamed.md", "content": "changed by me"}
    replace_arguments(qtbot, dialog, json.dumps(edited))
    alt(qtbot, dialog, Qt.Key.Key_A)
    assert dialog.decisions == [Decision(True, edited, always=False)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"path": "a.md", "content": ', "not valid JSON"),
        ('{"path": "a.md"}', "'content' is a required property"),
        ('{"path": "a.md", "content": "x", "mode": 7}', "Additional properties"),
        ('["a.md", "x"]', "must be a JSON object"),
    ],
)
def test_invalid_edit_shows_the_error_and_decides_nothing(qtbot, dialog, text, message):
    replace_arguments(qtbot, dialog, text)
    alt(qtbot, dialog, Qt.Key.Key_A, settled=dialog.error_label.isVisible)
    assert dialog.decisions == []
    assert dialog.decision is None
    assert dialog.isVisible()
    assert dialog.error_label.isVisibleTo(dialog)
    assert message in dialog.error_label.text()
    # fixing the text clears the error, and then Allow goes through
    replace_arguments(qtbot, dialog, '{"path": "a.md", "content": "x"}')
    assert not dialog.error_label.isVisibleTo(dialog)
    alt(qtbot, dialog, Qt.Key.Key_A)
    assert dialog.decisions == [Decision(True, {"path": "a.md", "content": "x"})]


def test_deny_with_mnemonic_returns_the_original_arguments(qtbot, dialog):
    replace_arguments(qtbot, dialog, '{"path": "other.md", "content": "y"}')
    alt(qtbot, dialog, Qt.Key.Key_D)
    assert dialog.decisions == [Decision(False, ARGS)]
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_enter_denies_and_never_allows(qtbot, dialog):
    assert dialog.deny_button.isDefault()
    assert dialog.focusWidget() is dialog.deny_button
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert [d.allow for d in dialog.decisions] == [False]


def test_escape_denies(qtbot, dialog):
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.decisions == [Decision(False, ARGS, note=CLOSED_NOTE)]
    assert not dialog.isVisible()


def test_closing_the_window_denies_once(qtbot, dialog):
    dialog.close()
    dialog.reject()  # a second close (e.g. the run was cancelled) decides nothing new
    assert dialog.decisions == [Decision(False, ARGS, note=CLOSED_NOTE)]


def test_always_allow_is_remembered_by_the_gate(qtbot, request_):
    """The dialog only says always=True; the gate turns it into a saved policy."""
    settings = Settings()
    answers: list[Decision] = []

    def approver(request: ApprovalRequest) -> Decision:
        dialog = ApprovalDialog(request)
        qtbot.addWidget(dialog)
        dialog.decided.connect(answers.append)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: dialog.decision is not None)
        return dialog.decision

    decision = ApprovalGate(settings, approver).decide(request_)
    assert answers == [Decision(True, ARGS, always=True)]
    assert decision.allow and decision.always
    assert Settings.load().get("approval") == {"save_file": "allow"}


def test_tab_order_reaches_every_button(qtbot, dialog):
    """Keyboard-only people can get from the arguments to each button with Tab."""
    dialog.arguments_edit.setFocus()
    seen = set()
    for _ in range(12):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        seen.add(dialog.focusWidget())
    assert {dialog.allow_button, dialog.always_button, dialog.deny_button} <= seen


def python_request(**extra) -> ApprovalRequest:
    return ApprovalRequest(
        step_id="E2",
        tool=builtin_tools().get("python"),
        arguments={"code": CODE},
        reason="python writes",
        plan_line="Plan: Measure it.\n#E2 = python[print(len(#E1))]",
        evidence_used={"E1 (web_search: tokyo weather)": "Sunny.\x1b[8m import socket \u202eok"},
        **extra,
    )


CODE = "import base64, socket\nexec(base64.b64decode('cHJpbnQoMSk='))\nprint('\u202edone')"


def shown(qtbot, request: ApprovalRequest) -> ApprovalDialog:
    dialog = ApprovalDialog(request)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_code_is_shown_as_code_with_its_risks_and_sources(qtbot):
    dialog = shown(qtbot, python_request())
    assert dialog.tabs.currentWidget() is dialog.call_view
    lines = dialog.call_view.toPlainText().splitlines()
    assert lines[:3] == [
        "code:",
        "    import base64, socket",
        "    exec(base64.b64decode('cHJpbnQoMSk='))",
    ]
    assert "<U+202E>" in lines[3]  # a bidi override cannot reorder the code on screen
    warning = dialog.warning_label.text()
    assert dialog.warning_label.isVisibleTo(dialog)
    for reason in ("runs code built while it runs", "decodes hidden data", "uses the network"):
        assert reason in warning
    assert "hidden control or bidi characters" in warning
    context = dialog.plan_view.toPlainText()
    assert "E1 (web_search: tokyo weather):" in context
    assert "\x1b" not in context and "\u202e" not in context and "␛[8m" in context
    assert "No evidence" not in context
    assert json.loads(dialog.arguments_edit.toPlainText()) == {"code": CODE}


def test_editing_the_json_updates_the_call_shown(qtbot):
    dialog = shown(qtbot, python_request())
    dialog.arguments_edit.setPlainText(json.dumps({"code": "a = 1\nprint(a)"}))
    assert dialog.call_view.toPlainText() == "code:\n    a = 1\n    print(a)"


def test_unedited_allow_runs_the_original_code(qtbot):
    dialog = shown(qtbot, python_request())
    decisions: list[Decision] = []
    dialog.decided.connect(decisions.append)
    dialog.allow_button.click()
    assert decisions == [Decision(True, {"code": CODE})]


def test_gate_warning_is_prominent_and_always_is_not_offered(qtbot):
    request = python_request(warning="There is no sandbox for code here.", allow_always=False)
    dialog = shown(qtbot, request)
    assert dialog.warning_label.text().startswith("⚠ There is no sandbox for code here.")
    assert not dialog.always_button.isVisibleTo(dialog)
    assert not dialog.always_button.isEnabled()


def test_plain_call_has_no_warning(qtbot, request_):
    dialog = shown(qtbot, request_)
    assert not dialog.warning_label.isVisibleTo(dialog)
    assert dialog.always_button.isVisibleTo(dialog)
    assert dialog.call_view.toPlainText().splitlines()[:2] == ['path: "notes/today.md"', "content:"]
