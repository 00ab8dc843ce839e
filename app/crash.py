"""Fatal errors leave a report in the logs folder, and the next start can show it.

A segfault or an abort in a C extension (Qt, llama.cpp) kills the process before Python
can log anything. From the start, ``faulthandler`` writes the stack of every thread (and,
on Python versions that can, the native stack) to ``logs/fault-<pid>.txt``; a clean exit
removes that file while it is still empty. At the next start ``collect_reports`` turns
every non-empty one left by a process that is gone into ``crash-<time>.txt``, with the
version, the platform and the tail of the log, for the front end to offer.
"""

from __future__ import annotations

import atexit
import faulthandler
import os
import platform
import sys
import time
from pathlib import Path
from typing import TextIO

from app import __version__
from app.processes import pid_alive

LOG_TAIL_LINES = 80
_fault_file: TextIO | None = None


def enable(logs: Path) -> Path | None:
    """Send fatal-error stacks to ``logs/fault-<pid>.txt`` from now on (once per process)."""
    global _fault_file
    if _fault_file is not None:
        return Path(_fault_file.name)
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"fault-{os.getpid()}.txt"
    try:
        _fault_file = open(path, "w", encoding="utf-8")  # noqa: SIM115 -- open for life
    except OSError:
        return None
    try:  # Python 3.14+ can add the native frames
        faulthandler.enable(_fault_file, all_threads=True, c_stack=True)  # type: ignore[call-arg]
    except TypeError:
        faulthandler.enable(_fault_file, all_threads=True)
    atexit.register(_disable)
    return path


def _disable() -> None:
    """At a clean exit: stop the handler and drop the file if nothing went wrong."""
    global _fault_file
    if _fault_file is None:
        return
    faulthandler.disable()
    path = Path(_fault_file.name)
    _fault_file.close()
    _fault_file = None
    try:
        if path.stat().st_size == 0:
            path.unlink()
    except OSError:
        pass


def collect_reports(logs: Path) -> list[Path]:
    """Crash reports made from the fault files of processes that ended abnormally; newest last."""
    reports = []
    for fault in sorted(logs.glob("fault-*.txt"), key=lambda p: p.stat().st_mtime):
        try:
            pid = int(fault.stem.partition("-")[2])
        except ValueError:
            continue
        if pid_alive(pid):
            continue
        try:
            text = fault.read_text(encoding="utf-8", errors="replace")
            when = time.localtime(fault.stat().st_mtime)
            if text.strip():
                report = logs / f"crash-{time.strftime('%Y%m%d-%H%M%S', when)}-{pid}.txt"
                report.write_text(_report(text, when, logs), encoding="utf-8")
                reports.append(report)
            fault.unlink()
        except OSError:
            continue
    return reports


def _report(fault: str, when: time.struct_time, logs: Path) -> str:
    return (
        f"Smart Agent {__version__} stopped with a fatal error at "
        f"{time.strftime('%Y-%m-%d %H:%M:%S', when)}\n"
        f"{describe_platform()}\n\n"
        f"== Stacks of every thread (most recent call first) ==\n{fault.rstrip()}\n\n"
        f"== Last lines of the log ==\n{log_tail(logs)}\n"
    )


def describe_platform() -> str:
    return (
        f"Python {platform.python_version()} on {platform.platform()} "
        f"({platform.machine()}, {os.cpu_count()} cores); executable {sys.executable}"
    )


def log_tail(logs: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last ``lines`` lines of the app's log (empty when there is none)."""
    try:
        text = (logs / "smart-agent.log").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
