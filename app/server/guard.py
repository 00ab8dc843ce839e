"""What stands in front of every route, in this order:

1. ``Host`` must name this server (a loopback name, the bound address or a name the
   person allowed): a web page that rebinds its own DNS name to 127.0.0.1 gets 403.
2. ``Origin``, when a browser sends one, must be an origin the person allowed (none by
   default): a page in the person's browser cannot drive the API (CSRF) → 403.
3. ``Authorization: Bearer <token>`` → 401 without it or with a wrong one.
4. The body is bounded (``Content-Length`` or, chunked, as it arrives) → 413.

A plain ASGI middleware, so it also guards the streaming responses.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_BODY = 1024 * 1024  # a task, a chat: far below this; a 10 MB upload is refused


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def host_name(value: str) -> str:
    """``[::1]:8765`` → ``::1``; ``localhost:8765`` → ``localhost`` (lower case)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    if value.count(":") > 1:  # a bare IPv6 address, no port
        return value
    return value.partition(":")[0]


@dataclass
class Guard:
    app: ASGIApp
    token: str
    hosts: Iterable[str] = ()  # names besides the loopback ones (a non-loopback bind)
    origins: Iterable[str] = ()  # browser origins allowed to call (none by default)
    max_body: int = MAX_BODY
    _hosts: frozenset[str] = field(init=False)
    _origins: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self._hosts = LOOPBACK_HOSTS | {host_name(h) for h in self.hosts}
        self._origins = frozenset(o.rstrip("/").lower() for o in self.origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(headers)
        if refusal is not None:
            await _error(send, *refusal)
            return
        body = await self._body(headers, receive)
        if body is None:
            await _error(send, 413, f"the request body is larger than {self.max_body} bytes")
            return
        await self.app(scope, _replay(body, receive), send)

    def _refusal(self, headers: dict[str, str]) -> tuple[int, str, dict[str, str]] | None:
        if host_name(headers.get("host", "")) not in self._hosts:
            return 403, "this Host is not served here", {}
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/").lower() not in self._origins:
            return 403, "requests from web pages are refused (Origin)", {}
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), self.token.encode()
        ):
            return 401, "a valid bearer token is required", {"www-authenticate": "Bearer"}
        return None

    async def _body(self, headers: dict[str, str], receive: Receive) -> bytes | None:
        """The whole body, or None once it is known to pass the bound."""
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return None
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read already, then whatever the client sends next (its disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _error(
    send: Send, status: int, message: str, extra: dict[str, str] | None = None
) -> None:
    body = json.dumps({"error": {"message": message, "type": "refused", "code": status}})
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body.encode()})
