"""Settings → Databases: connections name → URL, passwords to the keyring, the sample.

The built-in sample "films" is listed too (issue 15: the tab looked empty although the
sample was there): a last, read-only row that is never saved; a connection of the
person's own called "films" replaces it, as it does for the sql_query tool.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.secrets import get_secret
from app.settings import db_password_secret
from app.tools.sql import SAMPLE_DB, SAMPLE_NAME, parse_db_option

SampleRole = Qt.ItemDataRole.UserRole + 1
SAMPLE_TEXT = "built-in sample (SQLite, read-only): directors and their films"


class Invalid(Exception):
    """A value the person entered is wrong; ``widget`` is where to fix it."""

    def __init__(self, widget: QWidget, message: str):
        super().__init__(message)
        self.widget = widget


class DatabaseTable(QWidget):
    """Connections name → URL, with a password column that feeds the keyring."""

    def __init__(self, databases: dict[str, str]):
        super().__init__()
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Name", "URL", "Password"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Add connection")
        self.remove_button = QPushButton("&Remove")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)
        self._original = dict(databases)
        for name, url in databases.items():
            self.add_row(name, url, original=name)
        if SAMPLE_NAME not in databases:
            self._add_sample_row()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _add_sample_row(self) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        grey = QBrush(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        for column, text in ((0, SAMPLE_NAME), (1, SAMPLE_TEXT)):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setData(SampleRole, True)
            item.setForeground(grey)
            item.setToolTip(f"{SAMPLE_DB}\nAdd a connection called {SAMPLE_NAME} to replace it.")
            self.table.setItem(row, column, item)
        password = QLineEdit()
        password.setEnabled(False)
        password.setPlaceholderText("none")
        self.table.setCellWidget(row, 2, password)

    def is_sample(self, row: int) -> bool:
        item = self.table.item(row, 0)
        return bool(item is not None and item.data(SampleRole))

    def add_row(self, name: str = "", url: str = "", original: str = "") -> int:
        row = self.table.rowCount()
        if row and self.is_sample(row - 1):  # the sample stays last
            row -= 1
        self.table.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(Qt.ItemDataRole.UserRole, original)
        self.table.setItem(row, 0, name_item)
        self.table.setItem(row, 1, QTableWidgetItem(url))
        password = QLineEdit()
        password.setEchoMode(QLineEdit.EchoMode.Password)
        stored = bool(original) and get_secret(db_password_secret(original).keyring) is not None
        password.setPlaceholderText("stored; type to replace" if stored else "none")
        self.table.setCellWidget(row, 2, password)
        self.table.setCurrentCell(row, 0)
        return row

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row >= 0 and not self.is_sample(row):
            self.table.removeRow(row)

    def password_edit(self, row: int) -> QLineEdit:
        widget = self.table.cellWidget(row, 2)
        assert isinstance(widget, QLineEdit)
        return widget

    def _rows(self) -> list[tuple[str, str, str, str]]:
        """(name, url, typed password, original name) of every non-empty row."""
        rows = []
        for row in range(self.table.rowCount()):
            if self.is_sample(row):
                continue
            name_item, url_item = self.table.item(row, 0), self.table.item(row, 1)
            name = name_item.text().strip() if name_item else ""
            url = url_item.text().strip() if url_item else ""
            original = name_item.data(Qt.ItemDataRole.UserRole) if name_item else ""
            password = self.password_edit(row).text()
            if name or url or password:
                rows.append((name, url, password, str(original or "")))
        return rows

    def value(self) -> dict[str, str]:
        """Name → URL; Invalid for a bad name, a bad URL, a duplicate or an inline password."""
        result: dict[str, str] = {}
        for name, url, _, _ in self._rows():
            try:
                _, parsed = parse_db_option(f"{name}={url}")
            except ValueError as exc:
                raise Invalid(self.table, f"database connection: {exc}") from None
            if name in result:
                raise Invalid(self.table, f"database connection '{name}' is listed twice")
            if parsed.password is not None:
                raise Invalid(
                    self.table,
                    f"database connection '{name}': put the password in the Password column "
                    "(it is kept in the keyring), not in the URL",
                )
            result[name] = url
        return result

    def secrets(self, databases: dict[str, str]) -> tuple[dict[str, str], set[str]]:
        """Passwords to store and to forget: typed ones, renamed rows, removed connections."""
        store: dict[str, str] = {}
        for name, _, password, original in self._rows():
            if password:
                store[db_password_secret(name).keyring] = password
            elif original and original != name:
                old = get_secret(db_password_secret(original).keyring)
                if old is not None:
                    store[db_password_secret(name).keyring] = old
        forget = {db_password_secret(n).keyring for n in self._original if n not in databases}
        return store, forget - set(store)
