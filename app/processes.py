"""Whether a process still runs: a crash file's or a running run's owner."""

from __future__ import annotations

import os


def pid_alive(pid: int | None) -> bool:
    """True for our own pid and for one we may not signal (it exists); False when gone."""
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError included: it exists, owned by someone else
        return True
    return True
