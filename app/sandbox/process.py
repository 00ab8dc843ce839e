"""One running sandbox: bwrap, the first process of its PID namespace, and a watcher.

bwrap writes the host PID of the namespace's first process and the namespace's inode to
``--info-fd``. When that process dies the kernel kills every other process of the namespace,
so killing it ends the whole tree: ``setsid`` and double-forked processes included. We hold
it by a pidfd, so a recycled PID can never be hit.

What ends a sandbox:
- its code finishing (the first process exits once the command does);
- ``kill()``: on time-out, cancellation, a limit the watcher saw broken, or our exit
  (``atexit``);
- our process dying in any way (SIGKILL, SIGTERM, SIGHUP...): bwrap's ``--die-with-parent``
  sets PR_SET_PDEATHSIG, which fires when the *thread* that started bwrap ends; the python
  tool starts it from the worker thread that waits for it, which lives as long as the call.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from app.sandbox.bwrap import Interpreter, bwrap_path, sandbox_command
from app.sandbox.watch import Limits, Usage, Watcher

INFO_TIMEOUT = 10.0  # bwrap reports within milliseconds; this only guards a stuck start

_live: set[Sandbox] = set()
_live_lock = threading.Lock()


class SandboxError(Exception):
    """bwrap could not set the sandbox up; the message is bwrap's own reason."""


class Sandbox:
    def __init__(
        self,
        process: subprocess.Popen[bytes],
        init_pid: int | None,
        limits: Limits,
        namespace: str | None,
    ):
        self.process = process
        self.limits = limits
        self.usage = Usage()
        self._watcher = Watcher(namespace) if namespace else None
        self._pidfd: int | None = None
        if init_pid is not None:
            try:
                self._pidfd = os.pidfd_open(init_pid)
            except OSError:
                pass  # it has already ended
        with _live_lock:
            _live.add(self)

    @classmethod
    def start(
        cls,
        inner: Sequence[str],
        *,
        workspace: Path,
        interpreter: Interpreter,
        network: bool,
        limits: Limits,
    ) -> Sandbox:
        """Start ``inner`` in a new sandbox, with pipes for stdin, stdout and stderr."""
        bwrap = bwrap_path()
        if bwrap is None:
            raise SandboxError("bubblewrap (bwrap) is not installed")
        info_read, info_write = os.pipe()
        command = sandbox_command(
            inner,
            workspace=workspace,
            interpreter=interpreter,
            network=network,
            info_fd=info_write,
            bwrap=bwrap,
        )
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={},  # bwrap's own environment is readable inside as /proc/1/environ
                pass_fds=(info_write,),
                start_new_session=True,
            )
        except OSError as exc:
            os.close(info_read)
            raise SandboxError(f"could not start bwrap: {exc.strerror or exc}") from None
        finally:
            os.close(info_write)
        try:
            info = _read_info(info_read)
        finally:
            os.close(info_read)
        init_pid = info.get("child-pid")
        namespace = info.get("pid-namespace")
        return cls(
            process,
            init_pid if isinstance(init_pid, int) else None,
            limits,
            f"pid:[{namespace}]" if isinstance(namespace, int) else None,
        )

    def check(self) -> str | None:
        """Scan the tree once; the broken limit as one line, or None."""
        if self._watcher is None:
            return None
        self.usage = self._watcher.scan()
        return self.usage.over(self.limits)

    def kill(self) -> None:
        """End every process of the sandbox (the first one takes the rest with it)."""
        if self._pidfd is not None:
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except OSError:
                pass  # already gone
        if self.process.returncode is None:  # once reaped, its group id may be someone else's
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def close(self) -> None:
        """Kill what is left and forget the sandbox; call once its process has been waited for."""
        self.kill()
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None
        with _live_lock:
            _live.discard(self)


def _read_info(fd: int) -> dict[str, object]:
    """bwrap's JSON about the sandbox; empty when bwrap failed before writing it."""
    data = b""
    while select.select([fd], [], [], INFO_TIMEOUT)[0]:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    try:
        info = json.loads(data) if data else {}
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


@atexit.register
def _kill_all() -> None:
    with _live_lock:
        live = list(_live)
    for sandbox in live:
        sandbox.kill()
