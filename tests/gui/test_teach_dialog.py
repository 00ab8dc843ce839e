"""File → Teach from my runs…: a tiny planner adapter trained for real on replayed good runs
(the embedded model, rank 4 on q/v, at most 3 steps), its progress, Stop, and the choice
between the new adapter and the current one; the missing [train] extra in one line.

An idle 2-core machine trains each tiny adapter in about 20 s (most of it loading the model
into torch); a busy one takes minutes, hence the generous waits."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.learn import preflight, teach
from app.learn.teach import TeachResult
from app.learn.train import Progress
from app.settings import Settings
from tests.helpers import runtime, time_runs
from ui.main_window import MainWindow
from ui.teach_dialog import TeachDialog

pytestmark = [pytest.mark.gui, pytest.mark.timeout(600)]

CITIES = ("Tokyo", "Paris", "Lima", "Oslo", "Cairo")
TINY = {"rank": 4, "alpha": 8.0, "targets": ("q_proj", "v_proj"), "batch_size": 4, "lr": 1e-3}
LONG_WAIT = 300_000  # ms: a busy 2-core machine; an idle one trains these in seconds


@pytest.fixture
def rt(tmp_path):
    # shipped adapters off: the same whether `make train` ran; short plans: quick scoring
    rt = runtime(**{"models.shipped_adapters": False, "planner.max_steps": 2})
    time_runs(rt, tmp_path, CITIES)
    yield rt
    rt.close()


@pytest.fixture
def tiny(monkeypatch):
    """Five examples in batches of 4: 2 steps an epoch; score 2 held-out tasks."""
    monkeypatch.setattr(teach, "TRAINING", {**TINY, "epochs": 1.0})
    monkeypatch.setattr(teach, "SCORE_LIMIT", 2)


def open_dialog(qtbot, rt) -> TeachDialog:
    dialog = TeachDialog(rt)
    qtbot.addWidget(dialog)
    seen: list[Progress] = []
    dialog.progressChanged.connect(seen.append)
    dialog.seen = seen  # type: ignore[attr-defined]
    dialog.show()
    qtbot.waitUntil(lambda: dialog.tally() is not None, timeout=LONG_WAIT)
    return dialog


def adapters(rt) -> list[str]:
    folder = rt.paths.data / "adapters"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_teach_the_planner_and_use_the_new_adapter(qtbot, rt, tiny):
    dialog = open_dialog(qtbot, rt)
    assert dialog.role == "planner" and dialog.good_only_box.isChecked()
    assert "5 planner examples from 5 runs" in dialog.count_label.text()
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()

    assert dialog.start()
    assert dialog.stop_button.isEnabled() and not dialog.start_button.isEnabled()
    assert not dialog.role_box.isEnabled()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=LONG_WAIT)
    assert not dialog.message_label.property("error"), dialog.message_label.text()

    assert [(p.step, p.total) for p in dialog.seen] == [(1, 2), (2, 2)]
    assert all(p.loss > 0 and p.tokens_per_s > 0 for p in dialog.seen)
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum()
    result = dialog.taught
    assert result is not None and not result.stopped and result.steps == 2
    assert result.adapter.parent == rt.paths.data / "adapters"
    assert result.adapter.name.startswith("planner-") and result.adapter.is_file()
    assert result.score_before is not None and result.score_after is not None
    assert result.scored_tasks == 2
    report = dialog.message_label.text()
    assert "Right tools on 2 held-out tasks: current" in report and "→ new" in report
    assert dialog.use_button.isVisible() and dialog.keep_button.isVisible()
    assert rt.settings.get("models.planner_adapter") == ""  # not used until accepted

    with qtbot.waitSignal(dialog.adapterAccepted) as accepted:
        dialog.use_button.click()
    assert accepted.args == ["planner", str(result.adapter)]
    assert rt.settings.get("models.planner_adapter") == str(result.adapter)
    saved = Settings.load(rt.paths).get("models.planner_adapter")
    assert saved == str(result.adapter)
    assert "now uses" in dialog.message_label.text() and not dialog.use_button.isVisible()
    assert dialog.start_button.isEnabled()


def test_stop_mid_run_stops_and_keeps_nothing(qtbot, rt, monkeypatch):
    monkeypatch.setattr(teach, "TRAINING", {**TINY, "epochs": 1.5})  # 3 steps
    dialog = open_dialog(qtbot, rt)
    dialog.start()
    qtbot.waitUntil(lambda: len(dialog.seen) >= 1, timeout=LONG_WAIT)
    dialog.stop_button.click()
    assert not dialog.stop_button.isEnabled()
    assert "Stopping" in dialog.progress_label.text()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=LONG_WAIT)

    result = dialog.taught
    assert result is not None and result.stopped and result.steps < result.total_steps == 3
    assert "Stopped at step" in dialog.message_label.text()
    assert not dialog.use_button.isVisible()
    assert adapters(rt) == []  # neither the partial adapter nor its checkpoint stays
    assert rt.settings.get("models.planner_adapter") == ""
    assert dialog.start_button.isEnabled()


def test_keep_the_current_one_deletes_the_new_adapter(qtbot, rt):
    dialog = open_dialog(qtbot, rt)
    folder = rt.paths.data / "adapters"
    folder.mkdir(parents=True)
    made = folder / "solver-1.gguf"
    for path in (made, made.with_suffix(".json")):
        path.write_bytes(b"GGUF")
    dialog._on_succeeded(  # as the teaching thread reports a finished solver adapter
        TeachResult("solver", made, 5, 2, 2, 2.5, 1.5, 30.0, stopped=False, previous=None)
    )
    assert "no held-out test for the solver" in dialog.message_label.text()
    assert dialog.keep_button.isVisible() and not dialog.start_button.isEnabled()
    dialog.keep_button.click()
    assert adapters(rt) == []
    assert rt.settings.get("models.solver_adapter") == ""
    assert "keeps the base model alone" in dialog.message_label.text()
    assert dialog.start_button.isEnabled() and not dialog.keep_button.isVisible()


def test_too_few_good_runs_disable_start(qtbot, rt):
    dialog = open_dialog(qtbot, rt)
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("caller"))  # fast path: none
    assert not dialog.start_button.isEnabled()
    assert "rate at least 5 good runs" in dialog.count_label.text()
    assert not dialog.start()


def test_a_missing_extra_says_how_to_install_it(qtbot, rt, monkeypatch):
    def missing() -> None:
        raise preflight.TrainError(f"torch, peft not installed; {preflight.INSTALL_HINT}")

    monkeypatch.setattr(preflight, "require_extra", missing)
    dialog = open_dialog(qtbot, rt)
    qtbot.waitUntil(dialog.extra_label.isVisible)
    assert "pip install -e '.[train]'" in dialog.extra_label.text()
    assert dialog.extra_label.text().count("\n") == 0
    assert not dialog.start_button.isEnabled()
    assert "5 planner examples" in dialog.count_label.text()  # the counts are still shown


def test_the_file_menu_opens_it(qtbot, rt, monkeypatch):
    window = MainWindow(rt)
    qtbot.addWidget(window)
    opened: list[TeachDialog] = []

    def exec_(dialog: TeachDialog) -> int:
        opened.append(dialog)
        qtbot.waitUntil(lambda: dialog.survey is None, timeout=LONG_WAIT)
        return 0

    monkeypatch.setattr(TeachDialog, "exec", exec_)
    assert window.teach_action.text() == "&Teach from my runs…"
    window.teach_action.trigger()
    assert len(opened) == 1 and opened[0].windowTitle() == "Teach from my runs"
    QApplication.processEvents()
