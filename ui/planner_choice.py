"""The window's planner box: the planner of the next run, and "Make default" beside it.

What is typed or picked here is a choice for the runs started from the window; it became
the saved default silently before (issue 15). "Make default" saves it, and says so; the
button is off while the box already shows the default.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QPushButton, QVBoxLayout, QWidget

from app.errors import SmartAgentError
from app.settings import Settings

log = logging.getLogger(__name__)


class PlannerChoice(QWidget):
    madeDefault = Signal(str)  # the spec now saved as models.planner
    failed = Signal(str)  # why it could not be saved

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.box = QComboBox()
        self.box.setEditable(True)
        self.box.setMinimumContentsLength(18)
        self.box.setToolTip(
            "Planner for the runs you start here (default = the embedded model); "
            "Make default keeps it for every run"
        )
        self.default_button = QPushButton("Make default")
        self.default_button.setToolTip("Save this planner as the default (Settings → Models)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.default_button)
        self.box.currentTextChanged.connect(self._update)
        self.default_button.clicked.connect(self.make_default)

    def fill(self, specs: list[str]) -> None:
        """Offer ``specs`` (and the default), showing the saved default."""
        saved = str(self.settings.get("models.planner"))
        self.box.clear()
        for spec in dict.fromkeys(["default", saved, *specs]):
            self.box.addItem(spec)
        self.box.setCurrentText(saved)
        self._update()

    def spec(self) -> str | None:
        return self.box.currentText().strip() or None

    def make_default(self) -> None:
        spec = self.spec()
        if not spec:
            return
        try:
            self.settings.update({"models.planner": spec})
        except (SmartAgentError, OSError) as exc:
            self.failed.emit(f"Could not make {spec} the default planner: {exc}")
            return
        log.info("default planner set to %s", spec)
        self._update()
        self.madeDefault.emit(spec)

    def _update(self) -> None:
        spec = self.spec()
        self.default_button.setEnabled(bool(spec) and spec != self.settings.get("models.planner"))
