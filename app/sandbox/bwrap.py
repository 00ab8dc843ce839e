"""The bubblewrap command line: what the code sees, and whether bwrap can run here at all.

Inside, the code finds ``/usr`` (and the ``/bin``, ``/lib*`` links or folders the distribution
has) read-only, the interpreter's own prefix read-only when it lives elsewhere (pyenv, /opt),
a few files of ``/etc`` that programs need to start (loader cache, time zone, certificates,
name resolution), a fresh ``/proc`` of its own PID namespace, a minimal ``/dev``, small
``/tmp`` and ``/dev/shm`` tmpfs, and the workspace read-write at ``/workspace``. The root
itself is read-only. Nothing else of the host exists in there: not the person's home, not
the app's config or data folders, not the host's ``/proc``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WORKSPACE = "/workspace"
TMP_SIZE_BYTES = 64 * 1024 * 1024
SHM_SIZE_BYTES = 16 * 1024 * 1024
PATH = "/usr/local/bin:/usr/bin:/bin"

# /etc entries programs need to start, resolve names and check certificates; no secrets
_ETC = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "alternatives",
    "ssl",
    "ca-certificates",
    "pki",
    "resolv.conf",
    "hosts",
    "nsswitch.conf",
    "gai.conf",
    "host.conf",
)
_TOP_LEVEL = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
_THREAD_CAPS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@functools.cache
def unavailable_reason() -> str | None:
    """None when code can run in a sandbox here; otherwise one plain line saying why not.

    The first call starts bwrap once with the sandbox's namespaces (a few milliseconds)
    to see that the kernel lets us create them; the answer is kept for the process.
    """
    if not sys.platform.startswith("linux"):
        return f"no sandbox for code on this system ({sys.platform}); it exists only on Linux"
    bwrap = bwrap_path()
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed; install the package `bubblewrap`"
    probe = [bwrap, *namespace_arguments(network=False), *_system_mounts(), "--", "/bin/true"]
    try:
        done = subprocess.run(probe, env={}, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not be started: {exc}"
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else f"exit code {done.returncode}"
        if "Unknown option" in detail:
            return f"bubblewrap is too old for the sandbox (0.8 or newer needed): {detail}"
        return f"bubblewrap cannot create a sandbox here (user namespaces disabled?): {detail}"
    return None


@dataclass(frozen=True)
class Interpreter:
    """The Python that runs inside: its executable and the folder it is installed in."""

    executable: str
    prefix: str


def base_interpreter() -> Interpreter:
    """The base interpreter (not a virtual environment, whose folder we would have to expose).

    A frozen build has no interpreter of its own, so it uses ``python3`` from PATH and takes
    the folder above its ``bin`` as the prefix.
    """
    if not getattr(sys, "frozen", False):
        executable = getattr(sys, "_base_executable", None) or sys.executable
        return Interpreter(os.path.realpath(executable), os.path.realpath(sys.base_prefix))
    for name in ("python3", "python"):
        found = shutil.which(name)
        if found:
            real = os.path.realpath(found)
            return Interpreter(real, str(Path(real).parent.parent))
    raise FileNotFoundError("no python3 on PATH")


def namespace_arguments(*, network: bool) -> list[str]:
    """New user, PID, IPC, UTS, cgroup (and network, unless asked for) namespaces.

    ``--disable-userns`` (bwrap 0.8) keeps the code from nesting namespaces of its own: a
    nested PID namespace would hide its processes from the watcher's sums.
    """
    arguments = ["--unshare-all", "--unshare-user", "--disable-userns"]
    if network:
        arguments.append("--share-net")
    arguments += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if os.geteuid() == 0:
        # bwrap started by root keeps every capability inside its namespace unless told not to
        arguments += ["--cap-drop", "ALL"]
    return arguments


def _system_mounts() -> list[str]:
    arguments = ["--ro-bind", "/usr", "/usr"]
    for name in _TOP_LEVEL:
        host = Path("/") / name
        if host.is_symlink():
            arguments += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            arguments += ["--ro-bind", str(host), str(host)]
    for name in _ETC:
        arguments += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return arguments


def _is_under(path: str, folders: Sequence[str]) -> bool:
    return any(Path(path).is_relative_to(folder) for folder in folders)


def sandbox_command(
    inner: Sequence[str],
    *,
    workspace: Path,
    interpreter: Interpreter,
    network: bool,
    info_fd: int,
    bwrap: str,
) -> list[str]:
    """The full bwrap command that runs ``inner`` (an argv valid inside the sandbox)."""
    arguments = [bwrap, *namespace_arguments(network=network), "--info-fd", str(info_fd)]
    arguments += _system_mounts()
    visible = ["/usr", *(f"/{name}" for name in _TOP_LEVEL)]
    for folder in (interpreter.prefix, str(Path(interpreter.executable).parent)):
        if not _is_under(folder, visible):
            arguments += ["--ro-bind", folder, folder]
            visible.append(folder)
    arguments += ["--proc", "/proc", "--dev", "/dev"]
    arguments += ["--size", str(SHM_SIZE_BYTES), "--tmpfs", "/dev/shm", "--remount-ro", "/dev"]
    arguments += ["--size", str(TMP_SIZE_BYTES), "--tmpfs", "/tmp"]
    arguments += ["--bind", str(workspace), WORKSPACE, "--chdir", WORKSPACE]
    arguments += ["--remount-ro", "/"]
    arguments += ["--clearenv", *_setenv(interpreter)]
    return [*arguments, "--", *inner]


def _setenv(interpreter: Interpreter) -> list[str]:
    variables = {
        "PATH": f"{Path(interpreter.executable).parent}:{PATH}",
        "HOME": WORKSPACE,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        **_THREAD_CAPS,
    }
    arguments: list[str] = []
    for name, value in variables.items():
        arguments += ["--setenv", name, value]
    return arguments
