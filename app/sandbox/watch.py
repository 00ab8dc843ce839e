"""What a sandbox's whole process tree uses, read from the host's ``/proc``.

The sandbox has a PID namespace of its own, so its processes are exactly the host processes
whose ``/proc/<pid>/ns/pid`` is that namespace; a ``setsid`` or double-forked process cannot
leave it. Every scan sums over all of them:

- **processes**: how many there are (a backstop to RLIMIT_NPROC, which the kernel does not
  apply to processes whose host user is root);
- **memory**: resident anonymous memory (RSS less file-backed pages, which the processes
  share with each other and with the host), so four children of 200 MB count as 800 MB;
- **CPU time**: user + system time of each live process plus what it collected from the
  children it reaped (``cutime``/``cstime``), so a process that has exited still counts;
- **bytes written**: ``write_bytes`` of ``/proc/<pid>/io`` (what went to storage; pipes and
  tmpfs do not count), remembering the last value of processes that have since exited.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Limits:
    """Limits on the sandbox's whole process tree."""

    processes: int
    memory_bytes: int
    cpu_seconds: float
    written_bytes: int


@dataclass(frozen=True)
class Usage:
    processes: int = 0
    memory_bytes: int = 0
    cpu_seconds: float = 0.0
    written_bytes: int = 0

    def over(self, limits: Limits) -> str | None:
        """The limit this usage breaks, as one line for the report; None when within all."""
        mb = 1024 * 1024
        if self.processes >= limits.processes:
            return f"reached {limits.processes} processes (process limit)"
        if self.memory_bytes > limits.memory_bytes:
            return (
                f"used {self.memory_bytes // mb} MB of memory in all processes, "
                f"over the {limits.memory_bytes // mb} MB memory limit"
            )
        if self.cpu_seconds > limits.cpu_seconds:
            return f"used more than {limits.cpu_seconds:g} s of CPU time (CPU-time limit)"
        if self.written_bytes > limits.written_bytes:
            return (
                f"wrote more than {limits.written_bytes // mb} MB to disk (limit on bytes written)"
            )
        return None


def namespace_of(pid: int) -> str | None:
    """The PID namespace of ``pid`` as ``pid:[inode]``; None once it is gone."""
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


@dataclass
class Watcher:
    """Sums the usage of the processes of one PID namespace, scan after scan."""

    namespace: str
    _written: dict[int, int] = field(default_factory=dict)  # last write_bytes seen, per pid

    def pids(self) -> list[int]:
        found = []
        for entry in os.scandir("/proc"):
            if entry.name.isdigit() and namespace_of(int(entry.name)) == self.namespace:
                found.append(int(entry.name))
        return found

    def scan(self) -> Usage:
        pids = self.pids()
        memory = 0
        ticks = 0
        for pid in pids:
            memory += _anonymous_resident(pid)
            ticks += _cpu_ticks(pid)
            written = _write_bytes(pid)
            if written is not None:
                self._written[pid] = written
        return Usage(
            processes=len(pids),
            memory_bytes=memory,
            cpu_seconds=ticks / _TICKS,
            written_bytes=sum(self._written.values()),
        )


def _anonymous_resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            fields = statm.read().split()
        return max(0, int(fields[1]) - int(fields[2])) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
        # fields after the command name (which may hold spaces and parentheses)
        rest = text[text.rindex(b")") + 2 :].split()
        return sum(int(value) for value in rest[11:15])  # utime stime cutime cstime
    except (OSError, ValueError):
        return 0


def _write_bytes(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/io", "rb") as io:
            for line in io:
                if line.startswith(b"write_bytes:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None
