"""The quick prompt: a small always-on-top box that starts a task from anywhere.

Enter hands the text to ``submitted``; whoever listens starts the run and calls
``accept_task()`` (the box hides, the answer comes as a notification) or ``show_busy()``
(a run is already going: the box stays and says so). Esc closes it. It never keeps the
app alive on its own (``WA_QuitOnClose`` off), so closing it with the main window hidden
in the tray does not quit.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

TITLE = "Smart Agent — Quick prompt"


class QuickPrompt(QWidget):
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(TITLE)
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.CustomizeWindowHint
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowCloseButtonHint
        )
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Ask Smart Agent…  (Enter runs it, Esc closes)")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(520)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.edit)
        layout.addWidget(self.note)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.edit.returnPressed.connect(self._on_return)

    def open(self) -> None:
        """Show on the screen under the mouse, raised, with the keyboard in the text box."""
        first = not self.isVisible()
        self.show()
        if first:
            self._place()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self.edit.selectAll()

    def accept_task(self) -> None:
        self.edit.clear()
        self.note.hide()
        self.hide()

    def show_busy(self, task: str) -> None:
        self.show_note(
            f"A task is already running ({task}). Wait for it, or open the window to stop it."
        )

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()
        self.adjustSize()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def _on_return(self) -> None:
        task = self.edit.text().strip()
        if task:
            self.submitted.emit(task)

    def _place(self) -> None:
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        self.adjustSize()
        top_left = QPoint(
            area.x() + (area.width() - self.width()) // 2,
            area.y() + area.height() // 4,
        )
        self.move(top_left)
