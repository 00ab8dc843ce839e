"""One careful way for the core to talk HTTP.

``new_session`` is the one session factory (User-Agent, proxies from the environment,
retries as the ``Policy`` says); the model server backend and the downloads open theirs
with it. The web tools go through ``request``: each provider gets its own session
(connections reused, cookies kept apart) with the same manners: a truthful User-Agent,
connect and read timeouts, a few retries with backoff for idempotent GETs when the server
answers 429 or 5xx (honouring Retry-After, but capped so a tool never sleeps past its own
time limit), proxies from the environment, and a cap on how much of a reply is read. Every
failure becomes a ``ToolError`` whose one line tells a person what happened and what to
do, because that line is all the evidence a step gets. The policy is an argument (a tool
passes ``ToolContext.http``), never a global.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from app import __version__
from app.errors import ToolError
from app.net.errors import status_phrase, unreachable
from app.net.policy import Policy

USER_AGENT = f"SmartAgent/{__version__} (+local desktop assistant)"

RETRY_STATUSES = (429, 500, 502, 503, 504)


DEFAULT_POLICY = Policy()


class _CappedRetry(Retry):
    """urllib3's Retry, but a server's Retry-After is never obeyed beyond ``wait_cap``.

    (Recent urllib3 has its own whole-second ``retry_after_max``; older releases, which
    requests still accepts, have none, and tests need a cap below one second.)
    """

    def __init__(self, *args: Any, wait_cap: float = Policy.retry_after_max, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.wait_cap = wait_cap

    def new(self, **kwargs: Any) -> _CappedRetry:
        fresh = super().new(**kwargs)
        fresh.wait_cap = self.wait_cap
        return fresh

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.wait_cap)


def new_session(
    policy: Policy = DEFAULT_POLICY, headers: Mapping[str, str] | None = None
) -> requests.Session:
    """A session with our User-Agent, proxies from the environment and ``policy``'s retries.

    With ``policy.retries`` at 0 the transport is requests' own (no urllib3 retry object), so
    errors come as requests raises them: a caller that retries by itself (the model server
    backend, a resuming download) sees a read timeout as ``ReadTimeout``.
    """
    session = requests.Session()
    session.trust_env = True  # HTTP(S)_PROXY / NO_PROXY from the environment
    session.headers["User-Agent"] = USER_AGENT
    session.headers.update(headers or {})
    if policy.retries:
        adapter = HTTPAdapter(max_retries=_retry(policy))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    return session


def _retry(policy: Policy) -> Retry:
    return _CappedRetry(
        total=policy.retries,
        connect=policy.retries,
        read=0,  # a server too slow once is slow again; the read timeout already cost time
        status=policy.retries,
        other=0,
        allowed_methods=frozenset({"GET", "HEAD"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=policy.backoff,
        respect_retry_after_header=True,
        raise_on_status=False,  # the last reply comes back, so its status can be explained
        wait_cap=policy.retry_after_max,
    )


_sessions: dict[tuple[str, Policy], requests.Session] = {}
_sessions_lock = threading.Lock()


def session(provider: str, policy: Policy = DEFAULT_POLICY) -> requests.Session:
    """The session of ``provider`` under ``policy`` (one per pair, kept for reuse)."""
    with _sessions_lock:
        cached = _sessions.get((provider, policy))
        if cached is None:
            cached = _sessions[(provider, policy)] = new_session(policy)
        return cached


def endpoint(env: str, default: str) -> str:
    """A provider's base URL: the environment variable ``env`` if set (tests, mirrors)."""
    return os.environ.get(env, "").strip() or default


@dataclass(frozen=True)
class Reply:
    """A fully read (and size-checked) HTTP reply."""

    provider: str
    url: str  # after redirects
    status: int
    headers: Mapping[str, str]
    body: bytes
    encoding: str

    @property
    def text(self) -> str:
        try:
            return self.body.decode(self.encoding, errors="replace")
        except LookupError:  # a charset Python does not know
            return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise failure(self.provider, exc) from exc

    def raise_for_status(self, detail: str = "") -> None:
        if self.status >= 400:
            raise failure(self.provider, self, detail)


