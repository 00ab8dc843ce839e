"""The history sidebar: past conversations from the store, with search, reopen, delete and
export.

A run and its follow-ups form one conversation, listed once under its latest task; opening
it shows that latest run (whose follow-up box continues it), and delete and export take
the whole conversation. Search finds a conversation by any of its tasks or answers.

Each entry shows the person's rating of its latest run: good runs may be exported as
training data (``smart-agent export-training``), bad ones never are.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import SmartAgentError
from app.export import conversation_to_json, conversation_to_markdown
from app.run_view import tree_line
from app.store import RunRecord, Store
from ui.status_line import RUN_OUTCOMES, outcome_word

RunIdRole = Qt.ItemDataRole.UserRole + 1
RatingRole = Qt.ItemDataRole.UserRole + 2
RunsRole = Qt.ItemDataRole.UserRole + 3  # the ids of the conversation's runs, in order

# rating -> (marker in the list, what it means)
RATING_MARKS: dict[int, tuple[str, str]] = {
    1: ("👍", "Rated good: used for training"),
    -1: ("👎", "Rated bad: never used for training"),
}
RATING_MESSAGES: dict[int | None, str] = {
    1: "Run rated good: it may be used for training",
    -1: "Run rated bad: it will never be used for training",
    None: "Rating cleared",
}


# a run's status -> the colour of its icon; its shape and word tell it without the colour
RUN_COLOURS = {
    "ok": "#43a047",
    "partial": "#fb8c00",
    "failed": "#e53935",
    "cancelled": "#757575",
    "interrupted": "#6d4c41",
    "running": "#1e88e5",
}
ICON_SIZE = 16


def run_status_icon(status: str, _cache: dict[str, QIcon] = {}) -> QIcon:  # noqa: B006 - a cache
    """A shape per status (issue 15: grey dots of nearly one shade told nothing): a tick in
    a disc (ok), a half-filled ring (partial), a cross in a disc (failed), a square
    (cancelled), a triangle (interrupted), a ring (running)."""
    icon = _cache.get(status)
    if icon is not None:
        return icon
    pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(RUN_COLOURS.get(status, "#9e9e9e"))
    box = QRectF(2, 2, ICON_SIZE - 4, ICON_SIZE - 4)
    mark = QPen(QColor("white"), 2)
    painter.setPen(QPen(colour, 1.5))
    painter.setBrush(colour)
    if status in ("ok", "failed"):
        painter.drawEllipse(box)
        painter.setPen(mark)
        if status == "ok":
            painter.drawPolyline(QPolygonF([QPointF(5, 8.5), QPointF(7, 10.5), QPointF(11, 5.5)]))
        else:
            painter.drawLine(QPointF(5.5, 5.5), QPointF(10.5, 10.5))
            painter.drawLine(QPointF(10.5, 5.5), QPointF(5.5, 10.5))
    elif status == "partial":
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box)
        painter.setBrush(colour)
        painter.drawPie(box, 90 * 16, 180 * 16)  # the left half: part of it
    elif status == "cancelled":
        painter.drawRect(QRectF(3, 3, ICON_SIZE - 6, ICON_SIZE - 6))
    elif status == "interrupted":
        painter.drawPolygon(QPolygonF([QPointF(8, 2), QPointF(14, 14), QPointF(2, 14)]))
    else:  # running, or a status this version does not know
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box)
    painter.end()
    icon = _cache[status] = QIcon(pixmap)
    return icon


class HistoryPanel(QWidget):
    openRequested = Signal(str)  # run id
    deleted = Signal(str)  # run id
    message = Signal(str)  # a line for the status bar

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.search = QLineEdit(placeholderText="Search conversations (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("historyList")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.empty = QLabel("No runs yet.\nYour tasks and their answers will be listed here.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.list)
        self.open_button = QPushButton("&Open")
        self.delete_button = QPushButton("Delete")
        self.export_button = QToolButton()
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        self.export_markdown_action = export_menu.addAction("As Markdown…")
        self.export_json_action = export_menu.addAction("As JSON…")
        self.export_button.setMenu(export_menu)
        self.rate_good_action = QAction("Good run (use for training)", self)
        self.rate_bad_action = QAction("Bad run (never use for training)", self)
        self.clear_rating_action = QAction("Clear rating", self)
        for action in (self.rate_good_action, self.rate_bad_action):
            action.setCheckable(True)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.delete_button, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>History</b>"))
        layout.addWidget(self.search)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self.refresh)
        self.list.itemActivated.connect(self._on_activated)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.customContextMenuRequested.connect(self._on_context_menu)
        self.open_button.clicked.connect(self._on_open)
        self.delete_button.clicked.connect(self._on_delete)
        self.export_markdown_action.triggered.connect(lambda: self.export_selected("md"))
        self.export_json_action.triggered.connect(lambda: self.export_selected("json"))
        self.rate_good_action.triggered.connect(lambda: self._on_rate(1))
        self.rate_bad_action.triggered.connect(lambda: self._on_rate(-1))
        self.clear_rating_action.triggered.connect(lambda: self._on_rate(None))

    # -- contents ------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected_run_id()
        query = self.search.text().strip()
        try:
            conversations = self.store.conversations(search=query, limit=500)
        except SmartAgentError as exc:
            self.message.emit(str(exc))
            conversations = []
        self.list.clear()
        for runs in conversations:
            self.list.addItem(self._item(runs))
            if selected is not None and any(r.id == selected for r in runs):
                self.list.setCurrentRow(self.list.count() - 1)
        if conversations:
            self.stack.setCurrentWidget(self.list)
        else:
            self.empty.setText(
                f"No runs match “{query}”."
                if query
                else "No runs yet.\nYour tasks and their answers will be listed here."
            )
            self.stack.setCurrentWidget(self.empty)
        self._update_buttons()

    @staticmethod
    def _item(runs: list[RunRecord]) -> QListWidgetItem:
        """One conversation: its latest run's task, when and rating; every task on hover."""
        record = runs[-1]
        when = datetime.fromtimestamp(record.started_at).strftime("%Y-%m-%d %H:%M")
        word = outcome_word(record.status)
        meaning = RUN_OUTCOMES.get(record.status, ("", ""))[1]
        outcome = f"{word}: {tree_line(record.error, 200) if record.error else meaning}"
        about = f"{outcome}\n{record.agent} · {record.id}"
        tooltip = f"{record.task}\n{about}"
        if len(runs) > 1:
            when = f"{when}  · {len(runs)} turns"
            tasks = "\n".join(f"{n}. {tree_line(r.task, 80)}" for n, r in enumerate(runs, 1))
            tooltip = f"{tasks}\n{about}"
        when = f"{when}  · {word}"
        mark = RATING_MARKS.get(record.rating or 0)
        if mark is not None:
            when = f"{when}  {mark[0]}"
            tooltip = f"{tooltip}\n{mark[1]}"
        item = QListWidgetItem(
            run_status_icon(record.status), f"{tree_line(record.task, 60)}\n{when}"
        )
        item.setData(RunIdRole, record.id)
        item.setData(RatingRole, record.rating)
        item.setData(RunsRole, [r.id for r in runs])
        item.setToolTip(tooltip)
        return item

    def selected_run_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(RunIdRole))

    def select(self, run_id: str) -> None:
        """Make the conversation that holds ``run_id`` current."""
        for row in range(self.list.count()):
            if run_id in (self.list.item(row).data(RunsRole) or ()):
                self.list.setCurrentRow(row)
                return

    def _update_buttons(self) -> None:
        has = self.list.currentItem() is not None
        for button in (self.open_button, self.delete_button, self.export_button):
            button.setEnabled(has)

    # -- actions -------------------------------------------------------------------------

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.openRequested.emit(str(item.data(RunIdRole)))

    def _on_open(self) -> None:
        run_id = self.selected_run_id()
        if run_id:
            self.openRequested.emit(run_id)

    def _on_delete(self) -> None:
        run_id = self.selected_run_id()
        if not run_id:
            return
        turns = len(self.list.currentItem().data(RunsRole) or ())
        record = self.store.get(run_id)
        named = f"“{tree_line(record.task, 80)}”" if record else run_id  # which one, in its words
        question = (
            f"Delete the conversation {named} ({turns} runs) and their events from the history?"
            if turns > 1
            else f"Delete the run {named} and its events from the history?"
        )
        answer = QMessageBox.question(self, "Delete", question)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(run_id)

    def delete(self, run_id: str) -> None:
        """Delete the whole conversation that holds ``run_id``."""
        record = self.store.get(run_id)
        runs = self.store.conversation(record.conversation or record.id) if record else []
        if runs and self.store.delete_conversation(runs[0].conversation or runs[0].id):
            for run in runs:
                self.deleted.emit(run.id)
            self.message.emit("Run deleted" if len(runs) == 1 else "Conversation deleted")
        self.refresh()

    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        menu = self.context_menu(item)
        menu.exec(self.list.viewport().mapToGlobal(pos))
        menu.deleteLater()  # the rating actions belong to the panel and outlive it

    def context_menu(self, item: QListWidgetItem) -> QMenu:
        """The menu for one run (made current, as its actions act on the current run)."""
        self.list.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction("Open", self._on_open)
        menu.addAction("Export as Markdown…", lambda: self.export_selected("md"))
        menu.addAction("Export as JSON…", lambda: self.export_selected("json"))
        menu.addSeparator()
        rating = item.data(RatingRole)
        self.rate_good_action.setChecked(rating == 1)
        self.rate_bad_action.setChecked(rating == -1)
        self.clear_rating_action.setEnabled(rating is not None)
        menu.addActions([self.rate_good_action, self.rate_bad_action, self.clear_rating_action])
        menu.addSeparator()
        menu.addAction("Delete", self._on_delete)
        return menu

    def _on_rate(self, rating: int | None) -> None:
        run_id = self.selected_run_id()
        if run_id:
            self.rate(run_id, rating)

    def rate(self, run_id: str, rating: int | None) -> None:
        """Store the person's rating of a run (+1 good, -1 bad, None cleared) and show it."""
        if self.store.rate(run_id, rating):
            self.message.emit(RATING_MESSAGES[rating])
        else:
            self.message.emit(f"Run {run_id} is no longer in the history")
        self.refresh()

    def export_selected(self, fmt: str) -> None:
        run_id = self.selected_run_id()
        if not run_id:
            return
        suffix = ".md" if fmt == "md" else ".json"
        filter_ = "Markdown (*.md)" if fmt == "md" else "JSON (*.json)"
        turns = len(self.list.currentItem().data(RunsRole) or ())
        name = f"run-{run_id}" if turns < 2 else f"conversation-{run_id}"
        path, _ = QFileDialog.getSaveFileName(self, "Export", f"{name}{suffix}", filter_)
        if path:
            self.export(run_id, Path(path), fmt)

    def export(self, run_id: str, path: Path, fmt: str) -> None:
        """Write the conversation of ``run_id`` to ``path`` as Markdown (``md``) or JSON
        (``json``); a conversation of one run is written as that run."""
        record = self.store.get(run_id)
        if record is None:
            self.message.emit(f"Run {run_id} is no longer in the history")
            return
        runs = [
            (r, self.store.events(r.id))
            for r in self.store.conversation(record.conversation or record.id)
        ]
        text = conversation_to_markdown(runs) if fmt == "md" else conversation_to_json(runs)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.message.emit(f"Could not export to {path}: {exc.strerror or exc}")
            return
        self.message.emit(f"Exported to {path}")
