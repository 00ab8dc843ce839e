"""Settings → Tools: servers from mcp.json with their state and tools; add, disable,
enable and remove apply at once; a broken server's line reaches the status bar."""

from __future__ import annotations

import json
import uuid

import pytest
from PySide6.QtWidgets import QMainWindow

from app.mcp.config import config_path, parse_server
from app.runtime import Runtime
from app.settings import Settings
from tests.mcp_servers.fixtures import garbage_server, kill_tagged, time_server, write_mcp_json
from ui.mcp_settings import TAB_TITLE, AddServerDialog, McpServersPage, start_in_background
from ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def tag():
    value = uuid.uuid4().hex
    yield value
    kill_tagged(value)


def cells(table, column):
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_the_tab_lists_configured_servers_without_starting_them(qtbot, tag):
    write_mcp_json({"time": time_server(tag), "off": {"command": "x", "disabled": True}})
    settings = Settings.load()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    page = dialog.mcp_page
    assert dialog.tabs.tabText(dialog.tabs.indexOf(page)) == TAB_TITLE
    assert cells(page.servers_table, 0) == ["time", "off"]
    assert cells(page.servers_table, 2) == ["not started", "disabled"]


def test_add_disable_enable_remove_apply_at_once(qtbot, tag):
    write_mcp_json({})
    rt = Runtime(Settings.load())
    try:
        page = McpServersPage(rt.settings, rt.mcp)
        qtbot.addWidget(page)
        server = parse_server("time", time_server(tag))
        page.apply([server])
        qtbot.waitUntil(lambda: cells(page.servers_table, 2) == ["ready"], timeout=30000)
        assert cells(page.tools_table, 0) == ["time__get_current_time", "time__convert_time"]
        assert cells(page.tools_table, 1) == ["read", "read"]
        assert cells(page.tools_table, 2) == ["allow", "allow"]
        assert "time__convert_time" in rt.tools
        saved = json.loads(config_path(rt.paths).read_text(encoding="utf-8"))
        assert saved["mcpServers"]["time"]["args"][-2:] == ["--local-timezone", "UTC"]

        page.servers_table.selectRow(0)
        page.toggle_button.click()  # disable: stopped, its tools gone
        assert cells(page.servers_table, 2) == ["disabled"]
        assert "time__convert_time" not in rt.tools
        assert page.toggle_button.text() == "&Enable"
        page.toggle_button.click()
        qtbot.waitUntil(lambda: "time__convert_time" in rt.tools, timeout=30000)
        page.remove_button.click()
        assert page.servers_table.rowCount() == 0 and "time__convert_time" not in rt.tools
        assert json.loads(config_path(rt.paths).read_text(encoding="utf-8")) == {"mcpServers": {}}
    finally:
        rt.close()


def test_the_add_dialog_takes_a_command_line_or_a_url(qtbot):
    dialog = AddServerDialog()
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("files")
    dialog.command_edit.setText("npx -y @modelcontextprotocol/server-filesystem '/my docs'")
    dialog.accept()
    assert dialog.server is not None
    assert dialog.server.args == ("-y", "@modelcontextprotocol/server-filesystem", "/my docs")
    dialog.name_edit.setText("web")
    dialog.command_edit.setText("http://127.0.0.1:8000/mcp")
    dialog.accept()
    assert dialog.server.url == "http://127.0.0.1:8000/mcp"
    dialog.name_edit.setText("bad name!")
    dialog.accept()
    assert "must be letters" in dialog.error_label.text()


def test_a_broken_server_gets_one_status_bar_line(qtbot, tag):
    write_mcp_json({"time": time_server(tag), "garbage": garbage_server(tag)})
    rt = Runtime(Settings.load())
    window = QMainWindow()
    qtbot.addWidget(window)
    try:
        start_in_background(rt, window)
        qtbot.waitUntil(lambda: "garbage" in window.statusBar().currentMessage(), timeout=30000)
        message = window.statusBar().currentMessage()
        assert message.startswith("MCP server garbage failed: did not answer within 2 s")
        assert "time__get_current_time" in rt.tools
    finally:
        rt.close()
