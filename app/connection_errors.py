"""Why a request could not get through, in words a person can act on.

"The connection broke" was said for everything (issue 15), even when this machine was
offline or the host's name did not resolve. The exception chain that requests and urllib3
build (socket.gaierror, OSError errno, timeouts, proxies) tells these apart.
"""

from __future__ import annotations

import errno
import socket

import requests

_OFFLINE = (errno.ENETUNREACH, errno.ENETDOWN)
_NO_NAME = ("name or service not known", "temporary failure in name resolution",
            "nodename nor servname", "getaddrinfo failed", "no address associated",
            "failed to resolve", "nameresolutionerror")  # fmt: skip


def why_failed(exc: requests.RequestException) -> str:
    """Why a request failed, in words that say whether this machine could reach the host."""
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
        return "cannot reach the host through the configured proxy"
    if any(isinstance(c, socket.gaierror) for c in causes) or any(m in text for m in _NO_NAME):
        return "cannot reach the host: its name does not resolve (is this machine offline?)"
    if codes & set(_OFFLINE) or "network is unreachable" in text:
        return "cannot reach the host: this machine is offline (network unreachable)"
    if errno.EHOSTUNREACH in codes or "no route to host" in text:
        return "cannot reach the host: no route to it"
    if isinstance(exc, requests.ConnectTimeout):
        return "cannot reach the host: it did not answer (offline, or a firewall?)"
    if isinstance(exc, requests.Timeout):
        return "the server stopped sending"
    if errno.ECONNREFUSED in codes or "refused" in text:
        return "connection refused"
    return "the connection broke"
