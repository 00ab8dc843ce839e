"""Settings → Tools: the MCP servers of mcp.json, their state, their tools, and the status
bar line of a server that broke.

Changes to the server list are saved to mcp.json and applied at once (a new or enabled
server starts, a removed or disabled one stops and its tools leave the registry). The
hub reports from its own thread; ``McpBridge`` turns that into queued Qt signals, so the
widgets are only touched on the GUI thread.
"""

from __future__ import annotations

import shlex
import threading
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.mcp.config import McpConfigError, ServerConfig, config_path, parse_server, save_servers
from app.settings import Settings

TAB_TITLE = "&Tools"
NOTE = (
    "MCP servers, in the mcp.json format Claude Desktop and Cursor use. Changes here are "
    "saved at once. A tool marked read-only by its server is allowed; any other is asked "
    "first (policies per tool on the Approval tab, or 'server__*' for a whole server)."
)


class McpBridge(QObject):
    """The MCP hub's reports as signals on the GUI thread."""

    status = Signal(object)  # app.mcp.client.ServerStatus
    problem = Signal(str)

    def watch(self, host: Any) -> None:
        host.hub.subscribe(self.status.emit)
        host.on_problem(self.problem.emit)


def start_in_background(runtime: Any, window: Any) -> McpBridge:
    """Start the MCP servers behind the window; each broken one says so in the status bar."""
    bridge = McpBridge(window)
    bridge.problem.connect(lambda line: window.statusBar().showMessage(line, 20000))

    def start() -> None:
        host = runtime.mcp  # reads mcp.json and the tools: not on the GUI thread
        bridge.watch(host)
        for line in host.problems:
            bridge.problem.emit(line)
        host.start()

    threading.Thread(target=start, name="mcp-start", daemon=True).start()
    return bridge


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class McpServersPage(QWidget):
    """Servers (name, on/off, state, command or URL) and the selected one's tools."""

    def __init__(self, settings: Settings, host: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.host = host
        from app.mcp.config import load_servers

        self.servers, problems = (
            (list(s.config for s in host.hub.servers.values()), [])
            if host is not None
            else load_servers(settings.paths)
        )
        self.servers_table = QTableWidget(0, 4)
        self.tools_table = QTableWidget(0, 3)
        self.add_button = QPushButton("&Add…")
        self.remove_button = QPushButton("&Remove")
        self.toggle_button = QPushButton("&Disable")
        self.error_label = QLabel("\n".join(problems))
        self.bridge = McpBridge(self)
        self._build()
        self._connect_signals()
        if host is not None:
            self.bridge.watch(host)
        self._fill_servers()

    def _build(self) -> None:
        note = QLabel(f"{NOTE}\n{config_path(self.settings.paths)}")
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #c0392b")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        for table, labels in (
            (self.servers_table, ["Server", "On", "State", "Command or URL"]),
            (self.tools_table, ["Tool", "Risk", "Policy"]),
        ):
            table.setHorizontalHeaderLabels(labels)
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
        self.servers_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.servers_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tools_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.toggle_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.servers_table, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(QLabel("Tools of the selected server:"))
        layout.addWidget(self.tools_table, 3)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.toggle_button.clicked.connect(self._on_toggle)
        self.servers_table.itemSelectionChanged.connect(self._on_selection)
        self.bridge.status.connect(self._on_status)

    # -- views ----------------------------------------------------------------------------

    def _state(self, config: ServerConfig) -> tuple[str, tuple[Any, ...]]:
        if config.disabled:
            return "disabled", ()
        if self.host is None or config.name not in self.host.hub.servers:
            return "not started", ()
        status = self.host.hub.servers[config.name].status()
        text = f"failed: {status.error}" if status.state == "failed" else status.state
        return text, status.tools

    def _fill_servers(self, keep: str | None = None) -> None:
        selected = keep or (config.name if (config := self.selected()) else None)
        self.servers_table.setRowCount(len(self.servers))
        for row, config in enumerate(self.servers):
            state, _ = self._state(config)
            cells = (config.name, "no" if config.disabled else "yes", state, config.describe())
            for column, text in enumerate(cells):
                self.servers_table.setItem(row, column, _item(text))
        names = [s.name for s in self.servers]
        if selected in names:
            self.servers_table.selectRow(names.index(selected))
        elif names:
            self.servers_table.selectRow(0)
        self._on_selection()

    def selected(self) -> ServerConfig | None:
        rows = self.servers_table.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        return self.servers[row] if 0 <= row < len(self.servers) else None

    def _on_selection(self) -> None:
        config = self.selected()
        self.remove_button.setEnabled(config is not None)
        self.toggle_button.setEnabled(config is not None)
        self.toggle_button.setText("&Enable" if config and config.disabled else "&Disable")
        from app.mcp.tools import risk_of, tool_name

        tools = self._state(config)[1] if config else ()
        self.tools_table.setRowCount(len(tools))
        for row, mcp_tool in enumerate(tools):
            assert config is not None
            name = tool_name(config.prefix, mcp_tool.name)
            risk = risk_of(mcp_tool)
            policy = self.settings.policy_for(name, risk)
            for column, text in enumerate((name, risk, policy)):
                self.tools_table.setItem(row, column, _item(text))

    def _on_status(self, status: Any) -> None:
        self._fill_servers()

    # -- changes --------------------------------------------------------------------------

    def apply(self, servers: list[ServerConfig]) -> None:
        """Save ``servers`` to mcp.json and start/stop what changed."""
        save_servers(self.settings.paths, servers)
        keep = self.selected()
        self.servers_table.clearSelection()
        self.servers = servers
        if self.host is not None:
            self.host.configure(servers)
        self._fill_servers(keep.name if keep else None)

    def _on_add(self) -> None:
        dialog = AddServerDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.server is None:
            return
        if dialog.server.name in {s.name for s in self.servers}:
            QMessageBox.warning(self, "MCP server", f"There is a server {dialog.server.name}.")
            return
        self.apply([*self.servers, dialog.server])

    def _on_remove(self) -> None:
        config = self.selected()
        if config is not None:
            self.apply([s for s in self.servers if s.name != config.name])

    def _on_toggle(self) -> None:
        config = self.selected()
        if config is not None:
            flipped = replace(config, disabled=not config.disabled)
            self.apply([flipped if s.name == config.name else s for s in self.servers])


class AddServerDialog(QDialog):
    """A name and either a command line (stdio) or a URL (streamable HTTP)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add MCP server")
        self.server: ServerConfig | None = None
        self.name_edit = QLineEdit()
        self.command_edit = QLineEdit()
        self.command_edit.setPlaceholderText("uvx mcp-server-time   or   http://127.0.0.1:8000/mcp")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c0392b")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout(self)
        form.addRow("&Name", self.name_edit)
        form.addRow("&Command or URL", self.command_edit)
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        text = self.command_edit.text().strip()
        try:
            if text.startswith(("http://", "https://")):
                raw: dict[str, Any] = {"url": text}
            else:
                words = shlex.split(text)
                raw = {"command": words[0] if words else "", "args": words[1:]}
            self.server = parse_server(self.name_edit.text().strip(), raw)
        except (McpConfigError, ValueError) as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()
