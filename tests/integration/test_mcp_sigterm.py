"""SIGTERM ends a headless command that started MCP servers, whatever it is doing: at once,
while a server is still starting (one that never answers and ignores SIGTERM), while a
tool call runs. Exit status 143 (128 + SIGTERM) and no server process left, checked through
every process that carries the test's tag. ``mcp serve`` while it serves:
test_mcp_lifecycle.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid

import pytest

from app.settings import Settings
from app.store import Store
from tests.helpers import replay_script
from tests.mcp_servers.fixtures import (
    Cli,
    free_port,
    kill_tagged,
    notes_server,
    slow_server,
    tagged_pids,
    time_server,
    wait_for,
    write_mcp_json,
)

pytestmark = pytest.mark.integration

SIGTERMED = 128 + signal.SIGTERM
# Bounds for a hang, not timings: the SDK gives a server that ignores SIGTERM about 5 s
# (stdin closed, 2 s, SIGTERM, 2 s, SIGKILL), slower on a loaded machine.
EXIT_BOUND = 60
GONE_BOUND = 10


@pytest.fixture
def tag():
    value = uuid.uuid4().hex
    yield value
    kill_tagged(value)


def test_sigterm_at_once_leaves_no_server(tmp_path, tag):
    """Before (or while) the servers start: the command ends, nothing it started lives on.
    So early, Python may not have installed the handler yet: then the signal's default
    ends it, before any server was started."""
    write_mcp_json({"time": time_server(tag), "notes": notes_server(tag, tmp_path / "state")})
    serve = Cli(["mcp", "serve"], tmp_path / "stderr")
    try:
        assert serve.terminate(EXIT_BOUND) in (SIGTERMED, -signal.SIGTERM)
        assert wait_for(lambda: not tagged_pids(tag), GONE_BOUND), tagged_pids(tag)
    finally:
        serve.close()


@pytest.mark.parametrize(
    "command", [["mcp", "serve"], ["mcp", "test", "slow"], ["tools"]], ids=" ".join
)
def test_sigterm_while_a_server_starts(tmp_path, tag, command):
    """The signal lands while the command waits for a server that never answers
    initialize: that server is ended too (it was left running, issue 16)."""
    state = tmp_path / "slow"
    write_mcp_json({"time": time_server(tag), "slow": slow_server(tag, state)})
    cli = Cli(command, tmp_path / "stderr")
    try:
        assert wait_for(lambda: (state / "started").exists(), EXIT_BOUND)
        assert cli.terminate(EXIT_BOUND) == SIGTERMED
        assert wait_for(lambda: not tagged_pids(tag), GONE_BOUND), tagged_pids(tag)
    finally:
        cli.close()


def test_sigterm_during_a_run_task_tool_call(tmp_path, tag):
    """A client's run_task is in an MCP call that would take a minute: SIGTERM stops the
    run (kept in the history as cancelled), then the servers, then the command."""
    state = tmp_path / "state"
    write_mcp_json({"notes": notes_server(tag, state)})
    call = '{"function": "notes__wait", "arguments": {"seconds": 60}}'
    spec = replay_script(tmp_path, ["Plan: Wait.\n#E1 = notes__wait[a minute]\n", call, "x"])
    settings = Settings.load()
    settings.update({"models.planner": spec, "models.caller": spec})
    serve = Cli(["mcp", "serve"], tmp_path / "stderr")
    try:
        serve.initialize()
        params = {"name": "run_task", "arguments": {"task": "wait a minute"}}
        serve.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": params})
        assert wait_for(lambda: (state / "waiting").exists(), EXIT_BOUND)
        assert serve.terminate(EXIT_BOUND) == SIGTERMED
        assert wait_for(lambda: not tagged_pids(tag), GONE_BOUND), tagged_pids(tag)
    finally:
        serve.close()
    store = Store(settings.paths.history_db)
    try:
        (run,) = store.runs()
        assert (run.task, run.status) == ("wait a minute", "cancelled")
    finally:
        store.close()


def test_sigterm_during_a_headless_run(tmp_path, tag):
    """``smart-agent run`` with a step in an MCP call: SIGTERM ends it and the server."""
    state = tmp_path / "state"
    write_mcp_json({"notes": notes_server(tag, state)})
    call = '{"function": "notes__wait", "arguments": {"seconds": 60}}'
    spec = replay_script(tmp_path, ["Plan: Wait.\n#E1 = notes__wait[a minute]\n", call, "x"])
    run = Cli(["run", "--planner", spec, "--caller", spec, "wait a minute"], tmp_path / "err")
    try:
        assert wait_for(lambda: (state / "waiting").exists(), EXIT_BOUND)
        assert run.terminate(EXIT_BOUND) == SIGTERMED
        assert wait_for(lambda: not tagged_pids(tag), GONE_BOUND), tagged_pids(tag)
    finally:
        run.close()


# A runtime whose close() is cut short by a signal's SystemExit while it waits: raised on
# the main thread by a handler, from the hub thread once every server's stop has begun.
INTERRUPTED_CLOSE = """
import os, signal, sys, time
from pathlib import Path
from app.mcp.client import McpServer
from app.runtime import Runtime
from app.settings import Settings

def leave(signum, frame):
    raise SystemExit(5)

stop = McpServer.stop
async def stop_after_a_signal(self):
    os.kill(os.getpid(), signal.SIGUSR1)
    await stop(self)

McpServer.stop = stop_after_a_signal
signal.signal(signal.SIGUSR1, leave)
rt = Runtime(Settings.load())
rt.mcp.start()
while not Path(sys.argv[1], "started").exists():
    time.sleep(0.05)
rt.close()
"""


def test_a_close_cut_short_by_a_signal_still_ends_every_server(tmp_path, tag):
    """SIGTERM (or Ctrl+C) raised into ``close()`` ends its wait, not the stopping: the
    process exits only once every server is gone, even one that never answered and
    ignores SIGTERM (it was left running, issue 16)."""
    state = tmp_path / "slow"
    write_mcp_json({"time": time_server(tag), "slow": slow_server(tag, state)})
    script = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_CLOSE, str(state)],
        env=os.environ.copy(),
        capture_output=True,
        timeout=EXIT_BOUND,
    )
    assert script.returncode == 5, script.stderr.decode()
    assert not tagged_pids(tag)  # no waiting: they ended before the process did


def test_sigterm_while_the_http_api_serves(tmp_path, tag):
    """``smart-agent serve`` listening, its MCP servers up: SIGTERM ends it and them."""
    write_mcp_json({"time": time_server(tag)})
    port = free_port()
    serve = Cli(["serve", "--port", str(port)], tmp_path / "stderr")

    def listening() -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    try:
        assert wait_for(listening, EXIT_BOUND)  # after its MCP servers have started
        assert tagged_pids(tag)
        status = serve.terminate(EXIT_BOUND)
        assert wait_for(lambda: not tagged_pids(tag), GONE_BOUND), tagged_pids(tag)
        assert "cannot listen" not in serve.stderr.read_text(encoding="utf-8")
        assert status == SIGTERMED
    finally:
        serve.close()
