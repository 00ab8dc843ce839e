"""Settings → Models: pick a role's model from what is there, not by typing a spec.

Each role's editor lists the embedded default, the models installed in the models folder
and the catalog (size, licence and whether it fits this machine's memory and cores; the
ones not downloaded yet are shown but not selectable: File → Models… downloads them),
plus "Browse for a .gguf…" and "Other…" for any spec (openai:URL, exl2:DIR, a path).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ModelError
from app.models import hardware
from app.models.catalog import CatalogEntry, installed, load_catalog

MODEL_OPTIONS = ("models.planner", "models.caller", "models.solver")
OTHER = "Other (type a model spec)…"
SpecRole = Qt.ItemDataRole.UserRole + 2


@cache
def _machine() -> hardware.Machine:
    return hardware.detect()


def _catalog() -> list[CatalogEntry]:
    try:
        return load_catalog()
    except ModelError:
        return []


def _fit(fits: bool) -> str:
    return "fits this machine" if fits else "too big for this machine"


class ModelPicker(QWidget):
    """One role's model: a list of what exists, Browse, and a free spec as a last resort."""

    def __init__(
        self,
        value: str,
        models_dir: Path,
        parent: QWidget | None = None,
        *,
        machine: hardware.Machine | None = None,
    ) -> None:
        super().__init__(parent)
        self.models_dir = models_dir
        self.machine = machine or _machine()  # what "fits this machine" is judged against
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(40)
        self.other = QLineEdit()
        self.other.setPlaceholderText("default, gguf:PATH, exl2:DIR or openai:URL[#MODEL]")
        self.browse = QPushButton("&Browse for a .gguf…")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.other)
        self._fill()
        self.select(value)
        self.combo.currentIndexChanged.connect(self._on_changed)
        self.browse.clicked.connect(self._on_browse)

    def _add(self, text: str, spec: str | None, tip: str = "", enabled: bool = True) -> None:
        self.combo.addItem(text)
        index = self.combo.count() - 1
        self.combo.setItemData(index, spec, SpecRole)
        self.combo.setItemData(index, tip or text, Qt.ItemDataRole.ToolTipRole)
        if not enabled:
            self.combo.model().item(index).setEnabled(False)  # type: ignore[attr-defined]

    def _fill(self) -> None:
        machine = self.machine
        entries = _catalog()
        embedded = next((e for e in entries if e.format == "embedded"), None)
        size = f"{hardware.gb(embedded.size_bytes)}, {embedded.licence}, " if embedded else ""
        self._add(f"Embedded model (default) — {size}always installed", "default")
        on_disk = {item.path.name: item for item in installed(self.models_dir)}
        by_file = {e.filename: e for e in entries if e.format == "gguf"}
        for name, item in on_disk.items():
            if item.kind == "partial":
                continue
            entry = by_file.get(name)
            licence = f", {entry.licence}" if entry else ""
            fits = machine.runs_quickly(item.size_bytes) and item.size_bytes < machine.ram_total
            self._add(
                f"{name} — installed, {hardware.gb(item.size_bytes)}{licence}, {_fit(fits)}",
                item.spec,
                str(item.path),
            )
        for entry in entries:
            here = entry.filename in on_disk if entry.format == "gguf" else entry.name in on_disk
            if entry.format == "embedded" or here:
                continue
            self._add(
                f"{entry.title} — {hardware.gb(entry.size_bytes)}, {entry.licence}, "
                f"{_fit(entry.fits(machine))}; not downloaded",
                None,
                f"{entry.name}: download it in File → Models… to use it here. {entry.notes}",
                enabled=False,
            )
        self._add(OTHER, "")

    def select(self, spec: str) -> None:
        """Show ``spec``: its row if listed, else as a chosen file or in Other."""
        for index in range(self.combo.count()):
            if self.combo.itemData(index, SpecRole) == spec:
                self.combo.setCurrentIndex(index)
                self._on_changed()
                return
        if spec.startswith("gguf:") and Path(spec[5:]).is_file():
            self._add_chosen(Path(spec[5:]))
            return
        self.combo.setCurrentIndex(self.combo.count() - 1)
        self.other.setText(spec)
        self._on_changed()

    def _add_chosen(self, path: Path) -> None:
        self.combo.insertItem(self.combo.count() - 1, f"{path.name} — chosen file")
        index = self.combo.count() - 2
        self.combo.setItemData(index, f"gguf:{path}", SpecRole)
        self.combo.setItemData(index, str(path), Qt.ItemDataRole.ToolTipRole)
        self.combo.setCurrentIndex(index)
        self._on_changed()

    def _on_browse(self) -> None:
        start = str(self.models_dir if self.models_dir.is_dir() else Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose a GGUF model", start, "GGUF models (*.gguf);;All files (*)"
        )
        if name:
            self._add_chosen(Path(name))

    def _on_changed(self) -> None:
        self.other.setVisible(self.combo.currentText() == OTHER)

    def value(self) -> str:
        spec = self.combo.currentData(SpecRole)
        return self.other.text().strip() if not spec else str(spec)


def model_editor(value: str, models_dir: Path) -> tuple[QWidget, QWidget, Callable[[], str]]:
    """(widget, what to focus when wrong, value) for the settings dialog's form."""
    picker = ModelPicker(value, models_dir)
    return picker, picker.combo, picker.value
