"""Remembered window state: size, position and splitters, in ``window.ini`` (config folder)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget


def restore_window(window: QWidget, state: QSettings, splitters: Iterable[str]) -> None:
    geometry = state.value("geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)  # type: ignore[arg-type]
    for name in splitters:
        value = state.value(name)
        if value is not None:
            getattr(window, name).restoreState(value)


def save_window(window: QWidget, state: QSettings, splitters: Iterable[str]) -> None:
    state.setValue("geometry", window.saveGeometry())
    for name in splitters:
        state.setValue(name, getattr(window, name).saveState())
    state.sync()
