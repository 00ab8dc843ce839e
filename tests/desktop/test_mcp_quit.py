"""The real app on a real X server: its MCP servers start behind the window and none is
left once it quits, by the tray's Quit path or by SIGTERM, even one ignoring SIGTERM."""

from __future__ import annotations

import signal
import sys
import uuid

import pytest

from tests.desktop.conftest import Desktop, wait_for
from tests.mcp_servers.fixtures import (
    kill_tagged,
    notes_server,
    tagged_pids,
    time_server,
    write_mcp_json,
)

pytestmark = pytest.mark.desktop

STUBBORN = (
    "import pathlib, signal, sys\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "from tests.mcp_servers.notes import build\n"
    "build(pathlib.Path(sys.argv[1])).run()\n"
)


def test_no_mcp_server_is_left_after_the_app_quits_on_sigterm(desktop: Desktop, tmp_path):
    tag = uuid.uuid4().hex
    write_mcp_json(
        {
            "time": time_server(tag),
            "stubborn": {
                "command": sys.executable,
                "args": ["-c", STUBBORN, str(tmp_path / "state")],
                "env": notes_server(tag, tmp_path)["env"],
            },
        }
    )
    try:
        app = desktop.launch()
        desktop.main_window(app)
        wait_for(lambda: len(tagged_pids(tag)) >= 2, 60, "both MCP servers running")
        desktop.wait_log("MCP server stubborn ready", app=app)
        app.process.send_signal(signal.SIGTERM)
        assert app.process.wait(30) == 0, app.err()
        wait_for(lambda: not tagged_pids(tag), 10, "no MCP server process left")
    finally:
        kill_tagged(tag)
