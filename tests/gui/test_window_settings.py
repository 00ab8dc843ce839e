"""The window hears every settings change, whoever saved it, on the GUI thread."""

from __future__ import annotations

import threading

import pytest

from app.tools.approval import ApprovalGate
from tests.helpers import runtime
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def make_window(qtbot) -> MainWindow:
    window = MainWindow(runtime())
    qtbot.addWidget(window)
    return window


def test_always_allow_saved_on_a_tool_thread_reaches_the_window_on_the_gui_thread(qtbot):
    window = make_window(qtbot)
    threads: list[threading.Thread] = []
    window.settingsChanged.connect(lambda _changed: threads.append(threading.current_thread()))
    remember = threading.Thread(
        target=ApprovalGate(window.runtime.settings).remember, args=("save_file",)
    )
    with qtbot.waitSignal(window.settingsChanged, timeout=10000) as blocker:
        remember.start()
    remember.join()
    assert blocker.args == [frozenset({"approval"})]
    assert threads == [threading.main_thread()]


def test_the_mode_box_follows_a_mode_saved_elsewhere(qtbot):
    window = make_window(qtbot)
    window.model_box.setCurrentText("gguf:/models/chosen-for-this-run.gguf")
    with qtbot.waitSignal(window.settingsChanged, timeout=10000):
        window.runtime.settings.update({"agent": "react"})
    assert window.mode_box.currentData() == "react"
    assert window.model_box.currentText() == "gguf:/models/chosen-for-this-run.gguf"  # kept


def test_a_new_default_planner_refills_the_planner_box(qtbot):
    window = make_window(qtbot)
    with qtbot.waitSignal(window.settingsChanged, timeout=10000) as blocker:
        window.runtime.settings.update({"models.planner": "gguf:/models/new.gguf"})
    assert blocker.args == [frozenset({"models.planner"})]
    assert window.model_box.currentText() == "gguf:/models/new.gguf"
    assert not window.planner_choice.default_button.isEnabled()


def test_a_closed_window_stops_listening(qtbot):
    rt = runtime()
    window = MainWindow(rt)
    gone = threading.Event()
    window.destroyed.connect(lambda *_: gone.set())
    window.deleteLater()
    qtbot.waitUntil(gone.is_set, timeout=10000)
    rt.settings.update({"theme": "dark"})  # would reach a deleted window's signal
    assert rt.settings.get("theme") == "dark"
