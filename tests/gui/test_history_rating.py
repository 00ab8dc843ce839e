"""Rating runs in the history sidebar: the context-menu actions, the marker, the store."""

from __future__ import annotations

from app.events import Answer, RunFinished, RunStarted
from app.store import Store
from ui.history_panel import HistoryPanel, RatingRole


def make_panel(qtbot, tmp_path) -> tuple[HistoryPanel, Store]:
    store = Store(tmp_path / "h.sqlite3")
    for run_id, task in (("r1", "first task"), ("r2", "second task")):
        list(
            store.record(
                [
                    RunStarted(run_id=run_id, t=0.0, task=task, agent="rewoo", models={}),
                    Answer(run_id=run_id, t=0.1, text="done"),
                    RunFinished(run_id=run_id, t=0.2, status="ok"),
                ]
            )
        )
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    return panel, store


def item_of(panel: HistoryPanel, run_id: str):
    panel.select(run_id)
    item = panel.list.currentItem()
    assert item is not None and panel.selected_run_id() == run_id
    return item


def test_rating_through_the_context_menu_is_stored_and_marked(qtbot, tmp_path):
    panel, store = make_panel(qtbot, tmp_path)
    item = item_of(panel, "r1")
    assert "👍" not in item.text() and "👎" not in item.text()

    with qtbot.waitSignal(panel.message) as said:
        panel.rate_good_action.trigger()
    assert "rated good" in said.args[0]
    assert store.get("r1").rating == 1
    item = item_of(panel, "r1")  # the list was rebuilt, the run still selected
    assert "👍" in item.text() and item.data(RatingRole) == 1
    assert "Rated good: used for training" in item.toolTip()
    assert "👍" not in item_of(panel, "r2").text()

    item_of(panel, "r1")
    panel.rate_bad_action.trigger()
    item = item_of(panel, "r1")
    assert store.get("r1").rating == -1 and "👎" in item.text() and "👍" not in item.text()
    assert "never used for training" in item.toolTip()

    panel.clear_rating_action.trigger()
    item = item_of(panel, "r1")
    assert store.get("r1").rating is None and item.data(RatingRole) is None
    assert "👎" not in item.text() and "Rated" not in item.toolTip()


def test_the_context_menu_offers_the_ratings_with_the_current_one_checked(qtbot, tmp_path):
    panel, store = make_panel(qtbot, tmp_path)
    store.rate("r2", -1)
    panel.refresh()
    unrated = item_of(panel, "r1")
    panel.select("r2")
    menu = panel.context_menu(unrated)
    assert panel.selected_run_id() == "r1"  # the menu acts on the run it was opened on
    assert not panel.rate_bad_action.isChecked() and not panel.clear_rating_action.isEnabled()
    menu = panel.context_menu(item_of(panel, "r2"))
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == [
        "Open",
        "Export as Markdown…",
        "Export as JSON…",
        "Good run (use for training)",
        "Bad run (never use for training)",
        "Clear rating",
        "Delete",
    ]
    assert panel.rate_bad_action.isChecked() and not panel.rate_good_action.isChecked()
    assert panel.clear_rating_action.isEnabled()
    actions[3].trigger()  # Good run, from the menu itself
    assert store.get("r2").rating == 1


def test_rating_a_run_deleted_meanwhile_says_so(qtbot, tmp_path):
    panel, store = make_panel(qtbot, tmp_path)
    with qtbot.waitSignal(panel.message) as said:
        panel.rate("gone", 1)
    assert "no longer in the history" in said.args[0]
