"""A run's outcome in the window (issue 15): its own word in the status bar and the history,
an icon whose shape tells it without its colour, and the reason on hover."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from app.events import RUN_STATUSES, Answer, RunFinished, RunStarted
from app.store import Store
from tests.helpers import replay_script, runtime
from ui.history_panel import RUN_COLOURS, HistoryPanel, RunIdRole, run_status_icon
from ui.main_window import MainWindow
from ui.status_line import RUN_OUTCOMES, outcome_line

pytestmark = pytest.mark.gui

STATUSES = ("ok", "partial", "failed", "cancelled", "interrupted", "running")  # the list order
WHY = {"partial": "1 of 2 steps did not succeed: E1 web_search: error: offline"}
TWO_ZONES = (
    "Plan: Get the time on Mars.\n#E1 = get_current_time[Mars/Olympus_Mons]\n"
    "Plan: Get the time in Tokyo.\n#E2 = get_current_time[Asia/Tokyo]\n"
)


def grey(status: str) -> bytes:
    """The icon as a colour-blind eye (or a grey-scale screen) sees it."""
    image = run_status_icon(status).pixmap(16, 16).toImage()
    return bytes(image.convertToFormat(QImage.Format.Format_Grayscale8).constBits())


def test_every_status_of_the_core_has_a_word_a_meaning_and_a_colour():
    assert set(STATUSES) == set(RUN_STATUSES) == set(RUN_OUTCOMES) == set(RUN_COLOURS)
    assert all(word and meaning for word, meaning in RUN_OUTCOMES.values())


def test_every_status_has_its_own_shape_even_without_colour(qapp):
    shapes = {status: grey(status) for status in STATUSES}
    assert len(set(shapes.values())) == len(STATUSES)


def test_the_history_names_each_outcome_and_says_why_on_hover(qtbot, tmp_path):
    store = Store(tmp_path / "history.db")
    for n, status in enumerate(STATUSES):
        run = f"r{n}"
        events = [
            RunStarted(run_id=run, t=0.0, task=f"task {status}", agent="rewoo", models={}),
            Answer(run_id=run, t=0.5, text="an answer"),
        ]
        if status != "running":
            events.append(RunFinished(run_id=run, t=1.0, status=status, error=WHY.get(status)))
        list(store.record(events))
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    panel.refresh()
    items = {panel.list.item(row).data(RunIdRole): panel.list.item(row) for row in range(6)}
    words = ["Done", "Partly done", "Failed", "Stopped", "Interrupted", "Running"]
    for n, word in enumerate(words):
        item = items[f"r{n}"]
        assert item.text().endswith(f"· {word}")
        assert f"\n{word}: " in item.toolTip()
    assert "Partly done: 1 of 2 steps did not succeed: E1 web_search" in items["r1"].toolTip()
    assert "Done: every step succeeded" in items["r0"].toolTip()


def test_a_partial_run_says_so_in_the_status_bar_and_hands_on_its_answer(qtbot, tmp_path):
    spec = replay_script(tmp_path, [TWO_ZONES])
    long = "a-solver-with-a-name-long-enough-to-fill-the-status-bar-on-its-own.json"
    solver = replay_script(tmp_path, ["Tokyo: evening. Mars: unknown."], long)
    window = MainWindow(
        runtime(**{"models.planner": spec, "models.caller": spec, "models.solver": solver})
    )
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.runFinished, timeout=15000) as finished:
        assert window.start_task("Time on Mars and in Tokyo?")
    qtbot.waitUntil(lambda: not window.is_running(), timeout=15000)
    run_id, status, text = finished.args
    assert status == "partial" and text == "Tokyo: evening. Mars: unknown."
    bar = window.statusBar()
    assert bar.currentMessage().startswith("Partly done in ")
    models = window.models_label  # three roles' models: it gives way to the outcome
    assert models.text().startswith("Models: planner replay:") and long in models.text()
    assert models.toolTip() == models.text()
    assert models.width() <= bar.width() // 2
    item = window.history.list.currentItem()
    assert item.data(RunIdRole) == run_id and item.text().endswith("· Partly done")
    shown = window.answer_pane.view.toPlainText()  # above the answer, while it is read
    assert shown.startswith("Partly done: 1 of 2 steps did not succeed: E1 get_current_time")
    assert shown.rstrip().endswith("Tokyo: evening. Mars: unknown.")


def test_the_status_bar_line_for_each_outcome():
    assert outcome_line("ok", "2.0 s") == "Done in 2.0 s"
    assert outcome_line("partial", "3.1 s", "1 of 2 steps") == "Partly done in 3.1 s: 1 of 2 steps"
    assert outcome_line("failed", "1.0 s", "no step succeeded") == (
        "Failed in 1.0 s: no step succeeded"
    )
    assert outcome_line("cancelled", "0.4 s") == "Stopped in 0.4 s"
    assert outcome_line("someday", "1 s") == "Someday in 1 s"  # a newer version's status
