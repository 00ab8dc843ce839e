"""How careful an HTTP client is: timeouts, retries, backoff and a size cap, as one value
passed to whoever talks HTTP. Kept apart from ``app.net.http`` so that a tool's context can
carry one without importing requests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    """Timeouts, retries and size limit of a session and its requests (tests pass short ones)."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    retry_after_max: float = 5.0  # longest Retry-After we are willing to sleep
    max_bytes: int = 2 * 1024 * 1024
