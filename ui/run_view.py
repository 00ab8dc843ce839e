"""The run shown in the window: its plan tree with a detail pane beside it, and the answer
pane below (``ui.answer_pane``: the answer, the conversation's earlier turns, the follow-up
box).

Until the run has steps a placeholder stands where the tree goes (the window says what it
shows: a welcome, "planning…", models loading). The tree shows one ``PlanTreeModel`` at a
time, the live run's or a reopened one's; selecting a node shows it in full beside it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QWidget,
)

from app.run_view import Node
from ui.answer_pane import AnswerPane
from ui.plan_tree_model import NodeRole, PlanTreeModel

TOOL_WIDTH_SAMPLE = "get_current_time"  # the Tool column fits the built-in tools' names
TIME_WIDTH_SAMPLE = "59 min 59 s"  # the widest the Time column writes below an hour


class PlanTreeView(QTreeView):
    """The plan tree, cheap to update while a run streams into it: the Tool and Time
    columns have set widths (measuring them to their contents read every row on every
    change), and a node that gets a child opens by itself instead of the whole tree
    being laid out again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        metrics = self.fontMetrics()
        header.resizeSection(1, metrics.horizontalAdvance(TOOL_WIDTH_SAMPLE) + 24)
        header.resizeSection(2, metrics.horizontalAdvance(TIME_WIDTH_SAMPLE) + 24)

    def rowsInserted(
        self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int
    ) -> None:
        super().rowsInserted(parent, start, end)
        if parent.isValid():  # a call under its step, evidence under its call
            self.expand(parent)


class RunView(QSplitter):
    def __init__(self, model: PlanTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.model = model  # the model the tree shows
        self.tree = PlanTreeView()
        self.tree.setObjectName("planTree")
        self.tree.setModel(model)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("detailPane")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Select a step, call or evidence to see it in full.")
        self.tree_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tree_splitter.addWidget(self.tree)
        self.tree_splitter.addWidget(self.detail)
        self.tree_splitter.setStretchFactor(0, 3)
        self.tree_splitter.setStretchFactor(1, 2)
        self.placeholder = QLabel()
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMargin(24)
        self.tree_stack = QStackedWidget()
        self.tree_stack.addWidget(self.placeholder)
        self.tree_stack.addWidget(self.tree_splitter)
        self.answer_pane = AnswerPane()
        self.addWidget(self.tree_stack)
        self.addWidget(self.answer_pane)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)

    def show_model(self, model: PlanTreeModel) -> None:
        """Show another run's tree (the detail pane follows its selection)."""
        if self.model is model:
            return
        self.model = model
        self.tree.setModel(model)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.tree.expandAll()

    def show_placeholder(self, text: str) -> None:
        """The tree once the run has steps; until then ``text`` where it goes."""
        if self.model.tree.root.children:
            self.tree_stack.setCurrentWidget(self.tree_splitter)
            return
        self.placeholder.setText(text)
        self.tree_stack.setCurrentWidget(self.placeholder)

    def reveal(self) -> None:
        """A shown run's tree grew: the tree replaces the placeholder once it has nodes
        (new calls and evidence open themselves: ``PlanTreeView.rowsInserted``)."""
        if self.tree_stack.currentWidget() is self.placeholder and self.model.tree.walk():
            self.tree_stack.setCurrentWidget(self.tree_splitter)
            self.tree.expandAll()

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        node = current.data(NodeRole) if current.isValid() else None
        if isinstance(node, Node):
            header = f"[{node.status}] {node.kind} #{node.key}"
            self.detail.setPlainText(f"{header}\n\n{node.detail or node.title}")
        else:
            self.detail.clear()
