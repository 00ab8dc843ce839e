"""One run through the window on the real embedded model (SmolLM2-135M via llama.cpp)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.errors import ModelError
from app.llm import embedded_model_path
from tests.helpers import runtime
from ui.main_window import MainWindow

# generous limits: a loaded 2-core machine takes minutes; an idle one about 20 s
pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]


def test_embedded_model_end_to_end_through_the_window(qtbot):
    try:
        embedded_model_path()
    except ModelError as exc:
        pytest.fail(f"{exc}. Install everything with `make setup`.")
    window = MainWindow(runtime())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # Ctrl+Enter is a window shortcut
    qtbot.waitUntil(window.isActiveWindow)
    window.load_models_in_background()
    assert "loading" in window.placeholder.text().lower()
    qtbot.waitUntil(lambda: window.models_ready, timeout=120000)
    assert "default" in window.models_label.text()
    qtbot.keyClicks(window.task_box, "What time is it in Tokyo?")
    with qtbot.waitSignal(window.runFinished, timeout=600000) as blocker:
        qtbot.keyClick(window.task_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    run_id, status, answer = blocker.args
    assert status == "ok", answer
    assert answer.strip()
    qtbot.waitUntil(lambda: not window.is_running(), timeout=10000)
    nodes = window.live_model.tree.walk()
    assert any(n.kind == "step" for n in nodes)
    assert any(n.kind == "evidence" for n in nodes)
    assert window.answer.toPlainText().strip()
    assert "tok/s" in window.speed_label.text()
    record = window.runtime.store.get(run_id)
    assert record is not None and record.status == "ok"
    assert window.history.list.count() == 1
