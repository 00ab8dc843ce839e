"""The connections to MCP servers: one asyncio loop on a thread, one task per server.

Each server lives inside the SDK's own context managers (``stdio_client`` or
``streamable_http_client``, then ``ClientSession``) on the hub's loop until it is stopped or
its connection ends; leaving them is what ends the server's process group. Tools are called
from worker threads: the call is a task on the loop, the thread waits for it and cancels it
when the run's Stop flag is set (the SDK then sends ``notifications/cancelled``). A server
whose connection ended is started again on the next call.

The ``mcp`` SDK is imported on the hub's thread, the first time a server starts.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from app.errors import ToolError
from app.mcp.config import McpConfigError, ServerConfig, resolve_secrets

log = logging.getLogger("smart_agent.mcp")

START_TIMEOUT = 30.0  # seconds for a server to start, answer initialize and list its tools
CLOSE_TIMEOUT = 8.0  # the SDK's own shutdown: stdin closed, 2 s grace, SIGTERM, SIGKILL
State = Literal["stopped", "starting", "ready", "failed", "disabled"]


@dataclass(frozen=True)
class ServerStatus:
    """What a front end shows about one server."""

    name: str
    state: State
    error: str = ""
    tools: tuple[Any, ...] = ()  # the server's mcp Tool objects, as listed


class McpServer:
    """One configured server: its state, its tools and its live session (on the hub loop)."""

    def __init__(
        self, config: ServerConfig, logs: Path, notify: Callable[[McpServer], None] | None = None
    ):
        self.config = config
        self.notify = notify  # after a change of state that no caller is waiting for
        self.logs = logs
        self.state: State = "disabled" if config.disabled else "stopped"
        self.error = ""
        self.tools: list[Any] = []
        self.session: Any = None
        self.bad_output = ""  # the last line on stdout that was not JSON-RPC
        self._wake: asyncio.Event | None = None
        self._scope: Any = None  # the anyio CancelScope around the connection
        self._stopping = False  # stop() was called: for good, it never starts again
        self._task: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[None] | None = None

    def status(self) -> ServerStatus:
        return ServerStatus(self.config.name, self.state, self.error, tuple(self.tools))

    async def start(self, timeout: float) -> None:
        """Start the server (again) and wait until it lists its tools; ToolError why not."""
        if self._stopping:  # stopped while this start waited its turn: spawn nothing now
            raise ToolError(f"MCP server {self.config.name} was stopped")
        if self.state == "ready" and self.session is not None:
            return
        if self.state == "starting" and self._ready is not None and not self._ready.done():
            await asyncio.shield(self._ready)  # someone else's start: wait for it
            return
        if self._task is not None and not self._task.done():  # an ended connection unwinding
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(self._task), CLOSE_TIMEOUT)
        import anyio

        loop = asyncio.get_running_loop()
        self._ready = loop.create_future()
        self._wake = asyncio.Event()  # here, not in the task: stop() may come before it runs
        self._scope = anyio.CancelScope()
        self.state, self.error, self.bad_output = "starting", "", ""
        self._task = loop.create_task(self._serve(timeout))
        await asyncio.shield(self._ready)

    async def stop(self) -> None:
        """End the connection and the server's process, for good, within CLOSE_TIMEOUT.

        A ready server leaves its session the ordinary way; one still starting (it may
        never answer initialize) is cancelled through its anyio scope, which the SDK's
        shielded shutdown honours: the process is still ended. A native ``task.cancel()``
        would cut that shutdown short and leave the process behind, so it is only the
        last resort for a task that outlives the bound.
        """
        self._stopping = True
        if self._wake is not None:
            self._wake.set()
        if self.state != "ready" and self._scope is not None:
            self._scope.cancel()
        if self._task is not None:
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(self._task), CLOSE_TIMEOUT)
            if not self._task.done():
                log.warning("MCP server %s did not stop in time", self.config.name)
                self._task.cancel()
        if self.state != "disabled":
            self.state = "stopped"

    async def _serve(self, timeout: float) -> None:
        assert self._scope is not None
        try:
            with self._scope:
                await self._connect(timeout)
            if not self._stopping:
                self._fail("its connection ended (the server exited)")
        except BaseException as exc:  # every failure becomes the server's one line
            self._fail(self._reason(exc))
            if isinstance(exc, asyncio.CancelledError):
                raise
        finally:
            self.session = None
            if self._ready is not None and not self._ready.done():
                why = self.error or "stopped"
                self._ready.set_exception(ToolError(f"MCP server {self.config.name}: {why}"))

    async def _connect(self, timeout: float) -> None:
        """The connection's life: start, initialize, list the tools, serve until woken."""
        import anyio
        from mcp import ClientSession

        assert self._ready is not None and self._wake is not None
        async with contextlib.AsyncExitStack() as stack:
            read, write = await stack.enter_async_context(self._transport())
            send, receive = anyio.create_memory_object_stream[Any](0)
            group = await stack.enter_async_context(anyio.create_task_group())
            group.start_soon(self._relay, read, send)
            session = await stack.enter_async_context(ClientSession(receive, write))
            try:
                with anyio.fail_after(timeout):
                    await session.initialize()
                    self.tools = await _list_tools(session)
            except TimeoutError:
                raise ToolError(self._silence(timeout)) from None
            self.session, self.state = session, "ready"
            log.info("MCP server %s ready: %d tools", self.config.name, len(self.tools))
            if not self._ready.done():
                self._ready.set_result(None)
            await self._wake.wait()
            group.cancel_scope.cancel()

    def _transport(self) -> contextlib.AbstractAsyncContextManager[Any]:
        """The SDK's stdio or streamable HTTP client for this server, secrets filled in."""
        cfg = self.config
        if cfg.url:
            from mcp.client.streamable_http import streamable_http_client
            from mcp.shared._httpx_utils import create_mcp_http_client

            http = create_mcp_http_client(headers=resolve_secrets(cfg.headers, cfg.name))
            return streamable_http_client(cfg.url, http_client=http)
        from mcp import StdioServerParameters, stdio_client

        self.logs.mkdir(parents=True, exist_ok=True)
        errlog = open(self.logs / f"mcp-{cfg.prefix}.log", "a", encoding="utf-8")  # noqa: SIM115
        params = StdioServerParameters(
            command=cfg.command, args=list(cfg.args), env=resolve_secrets(cfg.env, cfg.name)
        )

        @contextlib.asynccontextmanager
        async def client() -> Any:
            try:
                async with stdio_client(params, errlog=errlog) as streams:
                    yield streams
            finally:
                errlog.close()

        return client()

    async def _relay(self, read: Any, send: Any) -> None:
        """Hand the session what the server sends; note lines that are not JSON-RPC and
        wake the server's task when the connection ends (a crash while idle)."""
        async with send:
            try:
                async for message in read:
                    if isinstance(message, Exception):
                        self.bad_output = _bad_line(message)
                        log.warning("MCP server %s: bad output: %s", self.config.name, message)
                        continue
                    await send.send(message)
            except Exception as exc:
                log.info("MCP server %s: connection ended: %s", self.config.name, exc)
            finally:  # before the session sees the end: a call failing now knows why
                if self._wake is not None:
                    self._wake.set()

    def _silence(self, timeout: float) -> str:
        why = f"did not answer within {timeout:g} s"
        if self.bad_output:
            why += f"; its output is not JSON-RPC ({self.bad_output})"
        return why

    def _reason(self, exc: BaseException) -> str:
        if isinstance(exc, asyncio.CancelledError):
            return "stopped"
        if isinstance(exc, BaseExceptionGroup):
            inner = [e for e in exc.exceptions if not isinstance(e, asyncio.CancelledError)]
            return self._reason(inner[0]) if inner else "stopped"
        if isinstance(exc, ToolError | McpConfigError):
            return str(exc)
        if isinstance(exc, FileNotFoundError | PermissionError):
            return f"cannot start '{self.config.command}': {exc.strerror}"
        text = _first_line(exc)
        if self.bad_output:
            text += f"; its output is not JSON-RPC ({self.bad_output})"
        return text

    def _fail(self, reason: str) -> None:
        if self._stopping:
            return
        changed = self.state != "failed"
        self.state, self.error = "failed", reason
        log.warning("MCP server %s: %s", self.config.name, reason)
        if changed and self.notify is not None:
            self.notify(self)  # e.g. it crashed while idle: the status bar hears of it now

    async def call(self, tool: str, arguments: dict[str, Any], timeout: float) -> Any:
        import anyio
        from mcp import MCPError

        ended = (anyio.ClosedResourceError, anyio.BrokenResourceError, anyio.EndOfStream)

        session = self.session
        if session is None:
            raise ToolError(f"MCP server {self.config.name} is not running: {self.error}")
        try:
            return await session.call_tool(tool, arguments, read_timeout_seconds=timeout)
        except (MCPError, OSError, *ended) as exc:
            if self._wake is not None and self._wake.is_set() and not self._stopping:
                self._fail("its connection ended (the server exited)")
                raise ToolError(f"MCP server {self.config.name} exited during the call") from None
            raise ToolError(f"{self.config.name}: {_first_line(exc)}") from None


