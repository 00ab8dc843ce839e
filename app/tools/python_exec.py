"""python: run a piece of Python code in a separate, limited process.

The code comes from a model, so it runs in a child interpreter, never in our process:

- **Interpreter**: ``python_executable()``. Under PyInstaller ``sys.executable`` is the frozen
  app, not Python, so a frozen build needs a real ``python3`` (or ``python``) on PATH; without
  one the tool says so instead of running anything.
- **Isolation**: ``-I`` (no PYTHON* variables, no user site-packages, the working folder is
  not on ``sys.path``), the workspace as working folder and as HOME, and an environment of
  only PATH, LANG, SYSTEMROOT (Windows) and thread caps for numeric libraries, so no token or
  key of ours reaches the code. The code arrives on stdin, which is at end-of-file once the
  code has been read, so ``input()`` fails fast instead of hanging.
- **Limits on POSIX**: a small launcher sets rlimits before running the code: address space
  (``MEMORY_LIMIT_BYTES``), CPU seconds (a backstop to the wall-clock limit) and file size
  (``FILE_SIZE_LIMIT_BYTES``). The child leads a new session; on timeout or cancellation,
  and after it exits, the whole process group is killed, so a grandchild does not outlive
  it. macOS does not enforce the address-space limit.
- **Windows**: the wall-clock limit and cancellation, killing the process tree with
  ``taskkill /T /F``; no memory, CPU or file-size limit (a Job Object would be needed).
- **Time**: the ``tools.timeout`` setting minus a small margin, so this tool stops the code
  and reports what it printed before the worker's own timeout gives up on the call. That is
  also why the tool declares no timeout of its own.
- **Output**: stdout and stderr are drained by threads and at most ``OUTPUT_LIMIT_CHARS``
  characters of each are kept, so a child printing gigabytes cannot exhaust our memory.
"""

from __future__ import annotations

import math
import os
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
from app.tools.registry import ToolContext, tool

DEFAULT_TIMEOUT = 30.0
TIMEOUT_MARGIN = 1.0
MEMORY_LIMIT_BYTES = 512 * 1024 * 1024
FILE_SIZE_LIMIT_BYTES = 50 * 1024 * 1024
OUTPUT_LIMIT_CHARS = 20_000
POLL_INTERVAL = 0.05

_CHUNK = 64 * 1024
_THREAD_CAPS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

# Runs in the child: set the limits given as arguments, read the code from stdin and run it
# as __main__, with tracebacks that show the code's lines and not this launcher's.
_LAUNCHER = r"""
import sys

def _limits(memory, cpu, fsize):
    try:
        import resource
    except ImportError:
        return
    for name, soft, hard in (("RLIMIT_AS", memory, memory), ("RLIMIT_CPU", cpu, cpu + 1),
                             ("RLIMIT_FSIZE", fsize, fsize)):
        kind = getattr(resource, name, None)
        if kind is None:
            continue
        current = resource.getrlimit(kind)[1]
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        try:
            resource.setrlimit(kind, (soft, hard))
        except (ValueError, OSError):
            pass

def _run():
    import linecache, traceback
    _limits(*(int(value) for value in sys.argv[1:4]))
    source = sys.stdin.buffer.read().decode("utf-8")
    linecache.cache["<code>"] = (len(source), None, source.splitlines(True), "<code>")
    sys.argv[:] = ["-c"]
    try:
        code = compile(source, "<code>", "exec")
    except SyntaxError as exc:
        sys.stderr.write("".join(traceback.format_exception_only(type(exc), exc)))
        sys.exit(1)
    try:
        exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
    except SystemExit:
        raise
    except BaseException as exc:
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next)
        sys.exit(1)

_run()
"""


@tool(name="python", risk="write")
def run_python(code: str, *, context: ToolContext) -> str:
    """Run Python code in a separate process and return what it prints.

    The code runs with the workspace folder as its working folder, a time limit and a
    memory limit; print the results you need.

    Args:
        code: A complete Python 3 program; use print() to show results.
    """
    if context.cancel.is_set():
        raise ToolError("cancelled before the code started")
    source = _encoded(code)
    workspace = Path(context.workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    limit = time_limit(context.settings)
    run = _Run(_start(workspace, limit), source)
    run.wait(limit, context.cancel)
    return run.report(limit)


def python_executable() -> str:
    """The interpreter that runs the code.

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


def _encoded(code: str) -> bytes:
    if not code.strip():
        raise ToolError("there is no code to run")
    try:
        return code.encode("utf-8")
    except UnicodeEncodeError:
        raise ToolError("the code holds characters that are not valid UTF-8") from None


def _start(workspace: Path, limit: float) -> subprocess.Popen[bytes]:
    """Start the child: the launcher, which then waits for the code on stdin."""
    cpu = math.ceil(limit) + 1
    command = [
        python_executable(),
        "-I",
        "-u",
        "-X",
        "utf8",
        "-c",
        _LAUNCHER,
        str(MEMORY_LIMIT_BYTES),
        str(cpu),
        str(FILE_SIZE_LIMIT_BYTES),
    ]
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
    return process


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

    def __init__(self, process: subprocess.Popen[bytes], source: bytes):
        self.process = process
        self.source = source
        self.stopped: str | None = None  # "timeout" | "cancelled" when we killed it
        assert process.stdout is not None and process.stderr is not None
        self.stdout = _Capture(process.stdout)
        self.stderr = _Capture(process.stderr)
        self.stdout.start()
        self.stderr.start()

    def wait(self, limit: float, cancel: threading.Event) -> None:
        """Feed the code, then wait for the end, the time limit or cancellation."""
        deadline = time.monotonic() + limit
        self._feed()
        while self.process.poll() is None:
            if cancel.wait(POLL_INTERVAL):
                self.stopped = "cancelled"
            elif time.monotonic() >= deadline:
                self.stopped = "timeout"
            if self.stopped:
                _kill_tree(self.process)
                self.process.wait()
                break
        if os.name != "nt":
            _kill_tree(self.process)  # whatever the code left running in its group
        for capture in (self.stdout, self.stderr):
            capture.finish()

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
        if code == 0:
            return ""
        if code < 0:
            return _signal_reason(-code, memory)
        if errors.rsplit("\n", 1)[-1].startswith("MemoryError"):
            return f"exit code {code}: the code ran out of its {memory} memory limit"
        return f"exit code {code}"


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
