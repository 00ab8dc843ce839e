"""A small MCP server for the tests, built with the SDK's own ``MCPServer``.

    python -m tests.mcp_servers.notes STATE_DIR            stdio
    python -m tests.mcp_servers.notes STATE_DIR --http PORT streamable HTTP on 127.0.0.1

It keeps notes in STATE_DIR/notes.txt (``add_note`` is a write: no readOnlyHint), reports
its pid, waits on request (``wait``) and writes STATE_DIR/cancelled when a wait is
cancelled, so a test can see the client's cancellation arrive.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations

READ = ToolAnnotations(read_only_hint=True)


def build(state: Path) -> MCPServer:
    server = MCPServer("notes")
    notes = state / "notes.txt"

    @server.tool(annotations=READ)
    def list_notes() -> str:
        """List every saved note."""
        return notes.read_text(encoding="utf-8") if notes.exists() else "(no notes)"

    @server.tool(annotations=ToolAnnotations(destructive_hint=False))
    def add_note(text: str) -> str:
        """Save a note to the notebook.

        Args:
            text: the note
        """
        with notes.open("a", encoding="utf-8") as f:
            f.write(text + "\n")
        return "saved"

    @server.tool(annotations=READ)
    def server_pid() -> int:
        """The process id of this server."""
        return os.getpid()

    @server.tool(annotations=READ)
    async def wait(seconds: float) -> str:
        """Wait the given number of seconds, then say so.

        Args:
            seconds: how long to wait
        """
        (state / "waiting").write_text(str(time.time()), encoding="utf-8")
        try:
            await anyio.sleep(seconds)
        except anyio.get_cancelled_exc_class():
            (state / "cancelled").write_text("yes", encoding="utf-8")
            raise
        return f"waited {seconds:g} s"

    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("state", type=Path)
    parser.add_argument("--http", type=int, metavar="PORT")
    args = parser.parse_args()
    args.state.mkdir(parents=True, exist_ok=True)
    server = build(args.state)
    if args.http:
        server.run("streamable-http", host="127.0.0.1", port=args.http)
    else:
        server.run()


if __name__ == "__main__":
    main()
