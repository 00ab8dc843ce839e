"""python: run a piece of Python code in a sandbox, never in our process.

- **Sandbox (Linux)**: bubblewrap (``app.sandbox``): new user, PID, IPC, UTS, cgroup and
  network namespaces; ``/usr`` and the base interpreter read-only, only the workspace
  writable (at ``/workspace``); the person's home, the app's config and data folders and the
  host's ``/proc`` do not exist in there. No network unless the call asks for it
  (``network=True``, which the approval policy always asks the person about).
- **Limits on the whole process tree** (``app.sandbox.watch``), checked every
  ``POLL_INTERVAL``: processes, memory, CPU time and bytes written; the first one broken
  stops the whole sandbox and the report names it. Per-process rlimits (address space, CPU,
  file size, and RLIMIT_NPROC inside the user namespace) stay as a backstop.
- **No sandbox** (no bwrap, macOS, Windows): the tool refuses, naming the setting
  ``tools.python.unsandboxed``; when the person turned it on, the code runs as a plain child
  process (``python_executable()``, ``-I``, a scrubbed environment, per-process rlimits, its
  process group killed afterwards) with the person's full rights, and the approval gate asks
  about every call.
- **Evidence as data**: ``context.evidence`` (``{"E1": text}``) reaches the code as global
  ``str`` variables through the launcher's stdin (``app.sandbox.launcher``), never as source.
- **Time**: the ``tools.timeout`` setting minus a small margin, so this tool stops the code
  and reports what it printed before the worker's own timeout gives up on the call. That is
  also why the tool declares no timeout of its own.
- **Output**: stdout and stderr are drained by threads and at most ``OUTPUT_LIMIT_CHARS``
  characters of each are kept, so a child printing gigabytes cannot exhaust our memory.
"""

from __future__ import annotations

import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from app.errors import ToolError
from app.sandbox import unavailable_reason
from app.sandbox.bwrap import Interpreter, base_interpreter
from app.sandbox.launcher import LAUNCHER, payload
from app.sandbox.process import Sandbox, SandboxError
from app.sandbox.watch import Limits
from app.tools.registry import ToolContext, tool

DEFAULT_TIMEOUT = 30.0
TIMEOUT_MARGIN = 1.0
MEMORY_LIMIT_BYTES = 512 * 1024 * 1024
FILE_SIZE_LIMIT_BYTES = 50 * 1024 * 1024
WRITTEN_LIMIT_BYTES = 200 * 1024 * 1024
PROCESS_LIMIT = 64
OUTPUT_LIMIT_CHARS = 20_000
POLL_INTERVAL = 0.05
UNSANDBOXED_SETTING = "tools.python.unsandboxed"

_CHUNK = 64 * 1024
_NPROC_HEADROOM = 8
_THREAD_CAPS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@tool(name="python", risk="write", evidence_as="python")
def run_python(code: str, network: bool = False, *, context: ToolContext) -> str:
    """Run Python code in a separate process and return what it prints.

    The code runs with the workspace folder as its working folder, a time limit and a
    memory limit; print the results you need.

    Args:
        code: A complete Python 3 program; use print() to show results.
        network: Allow network access for this call.
    """
    if context.cancel.is_set():
        raise ToolError("cancelled before the code started")
    try:
        source = payload(_checked(code), dict(context.evidence))
    except ValueError as exc:
        raise ToolError(str(exc)) from None
    workspace = Path(context.workspace)
    limit = time_limit(context.settings)
    reason = unavailable_reason()
    if reason is None:
        interpreter = _sandbox_interpreter()
        _refuse_exposing_app_folders(workspace, interpreter, context.settings)
        workspace.mkdir(parents=True, exist_ok=True)
        run = _Run(_start_sandboxed(workspace, interpreter, limit, network), source)
    elif unsandboxed_allowed(context.settings):
        workspace.mkdir(parents=True, exist_ok=True)
        run = _Run(_start_plain(workspace, limit), source)
    else:
        raise ToolError(
            f"the python tool runs code only in a sandbox and there is none: {reason}. "
            f'To run code with your full rights instead, turn on "run code without a sandbox" '
            f"({UNSANDBOXED_SETTING}) in Settings."
        )
    run.wait(limit, context.cancel)
    return run.report(limit)


def unsandboxed_allowed(settings: Any) -> bool:
    """Whether the person turned on running code without a sandbox (off when unknown)."""
    try:
        return bool(settings.get(UNSANDBOXED_SETTING))
    except Exception:  # no settings, or an app without that option: the safe answer
        return False


