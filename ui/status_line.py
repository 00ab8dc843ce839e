"""The status bar's texts: which models a run uses, how a run ended, and messages that fit
beside them.

A temporary message longer than the space left of the permanent widgets (models, tok/s)
was drawn under them (issue 15); it is elided to that space, with the whole text as the
status bar's tooltip. A run's outcome has one word everywhere the window shows it (status
bar, history, tray): a run whose steps failed is never called "Done".
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

MARGIN = 24

# a run's status -> (its word, what it means): the status bar, the history list, the tray
RUN_OUTCOMES: dict[str, tuple[str, str]] = {
    "ok": ("Done", "every step succeeded"),
    "partial": ("Partly done", "answered from part of the evidence: some steps gave nothing"),
    "failed": ("Failed", "no step succeeded, no answer was written, or an error ended it"),
    "cancelled": ("Stopped", "stopped before it finished"),
    "interrupted": ("Interrupted", "the app stopped before this run finished"),
    "running": ("Running", "still at work"),
}


def outcome_word(status: str) -> str:
    """``Done``, ``Partly done``, ``Failed``…; a status this version does not know as is."""
    return RUN_OUTCOMES.get(status, (status.capitalize() or "Unknown", ""))[0]


def outcome_line(status: str, took: str, error: str | None = None) -> str:
    """The status bar's line for a finished run: ``Partly done in 3.1 s: 1 of 2 steps…``."""
    line = f"{outcome_word(status)} in {took}"
    return f"{line}: {error}" if error else line


def models_in_use(models: Mapping[str, str]) -> str:
    """``Models: …`` for a run's roles: one name when they share it, else per role."""
    names = list(dict.fromkeys(models.values()))
    if len(names) <= 1:
        return f"Models: {names[0] if names else 'none'}"
    return "Models: " + " · ".join(f"{role} {name}" for role, name in models.items())


def show_elided(bar: QStatusBar, text: str, timeout_ms: int = 0) -> None:
    """``bar.showMessage(text)``, cut with … to the room left of its permanent widgets."""
    # up to the leftmost permanent widget (the sum of their widths missed the layout's gaps),
    # where it is now: a label whose text just changed (tok/s) has not been laid out yet
    layout = bar.layout()
    if layout is not None:
        layout.activate()
    lefts = [w.x() for w in bar.findChildren(QWidget) if w.isVisible() and w.parent() is bar]
    room = max(80, min(lefts, default=bar.width()) - MARGIN)
    shown = bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room)
    bar.setToolTip(text if shown != text else "")
    bar.showMessage(shown, timeout_ms)


class GivingLabel(QLabel):
    """A permanent status-bar label that gives way to the run's outcome: it asks for at
    most ``share`` of the bar's width, shows its text cut with … when it has less, and
    keeps the whole text in its tooltip and ``text()``. The models of three roles with
    their adapters run past 100 characters and left "Failed in 2.8 s: no…" no room."""

    def __init__(self, text: str = "", share: float = 0.45, parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.share = share
        self.setText(text)

    def text(self) -> str:  # type: ignore[override]
        return self._full

    def setText(self, text: str) -> None:  # type: ignore[override]
        self._full = text
        self.setToolTip(text)
        self.updateGeometry()
        self._fit()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        whole = self.fontMetrics().horizontalAdvance(self._full) + 8
        bar = self.parentWidget()
        most = int(bar.width() * self.share) if bar is not None else whole
        return QSize(min(whole, max(most, 60)), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(60, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)
