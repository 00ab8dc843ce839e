"""The ASGI app (routes behind the guard) and ``ApiServer``, which runs it on uvicorn:
in the foreground for ``smart-agent serve``, on a thread for the desktop app."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.errors import SmartAgentError
from app.server import api, chat, openapi
from app.server.guard import MAX_BODY, Guard, is_loopback
from app.server.replies import ApiError, Json, error_reply
from app.server.runs import RunManager

log = logging.getLogger(__name__)


async def _openapi(request: Request) -> Response:
    return Json(openapi.document())


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_reply(exc.status, str(exc), exc.kind)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_reply(exc.status_code, str(exc.detail))


def create_app(
    runtime: Any,
    token: str,
    *,
    max_runs: int = 4,
    hosts: Iterable[str] = (),
    origins: Iterable[str] = (),
    max_body: int = MAX_BODY,
    approval_timeout: float = 600.0,
) -> Guard:
    """The API over ``runtime``; ``hosts`` and ``origins`` widen the guard's checks."""
    app = Starlette(
        routes=[Route("/openapi.json", _openapi), *api.ROUTES, *chat.ROUTES],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.runs = RunManager(runtime, max_runs, approval_timeout)
    return Guard(app, token, hosts=hosts, origins=origins, max_body=max_body)


def runs_of(app: Guard) -> RunManager:
    return app.app.state.runs  # type: ignore[attr-defined, no-any-return]


class ApiServer:
    """uvicorn serving ``create_app(...)`` on ``host:port`` (port 0: any free one)."""

    def __init__(self, runtime: Any, token: str, host: str, port: int, **options: Any):
        import uvicorn

        hosts = options.pop("hosts", ())
        if not is_loopback(host):
            hosts = (*hosts, host)
        self.app = create_app(runtime, token, hosts=hosts, **options)
        config = uvicorn.Config(
            self.app,
            host=host,
            port=port,
            lifespan="off",
            log_level="warning",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        self._failure = ""

    @property
    def address(self) -> str:
        """``http://HOST:PORT`` once listening (the real port when 0 was asked)."""
        servers = getattr(self._server, "servers", [])
        for server in servers:
            for sock in server.sockets:
                host, port = sock.getsockname()[:2]
                return f"http://{'[' + host + ']' if ':' in host else host}:{port}"
        return ""

    def serve(self) -> None:
        """In the foreground until interrupted (Ctrl+C); cancels runs still at work."""
        config = self._server.config
        try:
            self._server.run()
        except SystemExit:
            if self._server.started:  # a signal uvicorn caught, raised again after shutdown
                raise
            # before it started listening: uvicorn's way of saying it could not listen
            raise SmartAgentError(
                f"cannot listen on {config.host}:{config.port} (in use, or not an address "
                "of this machine)"
            ) from None
        finally:
            runs_of(self.app).shutdown()

    def _serve_on_thread(self) -> None:
        try:
            self.serve()
        except SmartAgentError as exc:
            self._failure = str(exc)

    def start(self, timeout: float = 10.0) -> str:
        """On a thread; returns the address once listening (raises when it cannot be)."""
        self._thread = threading.Thread(
            target=self._serve_on_thread, name="api-server", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started and self._thread.is_alive():
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
        if not self._server.started:
            self.stop()
            raise SmartAgentError(self._failure or "the API server did not start in time")
        return self.address

    def stop(self, timeout: float = 15.0) -> None:
        """Cancel the runs at work first (their streams then end), then stop listening."""
        runs_of(self.app).shutdown()
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
