"""The approval dialog: the person's say before a tool call that the gate holds.

It shows the tool, its risk and the reason it was stopped; above all, in red, the gate's
warning (no sandbox, network) and what the code itself gives away (``exec``, base64, the
network …); the call with code as code, line by line; the full arguments as editable JSON
(checked against the tool's schema before Allow is accepted); and the plan line and each
earlier result the call may rest on, named by the call that produced it. Text that came
from a model, a tool or a web page is shown through ``app.untrusted.visible``, so bidi
overrides cannot reorder the code on screen. Deny is the default button and Esc or closing
the window denies, so no stray Enter ever lets a write through; "always allow" is not
offered where the gate says so. ``decided`` fires exactly once.
"""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import ToolError
from app.tools.approval import ApprovalRequest, Decision
from app.untrusted import approval_warnings, json_line, readable_arguments, visible

CLOSED_NOTE = "the approval dialog was closed without allowing"


class ApprovalDialog(QDialog):
    decided = Signal(object)  # app.tools.approval.Decision, exactly once

    def __init__(self, request: ApprovalRequest, parent: QWidget | None = None):
        super().__init__(parent)
        self.request = request
        self._decision: Decision | None = None
        self.setWindowTitle(f"Approve {request.tool.name}?")
        self.setMinimumSize(560, 440)
        self._build()
        self._connect_signals()
        self.deny_button.setFocus()

    @property
    def decision(self) -> Decision | None:
        return self._decision

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        tool = self.request.tool
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        risk = "<b style='color:#c0392b'>writes</b>" if tool.risk == "write" else "reads"
        self.header = QLabel(f"<b>{html.escape(tool.name)}</b> ({risk}) wants to run.")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.reason_label = QLabel(visible(self.request.reason or tool.description))
        self.reason_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.warning_label = QLabel(
            "\n".join(f"⚠ {visible(w)}" for w in approval_warnings(self.request))
        )
        self.warning_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #c0392b; font-weight: bold")
        self.warning_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning_label.setVisible(bool(self.warning_label.text()))

        self.call_view = QPlainTextEdit()
        self.call_view.setFont(mono)
        self.call_view.setReadOnly(True)
        self.call_view.setTabChangesFocus(True)
        self.call_view.setPlainText(readable_arguments(self.request.arguments))
        self.call_view.setAccessibleName("The call, as it will run")

        self.arguments_edit = QPlainTextEdit()
        self.arguments_edit.setFont(mono)
        self.arguments_edit.setTabChangesFocus(True)  # Tab reaches the buttons, keyboard-only
        self.arguments_edit.setPlainText(
            json_line(json.dumps(self.request.arguments, indent=2, ensure_ascii=False))
        )
        self.arguments_edit.setAccessibleName("Arguments (JSON)")

        self.plan_view = QPlainTextEdit()
        self.plan_view.setFont(mono)
        self.plan_view.setReadOnly(True)
        self.plan_view.setPlainText(_context_text(self.request))

        self.tabs = QTabWidget()
        self.tabs.addTab(self.call_view, "&Call")
        self.tabs.addTab(self.arguments_edit, "Edit a&rguments (JSON)")
        count = len(self.request.evidence_used)
        self.tabs.addTab(self.plan_view, f"&Plan line and evidence ({count})")

        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.allow_button = QPushButton("&Allow once")
        self.always_button = QPushButton(f"Al&ways allow {tool.name}")
        self.always_button.setToolTip(
            "Runs this call and stops asking for this tool; revoke it in Settings → Approval."
        )
        self.always_button.setVisible(self.request.allow_always)
        self.always_button.setEnabled(self.request.allow_always)
        self.deny_button = QPushButton("&Deny")
        self.deny_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.allow_button, self.always_button, self.deny_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.tabs, self.call_view)
        QWidget.setTabOrder(self.call_view, self.arguments_edit)
        QWidget.setTabOrder(self.arguments_edit, self.allow_button)
        QWidget.setTabOrder(self.allow_button, self.always_button)
        QWidget.setTabOrder(self.always_button, self.deny_button)

    def _connect_signals(self) -> None:
        self.allow_button.clicked.connect(lambda: self._on_allow(always=False))
        self.always_button.clicked.connect(lambda: self._on_allow(always=True))
        self.deny_button.clicked.connect(self._on_deny)
        self.arguments_edit.textChanged.connect(self.error_label.hide)
        self.arguments_edit.textChanged.connect(self._on_arguments_edited)

    def _on_arguments_edited(self) -> None:
        """Keep the Call tab showing what Allow would run, while the edit is valid JSON."""
        try:
            arguments = json.loads(self.arguments_edit.toPlainText())
        except json.JSONDecodeError:
            return
        if isinstance(arguments, dict):
            self.call_view.setPlainText(readable_arguments(arguments))

    # -- outcomes -------------------------------------------------------------------------

    def edited_arguments(self) -> dict[str, Any]:
        """The arguments as edited, parsed and checked; ToolError says what is wrong."""
        text = self.arguments_edit.toPlainText()
        try:
            arguments = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ToolError(
                f"the arguments are not valid JSON (line {exc.lineno}, column {exc.colno}): "
                f"{exc.msg}"
            ) from None
        return self.request.tool.validate(arguments)

    def _on_allow(self, always: bool) -> None:
        try:
            arguments = self.edited_arguments()
        except ToolError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.tabs.setCurrentWidget(self.arguments_edit)
            self.arguments_edit.setFocus()
            return
        self._finish(Decision(True, arguments, always=always), QDialog.DialogCode.Accepted)

    def _on_deny(self) -> None:
        self._finish(Decision(False, self.request.arguments), QDialog.DialogCode.Rejected)

    def reject(self) -> None:
        """Esc, the window's close button, or the owner closing it: a denial."""
        self._finish(
            Decision(False, self.request.arguments, note=CLOSED_NOTE),
            QDialog.DialogCode.Rejected,
        )

    def _finish(self, decision: Decision, code: QDialog.DialogCode) -> None:
        if self._decision is None:
            self._decision = decision
            self.decided.emit(decision)
        super().done(code)


def _context_text(request: ApprovalRequest) -> str:
    parts = [f"Step {request.step_id}", visible(request.plan_line or "(no plan line)"), ""]
    if not request.evidence_used:
        parts.append("No evidence from earlier steps went into this call.")
    else:
        parts += ["The call may rest on these earlier results (untrusted text):", ""]
    for name, text in request.evidence_used.items():
        parts += [f"{visible(name)}:", visible(text), ""]
    return "\n".join(parts).rstrip() + "\n"
