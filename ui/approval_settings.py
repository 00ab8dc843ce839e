"""Settings → Approval: policies per tool, trusted user tool files, and every change made.

Each table writes only what the person changed, so a value set by hand in the file (or by
``smart-agent approval``) survives an OK that did not touch it. The change list comes from
the history (``app.policy_changes``), newest first, with when and from where.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
)

from app.policy_changes import describe, recent
from app.settings import POLICIES, Settings
from app.tools.registry import Tool
from app.tools.user import tool_files

APPROVAL_NOTE = (
    "Reads are allowed and writes asked by default. “Always allow” in the approval dialog "
    "sets a tool to allow (for python: until the app quits); set it back to ask to revoke "
    "it. Code that asks for the network or would run without a sandbox is asked every time."
)
TRUSTED_NOTE = (
    "User tool files in the config folder's tools/ run inside Smart Agent with your rights, "
    "so only the ones you trust are loaded (from the next start); a new or changed file is "
    "not, until you tick it."
)
CHANGES_NOTE = "Changes to approvals and trusted tools, newest first:"
_STATUS = {"trusted": "trusted", "new": "new, not loaded", "changed": "changed, not loaded"}


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class ApprovalTable(QTableWidget):
    """Every known tool with its policy; only the rows the person changes are written."""

    def __init__(self, settings: Settings, tools: list[Tool]):
        super().__init__(0, 3)
        self.settings = settings
        self.setHorizontalHeaderLabels(["Tool", "Risk", "Policy"])
        self.verticalHeader().hide()
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        explicit = settings.get("approval")
        rows: list[tuple[str, str | None]] = [(t.name, t.risk) for t in tools]
        known = {name for name, _ in rows}
        rows += [(name, None) for name in sorted(explicit) if name not in known]
        self._rows: list[tuple[str, str | None, str, QComboBox]] = []
        for name, risk in rows:
            row = self.rowCount()
            self.insertRow(row)
            self.setItem(row, 0, _item(name))
            self.setItem(row, 1, _item(risk or "not loaded"))
            policy = settings.policy_for(name, risk) if risk else str(explicit[name])
            combo = QComboBox()
            combo.addItems(list(POLICIES))
            combo.setCurrentText(policy)
            combo.setAccessibleName(f"Policy for {name}")
            self.setCellWidget(row, 2, combo)
            self._rows.append((name, risk, policy, combo))

    def combo(self, tool: str) -> QComboBox:
        return next(combo for name, _, _, combo in self._rows if name == tool)

    def value(self) -> dict[str, str]:
        """The approval setting: the current one with the person's changes applied.

        A change back to the risk's default removes the entry, which is how an "always
        allow" is revoked and how a read tool regains "ask when it would write".
        """
        policies = self.settings.get("approval")
        for name, risk, initial, combo in self._rows:
            chosen = combo.currentText()
            if chosen == initial:
                continue
            if risk is not None and chosen == ("ask" if risk == "write" else "allow"):
                policies.pop(name, None)
            else:
                policies[name] = chosen
        return policies


class TrustedToolsTable(QTableWidget):
    """The user tool files with a Trust box each; ticking pins the file's SHA-256 as it is
    now, unticking forgets the pin. Untouched rows keep what the setting holds."""

    def __init__(self, settings: Settings):
        super().__init__(0, 4)
        self.settings = settings
        self.setHorizontalHeaderLabels(["Trust", "File", "Status", "SHA-256"])
        self.verticalHeader().hide()
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.horizontalHeader()
        for column, mode in enumerate(("ResizeToContents", "Stretch", "ResizeToContents")):
            header.setSectionResizeMode(column, getattr(QHeaderView.ResizeMode, mode))
        self._rows: list[tuple[str, str, bool, QCheckBox]] = []
        trusted = settings.get("tools.trusted")
        for file in tool_files(settings.paths.user_tools_dir, trusted):
            self._add(file.name, _STATUS[file.status], file.sha256, file.status == "trusted")

    def _add(self, name: str, status: str, digest: str, checked: bool) -> None:
        row = self.rowCount()
        self.insertRow(row)
        box = QCheckBox()
        box.setChecked(checked)
        box.setAccessibleName(f"Trust {name}")
        self.setCellWidget(row, 0, box)
        self.setItem(row, 1, _item(name))
        self.setItem(row, 2, _item(status))
        self.setItem(row, 3, _item(digest))
        self._rows.append((name, digest, checked, box))

    def box(self, name: str) -> QCheckBox:
        return next(box for file, _, _, box in self._rows if file == name)

    def value(self) -> dict[str, str]:
        trusted = self.settings.get("tools.trusted")
        for name, digest, initial, box in self._rows:
            if box.isChecked() == initial:
                continue
            if box.isChecked():
                trusted[name] = digest
            else:
                trusted.pop(name, None)
        return trusted


class PolicyChangesList(QListWidget):
    """The recorded changes, one line each (read-only)."""

    def __init__(self, settings: Settings):
        super().__init__()
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        lines = [describe(change) for change in recent(settings.paths)]
        self.addItems(lines or ["No changes recorded yet."])
