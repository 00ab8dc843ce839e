"""The status bar's texts: which models a run uses, and messages that fit beside them.

A temporary message longer than the space left of the permanent widgets (models, tok/s)
was drawn under them (issue 15); it is elided to that space, with the whole text as the
status bar's tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar, QWidget

MARGIN = 24


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
