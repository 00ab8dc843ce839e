"""Why a request could not get through, in words a person can act on: one wording for the
web tools, the model server backend and the downloads.

"The connection broke" was said for everything (issue 15), even when this machine was
offline or the host's name did not resolve. The exception chain that requests and urllib3
build (socket.gaierror, OSError errno, timeouts, proxies) tells these apart.
"""

from __future__ import annotations

import errno
import socket
from http import HTTPStatus

import requests

_OFFLINE = (errno.ENETUNREACH, errno.ENETDOWN)
_NO_NAME = ("name or service not known", "temporary failure in name resolution",
            "nodename nor servname", "getaddrinfo failed", "no address associated",
            "failed to resolve", "nameresolutionerror")  # fmt: skip


def connection_problem(exc: BaseException) -> str:
    """Why a request failed, e.g. ``connection refused`` or ``this machine is offline …``."""
    causes: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in causes:
        causes.append(cause)
        cause = (
            cause.__cause__
            or cause.__context__
            or next((a for a in getattr(cause, "args", ()) if isinstance(a, BaseException)), None)
        )
    text = " ".join(str(c) for c in causes).lower()
    codes = {c.errno for c in causes if isinstance(c, OSError) and c.errno}
    if isinstance(exc, requests.exceptions.ProxyError):
        return "the configured proxy refused it; check HTTPS_PROXY/HTTP_PROXY"
    if isinstance(exc, requests.exceptions.SSLError):
        return "the secure connection failed; check the system clock and any proxy"
    if any(isinstance(c, socket.gaierror) for c in causes) or any(m in text for m in _NO_NAME):
        return "its name does not resolve; is this machine offline?"
    if codes & set(_OFFLINE) or "network is unreachable" in text:
        return "this machine is offline (network unreachable)"
    if errno.EHOSTUNREACH in codes or "no route to host" in text:
        return "no route to it"
    if isinstance(exc, requests.ConnectTimeout):
        return "it did not answer; offline, or a firewall?"
    if isinstance(exc, requests.Timeout):
        return "it stopped sending"
    if errno.ECONNREFUSED in codes or "refused" in text:
        return "connection refused"
    if errno.ECONNRESET in codes or "reset by peer" in text:
        return "connection reset"
    return "the connection broke"


def unreachable(target: str, exc: BaseException) -> str:
    """The one sentence for a request that did not get through: ``cannot reach X (why)``."""
    return f"cannot reach {target} ({connection_problem(exc)})"


def status_phrase(status: int) -> str:
    """``404`` → ``not found``: the standard phrase, in lower case."""
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "unknown status"
