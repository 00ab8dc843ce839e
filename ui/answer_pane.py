"""The answer pane: the shown run's answer, its conversation's earlier turns above it, and
the follow-up box under it.

The answer is rendered as Markdown at most every ``RENDER_INTERVAL_MS`` (less often while a
long answer costs more to lay out), so a fast model cannot flood the GUI thread. A task
typed in the follow-up box continues the run shown above it: the window starts it with
that run as its parent, and its planner reads the conversation so far.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.run_view import RunTree
from ui.status_line import outcome_word

RENDER_INTERVAL_MS = 50


class AnswerPane(QWidget):
    followUp = Signal(str)  # a follow-up task for the run shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QTextBrowser()
        self.view.setObjectName("answerView")
        self.view.setOpenExternalLinks(True)
        self.view.setPlaceholderText("The answer appears here, written as it streams.")
        self.follow_up_box = QLineEdit()
        self.follow_up_box.setObjectName("followUpBox")
        self.follow_up_box.setPlaceholderText(
            "Follow up on this answer… (“save that to notes.md”, “and his other films?”)"
        )
        self.follow_up_button = QPushButton("Follow &up")
        self.follow_up_button.setToolTip("Run this task as a follow-up of the run shown above")
        self.timer = QTimer(self, interval=RENDER_INTERVAL_MS, singleShot=True)
        self._earlier = ""  # the conversation's earlier turns, as Markdown
        row = QHBoxLayout()
        row.addWidget(self.follow_up_box, 1)
        row.addWidget(self.follow_up_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self._connect_signals()
        self.set_follow_up(False)

    def _connect_signals(self) -> None:
        self.follow_up_box.returnPressed.connect(self._on_follow_up)
        self.follow_up_button.clicked.connect(self._on_follow_up)

    def set_earlier(self, turns: list[tuple[str, str]]) -> None:
        """The earlier turns (task, answer) of the shown run's conversation, oldest first."""
        blocks = [f"**You:** {task}\n\n{answer or '*(no answer)*'}" for task, answer in turns]
        self._earlier = "".join(f"{block}\n\n---\n\n" for block in blocks)

    def set_follow_up(self, enabled: bool) -> None:
        """Whether the shown run can be followed up now (it has an id, nothing is running)."""
        self.follow_up_box.setEnabled(enabled)
        self.follow_up_button.setEnabled(enabled)

    def _on_follow_up(self) -> None:
        task = self.follow_up_box.text().strip()
        if task and self.follow_up_box.isEnabled():
            self.follow_up_box.clear()
            self.followUp.emit(task)

    def schedule(self) -> None:
        if not self.timer.isActive():
            self.timer.start()

    def show_run(self, tree: RunTree) -> None:
        """Show ``tree``'s answer (or its plan while planning, or its error); an answer
        written without all its evidence says so above it (issue 15)."""
        if tree.answer and tree.error and tree.status in ("partial", "failed"):
            text = f"> **{outcome_word(tree.status)}:** {tree.error}\n\n{tree.answer}"
        elif tree.answer:
            text = tree.answer
        elif tree.plan_text and tree.status == "running":
            text = f"*Planning…*\n\n```\n{tree.plan_text}\n```"
        elif tree.error:
            text = f"**{outcome_word(tree.status)}:** {tree.error}"
        else:
            text = ""
        if self._earlier:
            text = f"{self._earlier}**You:** {tree.task}\n\n{text}"
        bar = self.view.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        start = time.perf_counter()
        self.view.setMarkdown(text)
        if at_end:
            bar.setValue(bar.maximum())
        # a long answer costs more to lay out: render it less often, so that the GUI
        # thread stays free at least three quarters of the time while the answer streams
        spent_ms = (time.perf_counter() - start) * 1000
        self.timer.setInterval(max(RENDER_INTERVAL_MS, int(spent_ms * 4)))
