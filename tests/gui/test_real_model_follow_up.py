"""A two-turn conversation through the window's follow-up box on the real embedded model
with its shipped adapters (the real run worker): "save that to answer.txt" saves the first
answer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.errors import ModelError
from app.llm import embedded_model_path
from tests.helpers import runtime
from ui.main_window import MainWindow

# generous limits: a loaded 2-core machine takes minutes; an idle one about a minute
pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

FOLLOW_UP = "save that to answer.txt"


def test_follow_up_box_on_the_real_model(qtbot, fixed_clock):
    try:
        embedded_model_path()
    except ModelError as exc:
        pytest.fail(f"{exc}. Install everything with `make setup`.")
    window = MainWindow(runtime(approval={"save_file": "allow"}))
    qtbot.addWidget(window)
    window.show()
    window.load_models_in_background()
    qtbot.waitUntil(lambda: window.models_ready, timeout=120000)
    with qtbot.waitSignal(window.runFinished, timeout=600000) as blocker:
        assert window.start_task("What time is it in Tokyo?")
    first_id, status, answer = blocker.args
    assert status == "ok", answer
    qtbot.waitUntil(lambda: not window.is_running(), timeout=10000)
    box = window.answer_pane.follow_up_box
    qtbot.keyClicks(box, FOLLOW_UP)
    with qtbot.waitSignal(window.runFinished, timeout=600000) as blocker:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    second_id, status, result = blocker.args
    assert status == "ok", result
    qtbot.waitUntil(lambda: not window.is_running(), timeout=10000)
    assert window.runtime.store.get(second_id).parent == first_id
    saved = window.runtime.settings.workspace / "answer.txt"
    events = [e.to_dict() for e in window.runtime.store.events(second_id)]
    steps = [e for e in events if e["type"] in ("plan", "tool_call", "evidence")]
    assert saved.is_file(), steps
    assert saved.read_text(encoding="utf-8") == answer.strip(), steps
    assert window.history.list.count() == 1
