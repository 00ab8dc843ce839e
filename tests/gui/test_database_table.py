"""Settings → Databases lists the built-in sample "films" (issue 15: the tab looked empty)."""

from __future__ import annotations

import pytest

from app.tools.sql import SAMPLE_NAME
from ui.database_table import DatabaseTable

pytestmark = pytest.mark.gui


def test_the_sample_is_listed_read_only_and_never_saved(qtbot):
    table = DatabaseTable({})
    qtbot.addWidget(table)
    assert table.table.rowCount() == 1 and table.is_sample(0)
    assert table.table.item(0, 0).text() == SAMPLE_NAME
    assert "sample" in table.table.item(0, 1).text()
    assert not table.table.item(0, 0).flags() & table.table.item(0, 0).flags().ItemIsEditable
    table.table.setCurrentCell(0, 0)
    table.remove_selected()
    assert table.table.rowCount() == 1  # the sample cannot be removed
    assert table.value() == {}

    row = table.add_row("sales", "sqlite:///tmp/sales.db")
    assert row == 0 and table.is_sample(1)  # the sample stays last
    assert table.value() == {"sales": "sqlite:///tmp/sales.db"}


def test_a_connection_of_ones_own_called_films_replaces_the_sample(qtbot):
    table = DatabaseTable({SAMPLE_NAME: "sqlite:///tmp/my-films.db"})
    qtbot.addWidget(table)
    assert table.table.rowCount() == 1 and not table.is_sample(0)
    assert table.value() == {SAMPLE_NAME: "sqlite:///tmp/my-films.db"}
