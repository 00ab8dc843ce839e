"""The status bar's texts: which models a run uses, how a run ended, and messages that fit
beside them.

A temporary message longer than the space left of the permanent widgets (models, tok/s)
was drawn under them (issue 15); it is elided to that space, with the whole text as the
status bar's tooltip. A run's outcome has one word everywhere the window shows it (status
bar, history, tray): a run whose steps failed is never called "Done".
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar, QWidget

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
    taken = sum(w.width() for w in bar.findChildren(QWidget) if w.isVisible() and w.parent() is bar)
    room = max(80, bar.width() - taken - MARGIN)
    shown = bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room)
    bar.setToolTip(text if shown != text else "")
    bar.showMessage(shown, timeout_ms)
