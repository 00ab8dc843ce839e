"""GUI tests run offscreen (no X server needed) and fail on Qt warnings (see pyproject).

As in the app (ui/collector.py), Python's cyclic garbage collector runs on the GUI thread
only: a worker thread must never be the one that frees a Qt object.
"""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def gc_on_the_gui_thread(qapp):
    from ui.collector import GuiThreadCollector

    collector = GuiThreadCollector()
    yield
    collector.stop()
    collector.deleteLater()
