"""``smart-agent mcp serve``: Smart Agent as an MCP server on stdio, built on the SDK's
``MCPServer``.

Claude Desktop, Cursor or another agent can hand a multi-step task to the local models:

- ``run_task(task, agent?)``: runs it like ``smart-agent run`` and returns the answer, the
  plan and each step's evidence; the run is stored in the history.
- ``list_runs(search?, limit?)`` and ``get_run(run_id)``: the history, read-only.

There is no one to ask here, so every question the approval gate would put is answered
"deny": reads the person allowed still run, writes do not (the policies saved in the app
still hold; a tool set to ``allow`` there runs). A client that cancels ``run_task`` stops the
run like the Stop button does; so does SIGTERM, which then ends the command (exit 143) once
the run and every MCP server it started have stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from typing import Any

from app.events import Answer, Evidence, PlanReady, RunFinished, RunStarted

INSTRUCTIONS = (
    "Smart Agent runs multi-step tasks on local models with its own tools (web search, "
    "Wikipedia, files in its workspace, code in a sandbox, databases, other MCP servers). "
    "Writes that need the person's approval are denied in runs started from here."
)
RUN_STOP_TIMEOUT = 10.0  # seconds for a cancelled run to end before the runtime closes


def run_task(runtime: Any, task: str, agent: str | None, cancel: threading.Event) -> dict[str, Any]:
    """One headless run: its id, status, answer, plan and evidence."""
    chosen = runtime.agent(mode=agent, approver=None)  # no approver: every question denied
    out: dict[str, Any] = {"run_id": "", "status": "failed", "answer": "", "plan": []}
    evidence: list[dict[str, Any]] = []
    for event in runtime.run(chosen, task, cancel=cancel):
        if isinstance(event, RunStarted):
            out["run_id"] = event.run_id
        elif isinstance(event, PlanReady):
            out["plan"] = [step.to_dict() for step in event.steps]
        elif isinstance(event, Evidence):
            evidence.append({"id": event.id, "status": event.status, "text": event.text})
        elif isinstance(event, Answer):
            out["answer"] = event.text
        elif isinstance(event, RunFinished):
            out["status"] = event.status
            if event.error:
                out["error"] = event.error
    out["evidence"] = evidence
    return out


def build_server(runtime: Any, lock: threading.Lock | None = None) -> Any:
    """The MCP server; ``lock`` is held by the run in flight (one at a time: the models are
    shared)."""
    import anyio
    from mcp.server.mcpserver import MCPServer
    from mcp.types import ToolAnnotations

    server = MCPServer("smart-agent", instructions=INSTRUCTIONS)
    read = ToolAnnotations(read_only_hint=True, open_world_hint=False)
    lock = lock or threading.Lock()

    writes = ToolAnnotations(read_only_hint=False, open_world_hint=True)

    @server.tool(name="run_task", annotations=writes)
    async def run_task_tool(task: str, agent: str | None = None) -> dict[str, Any]:
        """Run a multi-step task with Smart Agent's local models and tools: it plans the
        steps, runs the tools and answers. Returns the answer, the plan and the evidence.

        Args:
            task: the task, in words
            agent: rewoo (default), react or autogpt
        """
        cancel = threading.Event()

        def work() -> dict[str, Any]:
            with lock:
                return run_task(runtime, task, agent, cancel)

        try:
            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        except anyio.get_cancelled_exc_class():
            cancel.set()
            raise

    @server.tool(annotations=read)
    def list_runs(search: str = "", limit: int = 20) -> list[dict[str, Any]]:
        """Past runs, newest first: id, task, status, answer, when.

        Args:
            search: only runs whose task or answer holds this text
            limit: at most this many runs
        """
        return [r.to_dict() for r in runtime.store.runs(search=search, limit=max(1, limit))]

    @server.tool(annotations=read)
    def get_run(run_id: str) -> dict[str, Any]:
        """One past run with its events (plan, tool calls, evidence, answer).

        Args:
            run_id: the run's id (or a unique prefix of it)
        """
        record = runtime.store.get(run_id)
        if record is None:
            raise ValueError(f"there is no run {run_id}")
        return {
            **record.to_dict(),
            "events": [json.loads(e.to_json()) for e in runtime.store.events(record.id)],
        }

    return server


def serve(runtime: Any) -> int:
    """Serve on stdin/stdout until the client closes them.

    The SDK serves on a daemon thread while this one waits. The SDK reads stdin on an
    AnyIO worker thread whose blocking read nothing interrupts, and that thread is a daemon
    only when the thread that starts it is one: served from the main thread, a SIGTERM
    unwound everything, then the interpreter waited at exit for a line that never came
    (issue 16). The wait here is also a plain place for SIGTERM's SystemExit to land.
    """
    from app.mcp.commands import start_for_cli

    start_for_cli(runtime)  # its own MCP servers' tools are its tools too
    lock = threading.Lock()
    serving = _Serving(build_server(runtime, lock))
    try:
        serving.ended.wait()
    finally:
        if not serving.ended.is_set():  # SIGTERM or Ctrl+C
            serving.cancel()  # a run in flight is stopped as a client's cancel stops it
            # and ends before the runtime closes under it; kept, so no queued run starts
            lock.acquire(timeout=RUN_STOP_TIMEOUT)
    if serving.error is not None:
        raise serving.error
    return 0


class _Serving:
    """The SDK's stdio server, on a daemon thread, until stdin ends or ``cancel()``."""

    def __init__(self, server: Any):
        self.ended = threading.Event()
        self.error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scope: Any = None
        thread = threading.Thread(target=self._run, args=(server,), name="mcp-serve", daemon=True)
        thread.start()

    def _run(self, server: Any) -> None:
        import anyio

        try:
            anyio.run(self._main, server)
        except BaseException as exc:
            self.error = exc
        finally:
            self.ended.set()

    async def _main(self, server: Any) -> None:
        import anyio

        with anyio.CancelScope() as scope:
            self._loop, self._scope = asyncio.get_running_loop(), scope
            await server.run_stdio_async()

    def cancel(self) -> None:
        """Cancel what is in flight (the stdin read itself cannot be: its thread is left)."""
        if self._loop is not None and self._scope is not None:
            with contextlib.suppress(RuntimeError):  # the loop has just ended
                self._loop.call_soon_threadsafe(self._scope.cancel)