def request(
    provider: str,
    method: str,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    cookies: Mapping[str, str] | None = None,
    check: bool = True,
    policy: Policy = DEFAULT_POLICY,
) -> Reply:
    """Send one request to ``provider`` and read its reply, or raise ToolError.

    With ``check`` false an HTTP error status comes back as a Reply, for callers that
    explain some statuses themselves (and then call ``raise_for_status``).
    """
    try:
        with session(provider, policy).request(
            method,
            url,
            params=params,
            data=data,
            headers=dict(headers or {}),
            cookies=dict(cookies or {}),
            timeout=(policy.connect_timeout, policy.read_timeout),
            stream=True,
        ) as response:
            body = read_capped(response, policy.max_bytes)
    except (requests.RequestException, ReplyTooLarge) as exc:
        raise failure(provider, exc, policy=policy) from exc
    content_type = response.headers.get("Content-Type", "").lower()
    encoding = response.encoding if "charset=" in content_type and response.encoding else "utf-8"
    reply = Reply(provider, response.url, response.status_code, response.headers, body, encoding)
    if check:
        reply.raise_for_status()
    return reply


def read_capped(response: requests.Response, limit: int) -> bytes:
    """The body, but never more than ``limit`` bytes (after decompression) read;
    ReplyTooLarge past it."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ReplyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        size += len(chunk)
        if size > limit:
            raise ReplyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


class ReplyTooLarge(Exception):
    """A reply went past ``Policy.max_bytes``; it was not read further."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit

    def __str__(self) -> str:
        return f"more than {_size(self.limit)}; the rest was not read"


def failure(
    provider: str,
    problem: BaseException | Reply,
    detail: str = "",
    *,
    policy: Policy = DEFAULT_POLICY,
) -> ToolError:
    """The ToolError for an HTTP status, a transport error, bad JSON or an oversize reply.

    ``detail`` is what the service itself said (from its error body), shown in the line.
    """
    detail = detail.strip().rstrip(".")
    said = f": {detail}" if detail else ""
    if isinstance(problem, Reply):
        return ToolError(_status_line(provider, problem, said))
    if isinstance(problem, ReplyTooLarge):
        return ToolError(f"{provider} sent {problem}")
    if isinstance(problem, requests.ConnectTimeout):
        return ToolError(
            f"could not connect to {provider} within {policy.connect_timeout:g} s; "
            "check the network connection"
        )
    if isinstance(problem, requests.Timeout) or _timed_out_reading(problem):
        return ToolError(
            f"{provider} did not answer within {policy.read_timeout:g} s; try again later"
        )
    if isinstance(problem, (requests.exceptions.ChunkedEncodingError,
                            requests.exceptions.ContentDecodingError)):
        return ToolError(f"the reply from {provider} was cut off or garbled; try again")
    if isinstance(problem, requests.ConnectionError):
        url = getattr(problem.request, "url", None)
        host = urlsplit(url).hostname if isinstance(url, str) else None
        where = f" at {host}" if host else ""
        return ToolError(f"{unreachable(provider + where, problem)}; check the network connection")
    if isinstance(problem, (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                            requests.exceptions.InvalidURL)):
        return ToolError(f"the address for {provider} is not a valid URL ({problem})")
    if isinstance(problem, requests.TooManyRedirects):
        return ToolError(f"{provider} redirected too many times")
    if isinstance(problem, ValueError):
        return ToolError(
            f"{provider} sent a reply that is not valid JSON; the service may be down or changed"
        )
    return ToolError(f"the request to {provider} failed: {problem}")


def _size(count: int) -> str:
    return f"{count // 1024} KiB" if count >= 1024 else f"{count} bytes"


def _timed_out_reading(problem: BaseException) -> bool:
    """requests reports some read timeouts as a ConnectionError (retries spent, or mid-body)."""
    if not isinstance(problem, requests.ConnectionError):
        return False
    causes = [getattr(arg, "reason", arg) for arg in problem.args]
    return any(isinstance(cause, ReadTimeoutError) for cause in causes)


def _status_line(provider: str, reply: Reply, said: str) -> str:
    wait = reply.headers.get("Retry-After", "").strip()
    later = f"try again in {wait} s" if wait.isdigit() else "try again later"
    if reply.status == 429:
        return f"rate limited by {provider} (HTTP 429){said}; {later}"
    phrase = status_phrase(reply.status)
    if reply.status >= 500:
        advice = later
    elif reply.status == 401:
        advice = "check the API key"
    elif reply.status == 403:
        advice = "the service refused access"
    elif reply.status == 404:
        advice = "check the address"
    else:
        advice = "the request was not accepted"
    return f"{provider} answered {reply.status} ({phrase}){said}; {advice}"
