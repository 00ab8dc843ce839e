"""The status bar's outcome fits beside the models and tok/s (issue 15), and names the models."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QMainWindow

from ui.status_line import models_in_use, show_elided

pytestmark = pytest.mark.gui


def test_a_long_outcome_is_cut_to_the_room_left_and_whole_in_the_tooltip(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = window.statusBar()
    models = QLabel("Models: planner gguf:/models/qwen2.5-7b-instruct-q4_k_m.gguf")
    bar.addPermanentWidget(models)
    window.resize(700, 300)
    window.show()
    qtbot.waitExposed(window)
    long = "Failed in 12.3 s: " + "the planner did not write a usable plan " * 6
    show_elided(bar, long)
    shown = bar.currentMessage()
    assert shown.endswith("…") and len(shown) < len(long)
    room = bar.width() - models.width()
    assert bar.fontMetrics().horizontalAdvance(shown) < room
    assert bar.toolTip() == long
    show_elided(bar, "Done in 2 s")
    assert bar.currentMessage() == "Done in 2 s" and bar.toolTip() == ""


def test_models_in_use_names_one_model_once_and_several_per_role():
    assert models_in_use({"planner": "default", "caller": "default"}) == "Models: default"
    both = models_in_use({"planner": "gguf:big.gguf", "caller": "default", "solver": "default"})
    assert both == "Models: planner gguf:big.gguf · caller default · solver default"
