"""Settings → Server starts and stops the API inside the app, on the window's runtime."""

from __future__ import annotations

import socket

import httpx
import pytest

from app.server.token import api_token
from tests.helpers import replay_script, runtime
from ui.server_settings import ServerControl, ServerPanel
from ui.settings_dialog import SettingsDialog


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def panel(qtbot, tmp_path):
    rt = runtime(**{"models.planner": replay_script(tmp_path, [])})
    control = ServerControl()
    widget = ServerPanel(rt.settings, rt, control=control)
    qtbot.addWidget(widget)
    yield widget
    control.stop()
    rt.close()


def test_start_shows_the_address_serves_with_the_token_and_stop_stops(panel):
    port = _free_port()
    panel.port.setValue(port)
    assert "stopped" in panel.status.text()
    panel.toggle.click()
    address = f"http://127.0.0.1:{port}"
    assert panel.status.text() == f"Serving on {address}" and not panel.port.isEnabled()
    headers = {"Authorization": f"Bearer {api_token()}"}
    models = httpx.get(f"{address}/v1/models", headers=headers).json()
    assert models["data"][0]["id"] == "smart-agent"
    assert httpx.get(f"{address}/v1/models").status_code == 401
    panel.toggle.click()
    assert "stopped" in panel.status.text() and panel.port.isEnabled()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{address}/v1/models", headers=headers)


def test_a_port_in_use_is_said_in_the_panel(panel):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        panel.port.setValue(taken.getsockname()[1])
        panel.toggle.click()
    assert "could not start" in panel.error.text() and not panel.control.running


def test_the_settings_dialog_has_the_server_tab(qtbot):
    dialog = SettingsDialog(runtime().settings)
    qtbot.addWidget(dialog)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "Se&rver" in titles and dialog.server_panel.runtime is None
