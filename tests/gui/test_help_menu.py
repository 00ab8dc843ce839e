"""Help menu, crash-report offer and the Delete question of issue 15, on the real window."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QTextBrowser

from app.runtime import setup_logging
from tests.gui.test_main_window import TIME_PLAN, make_window, run_and_wait
from ui.help_menu import offer_crash_reports

pytestmark = pytest.mark.gui


def test_help_menu_offers_readme_shortcuts_logs_and_a_problem_report(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [])
    root = logging.getLogger()
    earlier = [h for h in root.handlers if getattr(h, "_smart_agent", False)]
    for handler in earlier:  # an earlier test's log folder: this window's must get the line
        root.removeHandler(handler)
    setup_logging(window.runtime.paths)
    logging.getLogger("smart_agent.test").info("a line the report should carry")
    ours = [h for h in root.handlers if getattr(h, "_smart_agent", False)]
    titles = [a.text() for a in window.menuBar().actions()[-1].menu().actions()]
    for wanted in ("&README and usage", "&Keyboard shortcuts", "Open &logs folder"):
        assert wanted in titles
    assert "Report a &problem…" in titles and "&About Smart Agent" in titles

    readme = window.help.show_readme()
    assert "README" in readme.windowTitle()
    assert "Smart Agent" in readme.findChild(QTextBrowser).toPlainText()
    readme.close()

    shortcuts = dict((what, keys) for keys, what in window.help.shortcuts())
    assert "Esc" in shortcuts["Stop"] and "Ctrl+Return" in shortcuts["Run task"]

    dialog = window.help.report_problem()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Smart Agent ") and "Python " in copied and "cores" in copied
    assert "a line the report should carry" in copied
    assert dialog.findChild(QPlainTextEdit, "problemReport").toPlainText() == copied
    dialog.close()
    for handler in ours:
        root.removeHandler(handler)
        handler.close()
    for handler in earlier:
        root.addHandler(handler)


def test_a_crash_left_by_the_last_session_is_offered_once(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, [])
    logs = window.runtime.paths.logs
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "fault-999999999.txt").write_text(
        "Fatal Python error: Segmentation fault\n\nThread 0x1 (most recent call first):\n"
        '  File "x.py", line 1 in <module>\n',
        encoding="utf-8",
    )
    notice = offer_crash_reports(window, logs)
    assert notice is not None and notice.isVisible()
    assert "crash report" in notice.text() and "crash-" in notice.text()
    assert {"Show report", "Open logs folder"} <= {b.text() for b in notice.buttons()}
    notice.close()
    assert offer_crash_reports(window, logs) is None  # turned into a report, offered once


def test_the_delete_question_names_the_run(qtbot, tmp_path, monkeypatch):
    window = make_window(qtbot, tmp_path, [TIME_PLAN, "It is evening."])
    run_and_wait(qtbot, window, "What time is it in Tokyo?")
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.No,
    )
    window.history._on_delete()
    assert asked and "What time is it in Tokyo?" in asked[0]