def python_executable() -> str:
    """The interpreter that runs code outside a sandbox.

    ``sys.executable`` when we run from source; in a frozen (PyInstaller) build that is the
    app itself, so a ``python3`` or ``python`` found on PATH is used instead.
    """
    if sys.executable and not getattr(sys, "frozen", False):
        return sys.executable
    for name in ("python3", "python"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolError(
        "the python tool needs a Python 3 interpreter on PATH and none was found; "
        "install Python 3 to use it"
    )


def time_limit(settings: Any) -> float:
    """Seconds the code may run: the tools.timeout setting, less a margin to report in."""
    total = float(settings.get("tools.timeout")) if settings is not None else DEFAULT_TIMEOUT
    return total - min(TIMEOUT_MARGIN, total * 0.2)


def child_environment(workspace: Path) -> dict[str, str]:
    """The few variables the code gets; nothing else of ours (tokens, keys) is passed on."""
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(workspace), **_THREAD_CAPS}
    for name in ("LANG", "SYSTEMROOT"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    if os.name == "nt":
        env["USERPROFILE"] = str(workspace)
    return env


def _checked(code: str) -> str:
    if not code.strip():
        raise ToolError("there is no code to run")
    try:
        code.encode("utf-8")
    except UnicodeEncodeError:
        raise ToolError("the code holds characters that are not valid UTF-8") from None
    return code


def _sandbox_interpreter() -> Interpreter:
    try:
        return base_interpreter()
    except FileNotFoundError:
        raise ToolError(
            "the python tool needs a Python 3 interpreter on PATH and none was found; "
            "install Python 3 to use it"
        ) from None


def _refuse_exposing_app_folders(workspace: Path, interpreter: Interpreter, settings: Any) -> None:
    """What the sandbox shows must not hold the app's config or data, nor the whole home.

    A workspace holding (or inside) them would let code change policies and tools; an
    interpreter installed so that its folder holds them (``~/.local``) would let code read
    them.
    """
    paths = getattr(settings, "paths", None)
    if paths is None:
        from app.paths import Paths

        paths = Paths.from_env()
    ours = [paths.config.resolve(), paths.data.resolve()]
    shown = workspace.resolve()
    for folder in ours:
        if shown.is_relative_to(folder) or folder.is_relative_to(shown):
            raise ToolError(
                f"the workspace {workspace} overlaps the app's own folder {folder}; "
                "choose a workspace apart from it to run code"
            )
    prefix = Path(interpreter.prefix)
    if any(folder.is_relative_to(prefix) for folder in [*ours, Path.home().resolve()]):
        raise ToolError(
            f"the Python installed in {prefix} cannot be shown to the sandbox: that folder "
            "holds your home or the app's own files; install Python system-wide to run code"
        )


def _launcher_arguments(limit: float, *, processes: int) -> list[str]:
    cpu = math.ceil(limit) + 1
    limits = (MEMORY_LIMIT_BYTES, cpu, FILE_SIZE_LIMIT_BYTES, processes)
    return ["-I", "-u", "-X", "utf8", "-c", LAUNCHER, *(str(value) for value in limits)]


def _nproc_counts_per_namespace() -> bool:
    """RLIMIT_NPROC counts per user namespace from Linux 5.14; before, all the person's."""
    try:
        major, minor = (int(part) for part in platform.release().split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (5, 14)


def _start_sandboxed(
    workspace: Path, interpreter: Interpreter, limit: float, network: bool
) -> _Child:
    # the watcher must see the limit reached to name it; the rlimit, a little above it, is
    # the hard stop between two scans (for every host user but root, whom the kernel exempts)
    processes = PROCESS_LIMIT + _NPROC_HEADROOM if _nproc_counts_per_namespace() else 0
    limits = Limits(
        processes=PROCESS_LIMIT,
        memory_bytes=MEMORY_LIMIT_BYTES,
        cpu_seconds=math.ceil(limit) + 1,
        written_bytes=WRITTEN_LIMIT_BYTES,
    )
    inner = [interpreter.executable, *_launcher_arguments(limit, processes=processes)]
    try:
        sandbox = Sandbox.start(
            inner, workspace=workspace, interpreter=interpreter, network=network, limits=limits
        )
    except SandboxError as exc:
        raise ToolError(f"could not start the sandbox: {exc}") from None
    return _Child(sandbox.process, sandbox)


def _start_plain(workspace: Path, limit: float) -> _Child:
    """Start the launcher as a plain child process, which then waits for the code on stdin."""
    command = [python_executable(), *_launcher_arguments(limit, processes=0)]
    group: dict[str, Any] = (
        {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        if os.name == "nt"
        else {"start_new_session": True}
    )
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=workspace,
            env=child_environment(workspace),
            close_fds=True,
            **group,
        )
    except OSError as exc:
        raise ToolError(f"could not start Python: {exc.strerror or exc}") from None
    return _Child(process, None)


@dataclass
class _Child:
    """The started process, and its sandbox when it runs in one."""

    process: subprocess.Popen[bytes]
    sandbox: Sandbox | None


@dataclass
class _Capture:
    """Drains one pipe on a thread, keeping only the first part of what comes through."""

    stream: IO[bytes]
    kept: bytearray = field(default_factory=bytearray)
    total: int = 0
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        keep = OUTPUT_LIMIT_CHARS * 4  # UTF-8 takes at most 4 bytes a character
        fd = self.stream.fileno()
        while chunk := os.read(fd, _CHUNK):
            self.total += len(chunk)
            if len(self.kept) < keep:
                self.kept += chunk[: keep - len(self.kept)]

    def finish(self) -> None:
        """Wait for the pipe's end; a process that left our group may keep it open."""
        assert self.thread is not None
        self.thread.join(timeout=2.0)
        if not self.thread.is_alive():
            self.stream.close()

    def text(self) -> str:
        text = self.kept.decode("utf-8", errors="replace")
        if len(text) > OUTPUT_LIMIT_CHARS or self.total > len(self.kept):
            return (
                f"{text[:OUTPUT_LIMIT_CHARS]}\n[output cut after {OUTPUT_LIMIT_CHARS} "
                f"characters; {self.total:,} bytes in all]"
            )
        return text


class _Run:
    """One child process: its output captures, how it ended, and the report."""

    def __init__(self, child: _Child, source: bytes):
        self.process = child.process
        self.sandbox = child.sandbox
        self.source = source
        self.stopped: str | None = None  # "timeout" | "cancelled" | "limit" when we killed it
        self.broken: str | None = None  # the tree limit that made us stop it
        assert self.process.stdout is not None and self.process.stderr is not None
        self.stdout = _Capture(self.process.stdout)
        self.stderr = _Capture(self.process.stderr)
        self.stdout.start()
        self.stderr.start()

    def wait(self, limit: float, cancel: threading.Event) -> None:
        """Feed the code, then wait for the end, the time limit, a tree limit or cancellation."""
        deadline = time.monotonic() + limit
        self._feed()
        try:
            while not self._ended(POLL_INTERVAL):
                if cancel.is_set():
                    self.stopped = "cancelled"
                elif time.monotonic() >= deadline:
                    self.stopped = "timeout"
                elif self.sandbox is not None and (broken := self.sandbox.check()):
                    self.stopped, self.broken = "limit", broken
                if self.stopped:
                    self._kill()
                    self.process.wait()
                    break
        finally:
            self._kill()  # whatever the code left running (its group, or its sandbox)
            if self.sandbox is not None:
                self.process.wait()
                self.sandbox.close()
        for capture in (self.stdout, self.stderr):
            capture.finish()

    def _ended(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the child; returns as soon as it exits."""
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def _kill(self) -> None:
        if self.sandbox is not None:
            self.sandbox.kill()
        elif os.name != "nt" or self.process.poll() is None:
            _kill_tree(self.process)

    def _feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(self.source)
            stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the child died at start; its stderr says why

    def report(self, limit: float) -> str:
        """Stdout, stderr and how the run ended, as one text; ToolError when we stopped it."""
        parts = [self.stdout.text().rstrip("\n")]
        errors = self.stderr.text().rstrip("\n")
        if errors:
            parts.append(f"stderr:\n{errors}")
        ending = self._ending(limit, errors)
        if ending:
            parts.append(ending)
        text = "\n".join(part for part in parts if part)
        if self.stopped:
            raise ToolError(text)
        return text or "the code ran and printed nothing"

    def _ending(self, limit: float, errors: str) -> str:
        code = self.process.returncode
        memory = f"{MEMORY_LIMIT_BYTES // (1024 * 1024)} MB"
        if self.stopped == "timeout":
            return f"stopped after {limit:g} s (time limit)"
        if self.stopped == "cancelled":
            return "cancelled"
        if self.stopped == "limit":
            return f"stopped: the code {self.broken}"
        if code == 0:
            return ""
        if code < 0:
            return _signal_reason(-code, memory)
        if errors.rsplit("\n", 1)[-1].startswith("MemoryError"):
            return f"exit code {code}: the code ran out of its {memory} memory limit"
        if self.sandbox is not None and code > 128 and code - 128 in _SIGNALS:
            return _signal_reason(code - 128, memory)  # bwrap passes a signal on as 128 + n
        return f"exit code {code}"


_SIGNALS = {int(number) for number in signal.Signals}


def _signal_reason(number: int, memory: str) -> str:
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    if name == "SIGXCPU":
        return f"killed by {name}: the code used up its CPU-time limit"
    if name == "SIGXFSZ":
        return f"killed by {name}: the code wrote a file over the size limit"
    if name in ("SIGKILL", "SIGSEGV", "SIGABRT", "SIGBUS"):
        return f"killed by {name}; it may have run out of its {memory} memory limit"
    return f"killed by {name}"


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    """Kill the child and every process it started (its group; its tree on Windows)."""
    if os.name == "nt":
        subprocess.run(
            ["taskkill", "/T", "/F", "/PID", str(process.pid)], capture_output=True, check=False
        )
        process.kill()
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
