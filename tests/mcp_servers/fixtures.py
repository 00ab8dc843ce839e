"""The MCP servers the tests start, as mcp.json entries, and how to find their processes.

Real servers this project did not write: ``mcp-server-time`` (PyPI, the ``dev`` extra) and
``@modelcontextprotocol/server-everything`` (npm, installed by ``make mcp-servers`` into
``.mcp-servers/``). Our own ``tests.mcp_servers.notes`` (the SDK's ``MCPServer``) serves
the cases a reference server cannot be made to show (a write tool, a slow call, its pid).
Every server gets ``SMART_AGENT_TEST_TAG`` in its environment, so a test can find each
process it left behind, whoever its parent is.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from app.mcp.config import config_path
from app.paths import Paths

ROOT = Path(__file__).resolve().parents[2]
NPM_SERVERS = ROOT / ".mcp-servers" / "node_modules" / "@modelcontextprotocol"
INSTALL_HINT = (
    "the npm MCP servers are not installed: run `make mcp-servers` "
    "(npm install --prefix .mcp-servers @modelcontextprotocol/server-everything)"
)
TAG = "SMART_AGENT_TEST_TAG"


def env(tag: str) -> dict[str, str]:
    return {TAG: tag, "PYTHONPATH": str(ROOT)}


def time_server(tag: str) -> dict[str, Any]:
    return {
        "command": sys.executable,
        "args": ["-m", "mcp_server_time", "--local-timezone", "UTC"],
        "env": env(tag),
    }


def everything_server(tag: str) -> dict[str, Any]:
    script = NPM_SERVERS / "server-everything" / "dist" / "index.js"
    if not script.exists():
        pytest.fail(INSTALL_HINT)
    return {"command": "node", "args": [str(script)], "env": env(tag)}


def notes_server(tag: str, state: Path, **extra: Any) -> dict[str, Any]:
    args = ["-m", "tests.mcp_servers.notes", str(state)]
    return {"command": sys.executable, "args": args, "env": env(tag), **extra}


def silent_server(tag: str) -> dict[str, Any]:
    """Starts, reads nothing, answers nothing."""
    code = "import time\nwhile True: time.sleep(1)"
    return {"command": sys.executable, "args": ["-c", code], "env": env(tag), "startTimeout": 2}


def slow_server(tag: str, state: Path, seconds: float = 600) -> dict[str, Any]:
    """Answers nothing for ``seconds`` after it writes STATE/started, and ignores SIGTERM."""
    args = ["-m", "tests.mcp_servers.slow_start", str(state), str(seconds), "--stubborn"]
    return {"command": sys.executable, "args": args, "env": env(tag)}


def garbage_server(tag: str) -> dict[str, Any]:
    """Writes a line that is not JSON-RPC, then nothing."""
    code = "import time\nprint('Server ready on port 8080!', flush=True)\ntime.sleep(600)"
    return {"command": sys.executable, "args": ["-c", code], "env": env(tag), "startTimeout": 2}


def write_mcp_json(servers: dict[str, Any]) -> Paths:
    paths = Paths.from_env()
    paths.config.mkdir(parents=True, exist_ok=True)
    config_path(paths).write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
    return paths


def tagged_pids(tag: str) -> list[int]:
    """Live processes whose environment holds ``SMART_AGENT_TEST_TAG=tag``."""
    needle = f"{TAG}={tag}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def stacks(pid: int) -> str:
    """Every thread's stack in process ``pid`` (py-spy dump), to see where a hang waits."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        return "(py-spy is not installed: no stacks)"
    dump = subprocess.run([spy, "dump", "--pid", str(pid)], capture_output=True, text=True)
    return dump.stdout + dump.stderr


def wait_for(predicate: Any, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def kill_tagged(tag: str) -> None:
    for pid in tagged_pids(tag):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_http_notes(state: Path, tag: str) -> tuple[subprocess.Popen[bytes], str]:
    """The notes server on streamable HTTP at 127.0.0.1; (process, url) once it listens."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.mcp_servers.notes", str(state), "--http", str(port)],
        env={**os.environ, **env(tag)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def listening() -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    if not wait_for(listening, 30):
        process.kill()
        pytest.fail("the streamable-HTTP notes server did not start listening")
    return process, f"http://127.0.0.1:{port}/mcp"


class Cli:
    """``smart-agent ARGS`` as a child process: JSON-RPC lines in and out (for ``mcp
    serve``), stderr in a file (a pipe nobody reads could block it)."""

    def __init__(self, args: list[str], stderr: Path):
        self._stderr = stderr.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=os.environ.copy(),
        )
        self.stderr = stderr
        self._lines: queue.Queue[bytes] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        self.process.stdin.flush()

    def answer(self, request_id: int, timeout: float = 60) -> dict[str, Any]:
        """The reply to request ``request_id`` (a bound for a hang, not a timing)."""
        deadline = time.monotonic() + timeout
        while True:
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            message = json.loads(line)
            if message.get("id") == request_id:
                return dict(message)

    def initialize(self) -> dict[str, Any]:
        """The MCP handshake with ``mcp serve``, then a ping: once that is answered, the
        serve has read every line sent and waits on stdin for the next."""
        from mcp.types import LATEST_PROTOCOL_VERSION

        params = {
            "protocolVersion": LATEST_PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": "tests", "version": "0"},
        }
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
        reply = self.answer(1)
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        self.send({"jsonrpc": "2.0", "id": 0, "method": "ping"})
        self.answer(0)
        return reply

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, then its exit status (``timeout`` bounds a hang; it is not a timing).
        A hang fails with the command's stacks (py-spy, when installed) and stderr."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"still running {timeout:g} s after SIGTERM\n{stacks(self.process.pid)}\n"
                f"stderr:\n{self.stderr.read_text(encoding='utf-8', errors='replace')[-3000:]}"
            ) from None

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        self._reader.join(10)  # its end of the pipe: it has read to the end
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()