async def _list_tools(session: Any) -> list[Any]:
    tools: list[Any] = []
    cursor = None
    while True:
        from mcp.types import PaginatedRequestParams

        params = PaginatedRequestParams(cursor=cursor) if cursor else None
        result = await session.list_tools(params=params)
        tools.extend(result.tools)
        cursor = result.next_cursor
        if not cursor:
            return tools


def _bad_line(exc: Exception) -> str:
    """The offending stdout line, from the SDK's parse error."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        with contextlib.suppress(Exception):
            return f"it wrote {str(errors()[0]['input'])[:80]!r}"
    return _first_line(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


Listener = Callable[[ServerStatus], None]


class McpHub:
    """Every configured server of one process, its loop thread, and what front ends see."""

    def __init__(
        self, servers: list[ServerConfig], logs: Path, start_timeout: float = START_TIMEOUT
    ):
        self.servers = {s.name: McpServer(s, logs, self._notify) for s in servers}
        self.start_timeout = start_timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._started: Future[None] | None = None
        self._stopping: Future[None] | None = None  # close()'s stopping of every server
        self.closed = False

    def subscribe(self, listener: Listener) -> None:
        """``listener(status)`` after each change of a server's state (on the hub thread)."""
        self._listeners.append(listener)

    def statuses(self) -> list[ServerStatus]:
        return [s.status() for s in self.servers.values()]

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self.closed:
                raise ToolError("MCP servers are shut down")
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(
                    target=self._loop.run_forever, name="mcp-hub", daemon=True
                )
                self._thread.start()
                atexit.register(self.close)  # the servers end before the process does
            return self._loop

    def _submit(self, coro: Any) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self._ensure_loop())

    def start(self, names: list[str] | None = None) -> Future[None]:
        """Start the enabled servers in the background; the future ends once each is ready
        or failed. Never raises: a server that cannot start gets its one line."""
        wanted = [
            server
            for name, server in self.servers.items()
            if (names is None or name in names) and server.state != "disabled"
        ]

        async def start_all() -> None:
            await asyncio.gather(*(self._start_one(s) for s in wanted), return_exceptions=True)

        future: Future[None] = self._submit(start_all())
        if names is None:
            self._started = future
        return future

    def wait_started(self) -> None:
        if self._started is not None:
            with contextlib.suppress(Exception):
                self._started.result(self.longest_start() + CLOSE_TIMEOUT)

    def longest_start(self) -> float:
        return max(
            [self.start_timeout] + [s.config.start_timeout or 0 for s in self.servers.values()]
        )

    async def _start_one(self, server: McpServer) -> None:
        try:
            await server.start(server.config.start_timeout or self.start_timeout)
        finally:
            self._notify(server)

    def _notify(self, server: McpServer) -> None:
        for listener in list(self._listeners):
            try:
                listener(server.status())
            except Exception:
                log.exception("MCP status listener failed")

    def call(
        self,
        server: str,
        tool: str,
        arguments: dict[str, Any],
        timeout: float,
        cancel: threading.Event | None = None,
    ) -> Any:
        """Call ``tool`` on ``server`` from a worker thread; the SDK's CallToolResult.

        The timeout covers the call itself (the SDK cancels the request when it passes);
        a server that is not running is started first. ``cancel`` set: the call's task is
        cancelled, which sends the server ``notifications/cancelled``.
        """
        target = self.servers.get(server)
        if target is None or target.config.disabled:
            raise ToolError(f"MCP server {server} was removed or disabled")
        was_ready = target.state == "ready"
        future = self._submit(self._call(target, tool, arguments, timeout))
        deadline = time.monotonic() + timeout + self.longest_start() + 5
        while True:
            try:
                return future.result(0.05)
            except FutureTimeout:
                if cancel is not None and cancel.is_set():
                    future.cancel()
                    raise ToolError("cancelled") from None
                if self.closed:  # its loop may stop before the call's task ends
                    future.cancel()
                    raise ToolError(f"{server}: MCP servers were shut down") from None
                if time.monotonic() > deadline:
                    future.cancel()
                    raise ToolError(f"{server} did not answer within {timeout:g} s") from None
            except TimeoutError:
                raise ToolError(f"{server}: {tool} timed out after {timeout:g} s") from None
            finally:
                if was_ready != (target.state == "ready"):
                    self._notify(target)

    async def _call(self, server: McpServer, tool: str, arguments: dict[str, Any], t: float) -> Any:
        if server.state != "ready" or server.session is None:
            await server.start(server.config.start_timeout or self.start_timeout)
        return await server.call(tool, arguments, t)

    def configure(self, configs: list[ServerConfig], logs: Path) -> tuple[set[str], set[str]]:
        """Take a new server list (Settings → Tools): servers removed, disabled or changed
        are stopped; new, enabled or changed ones start. Returns (stopped, started) names."""
        wanted = {c.name: c for c in configs}
        old = dict(self.servers)
        stopped = {n for n, s in old.items() if wanted.get(n) != s.config}
        started = {
            n for n, c in wanted.items() if not c.disabled and (n not in old or n in stopped)
        }
        stopping = [old[n] for n in stopped]
        self.servers = {
            n: old[n] if n in old and n not in stopped else McpServer(c, logs, self._notify)
            for n, c in wanted.items()
        }
        if stopping:

            async def stop_them() -> None:
                await asyncio.gather(*(s.stop() for s in stopping), return_exceptions=True)

            self._submit(stop_them())
        if started:
            self.start(sorted(started))
        return stopped, started

    def close(self) -> None:
        """Stop every server (the SDK ends each process group) and the loop thread, within
        about CLOSE_TIMEOUT.

        The stopping runs on the hub's thread. Whatever interrupts this wait (SIGTERM's
        SystemExit, Ctrl+C), it goes on, and the interpreter waits for it at exit (atexit):
        a process that ended first would leave a server that was still being stopped
        running. Called again, this waits for it too.
        """
        with self._lock:
            if not self.closed and self._loop is not None:
                self._stopping = asyncio.run_coroutine_threadsafe(self._stop_all(), self._loop)
            self.closed = True
            loop, thread, stopping = self._loop, self._thread, self._stopping
        if loop is None or thread is None or stopping is None:
            return
        try:
            stopping.result(CLOSE_TIMEOUT + 2)
        except Exception:
            log.warning("MCP servers did not all stop in time")
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        atexit.unregister(self.close)

    async def _stop_all(self) -> None:
        await asyncio.gather(*(s.stop() for s in self.servers.values()), return_exceptions=True)
