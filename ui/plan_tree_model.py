"""``QAbstractItemModel`` adapter over the core's run view, ``app.run_view.RunTree``.

The tree holds the data; this class only translates its insertions and changes into the
``beginInsertRows``/``endInsertRows``/``dataChanged`` calls views need. Events must be
applied on the GUI thread (the run worker delivers them there through a queued signal).
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from app.events import Event
from app.run_view import Node, RunTree

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Step", "Tool", "Time")
STATUS_COLOURS = {
    "pending": "#9e9e9e",
    "running": "#1e88e5",
    "waiting": "#fb8c00",
    "ok": "#43a047",
    "error": "#e53935",
    "denied": "#8e24aa",
    "cancelled": "#757575",
    "skipped": "#bdbdbd",
}
NodeRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2


def status_icon(status: str, _cache: dict[str, QIcon] = {}) -> QIcon:  # noqa: B006 - a cache
    """A filled circle in the status colour (hollow while pending)."""
    icon = _cache.get(status)
    if icon is None:
        pixmap = QPixmap(14, 14)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(STATUS_COLOURS.get(status, "#9e9e9e"))
        painter.setPen(colour)
        if status != "pending":
            painter.setBrush(colour)
        painter.drawEllipse(2, 2, 10, 10)
        painter.end()
        icon = _cache[status] = QIcon(pixmap)
    return icon


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


class PlanTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tree = RunTree()
        self.tree.listener = self

    def apply(self, event: Event) -> None:
        self.tree.apply(event)

    def clear(self) -> None:
        self.tree.reset()

    def tick(self) -> None:
        """Refresh the time column of running nodes (called by a GUI timer)."""
        for node in self.tree.running():
            index = self._index_of(node, 2)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    # -- listener (called by the tree) ----------------------------------------------------

    def inserting(self, parent: Node, row: int) -> None:
        self.beginInsertRows(self._index_of(parent), row, row)

    def inserted(self) -> None:
        self.endInsertRows()

    def resetting(self) -> None:
        self.beginResetModel()

    def reset_done(self) -> None:
        self.endResetModel()

    def changed(self, node: Node) -> None:
        left, right = self._index_of(node, 0), self._index_of(node, len(COLUMNS) - 1)
        self.dataChanged.emit(left, right)

    # -- QAbstractItemModel --------------------------------------------------------------

    def _index_of(self, node: Node, column: int = 0) -> QModelIndex:
        if node is self.tree.root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row(), column, node)

    def node(self, index: Index) -> Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, Node)
            return node
        return self.tree.root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        parent_node = self.node(parent)
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if row >= len(parent_node.children):
            return QModelIndex()
        return self.createIndex(row, column, parent_node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        if node.parent is None or node.parent is self.tree.root:
            return QModelIndex()
        return self._index_of(node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return node.title
            if column == 1:
                return node.tool
            return format_seconds(node.elapsed(time.time()))
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return status_icon(node.status)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return f"{node.status}: {node.title}"
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return node.tool or None  # whole, where the column's set width cuts it
        if role == NodeRole:
            return node
        if role == StatusRole:
            return node.status
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
