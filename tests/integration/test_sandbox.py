"""The python tool's bubblewrap sandbox, attacked the way approved code would attack it.

Every test runs the real tool (``run_python`` with a real ToolContext, or the ToolRunner
with approval given) in the real sandbox, and asserts on the host what the code could not
do. Nothing waits on wall-clock margins: a run ends by itself or by a limit, and a process
that must be gone is shown gone by a lock it held being free again.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.errors import ToolError
from app.events import Evidence
from app.paths import Paths
from app.sandbox import unavailable_reason
from app.settings import Settings
from app.tools import python_exec
from app.tools.python_exec import run_python
from app.tools.registry import ToolContext

CANARY = "canary-6b1f0c"
GENEROUS = 60.0  # the time limit, only so that a broken sandbox fails instead of hanging


@pytest.fixture(autouse=True)
def sandbox_available():
    reason = unavailable_reason()
    if reason is not None:
        pytest.fail(f"{reason}. Install it with `apt-get install bubblewrap` (make system-deps).")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def context(ws: Path) -> ToolContext:
    return ToolContext(workspace=ws, settings=Settings({"tools.timeout": GENEROUS}))


def run(code: str, context: ToolContext, **arguments: object) -> str:
    """The tool's report, whether it returned it or raised it."""
    try:
        return run_python(code, context=context, **arguments)  # type: ignore[arg-type]
    except ToolError as exc:
        return f"ToolError: {exc}"


def attempt(action: str) -> str:
    """Code that prints OK or the exception's name for each action."""
    return (
        "def attempt(action):\n"
        "    try:\n"
        "        action()\n"
        "        return 'OK'\n"
        "    except Exception as exc:\n"
        "        return type(exc).__name__\n"
        f"{action}\n"
    )


# -- what ordinary code needs still works ---------------------------------------------------


def test_ordinary_code_computes_prints_writes_and_reads_evidence(ws):
    hostile = "'''); import socket; socket.create_connection(('1.1.1.1', 80)) #"
    context = ToolContext(
        workspace=ws, settings=Settings({"tools.timeout": GENEROUS}), evidence={"E1": hostile}
    )
    code = (
        "import os, pathlib\n"
        "primes = [n for n in range(2, 200) if all(n % d for d in range(2, n))]\n"
        "pathlib.Path('result.txt').write_text(str(sum(primes)))\n"
        "print(sum(primes), os.getcwd(), os.path.expanduser('~'))\n"
        "print(len(E1), E1.startswith(\"'''\"))\n"
    )
    expected = f"4227 /workspace /workspace\n{len(hostile)} True"
    assert run_python(code, context=context) == expected
    assert (ws / "result.txt").read_text() == "4227"


# -- what approved code must not do ----------------------------------------------------------


def test_files_outside_the_workspace_do_not_exist(tmp_path, context, monkeypatch):
    outside = tmp_path / "elsewhere" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text(CANARY)
    person = tmp_path / "person"
    (person / ".ssh").mkdir(parents=True)
    (person / ".ssh" / "id_ed25519").write_text(CANARY)
    monkeypatch.setenv("HOME", str(person))
    config = Paths.from_env().config
    config.mkdir(parents=True)
    (config / "settings.json").write_text(json.dumps({"note": CANARY}))
    real_home = Path.home()
    code = attempt(
        f"for path in {[str(outside), str(person / '.ssh' / 'id_ed25519')]!r} + "
        f"[{str(config / 'settings.json')!r}, '/root/.bash_history', '/etc/shadow']:\n"
        "    print(path, attempt(lambda: open(path).read()))\n"
        f"print(sorted(os.listdir({str(real_home)!r})) if os.path.isdir({str(real_home)!r}) "
        "else 'no home')\n"
    )
    result = run("import os\n" + code, context)
    assert CANARY not in result
    lines = result.splitlines()
    assert all(line.endswith("FileNotFoundError") for line in lines[:5]), result
    # the person's home holds at most the path to the interpreter, which is bound read-only
    interpreter_top = os.path.realpath(sys.base_prefix)
    if interpreter_top.startswith(str(real_home) + os.sep):
        first = Path(interpreter_top).relative_to(real_home).parts[0]
        assert lines[5] == str([first])
    else:
        assert lines[5] in ("no home", "[]")


def test_writing_outside_the_workspace_fails(tmp_path, context):
    config = Paths.from_env().config
    (config / "tools").mkdir(parents=True)
    targets = [
        tmp_path / "outside.txt",
        config / "settings.json",
        config / "tools" / "planted.py",
        Path("/etc/planted"),
        Path("/usr/planted"),
        Path("/planted"),
    ]
    code = attempt(
        f"for path in {[str(target) for target in targets]!r}:\n"
        "    print(attempt(lambda: open(path, 'w').write('x')))\n"
    )
    result = run(code, context)
    assert "OK" not in result, result
    assert len(result.splitlines()) == len(targets)
    for target in targets:
        assert not target.exists()


def test_a_workspace_overlapping_the_apps_folders_is_refused():
    paths = Paths.from_env()
    for workspace in (paths.config, paths.data / "runs", paths.config.parent):
        context = ToolContext(workspace=workspace, settings=Settings())
        with pytest.raises(ToolError, match="overlaps the app's own folder"):
            run_python("open('settings.json', 'w').write('{}')", context=context)
    assert not (paths.config / "settings.json").exists()
    assert not (paths.data / "runs").exists()


def test_no_network_unless_the_call_asks_for_it(context):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                connection.sendall(b"pong")

    threading.Thread(target=serve, daemon=True).start()
    code = attempt(
        "import socket\n"
        "def talk():\n"
        f"    with socket.create_connection(('127.0.0.1', {port}), timeout=10) as s:\n"
        "        print(s.recv(4).decode())\n"
        "print(attempt(talk))\n"
    )
    try:
        assert run(code, context) == "ConnectionRefusedError"
        assert run(code, context, network=True) == "pong\nOK"
    finally:
        server.close()


def test_the_parents_environment_and_memory_are_out_of_sight(context, monkeypatch):
    monkeypatch.setenv("SMART_AGENT_OPENAI_API_KEY", CANARY)
    ours = os.getpid()
    code = attempt(
        "import glob, os\n"
        f"print(attempt(lambda: open('/proc/{ours}/environ', 'rb').read()))\n"
        f"print(attempt(lambda: open('/proc/{ours}/mem', 'rb').read(1)))\n"
        f"print(attempt(lambda: open('/proc/{os.getppid()}/environ', 'rb').read()))\n"
        "for path in glob.glob('/proc/[0-9]*/environ'):\n"
        "    print(path, open(path, 'rb').read().replace(b'\\0', b' ').decode())\n"
        "print(dict(os.environ))\n"
    )
    result = run(code, context)
    assert CANARY not in result
    assert "SMART_AGENT" not in result
    assert result.splitlines()[:3] == ["FileNotFoundError"] * 3, result
    assert result.splitlines()[3] == "/proc/1/environ "  # bwrap itself: an empty environment


# -- nothing outlives a run ------------------------------------------------------------------

# a detached (setsid) child that holds a lock on a file in the workspace while it lives and
# appends to a heartbeat file; the code waits until it holds the lock
_DETACHED = (
    "import subprocess, sys, os\n"
    "child = '''\n"
    "import fcntl, os, time\n"
    "lock = open('held.lock', 'w')\n"
    "fcntl.flock(lock, fcntl.LOCK_EX)\n"
    "open('locked', 'w').close()\n"
    "while True:\n"
    "    with open('heartbeat', 'a') as beat:\n"
    "        beat.write('.')\n"
    "    time.sleep(0.01)\n"
    "'''\n"
    "subprocess.Popen([sys.executable, '-c', child], start_new_session=True,\n"
    "                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,\n"
    "                 stderr=subprocess.DEVNULL)\n"
    "while not os.path.exists('locked'):\n"
    "    pass\n"
    "print('detached child running')\n"
)


def lock_is_free(path: Path, wait: float = 0.0) -> bool:
    """Whether the lock a process held on ``path`` is free (within ``wait`` seconds)."""
    deadline = time.monotonic() + wait
    with open(path) as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.02)


def test_a_setsid_child_does_not_outlive_the_run(ws, context):
    assert run(_DETACHED, context) == "detached child running"
    assert lock_is_free(ws / "held.lock")  # at once: the run ends after its last process
    size = (ws / "heartbeat").stat().st_size
    time.sleep(0.3)
    assert (ws / "heartbeat").stat().st_size == size


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_the_sandbox_ends_when_the_app_is_told_to_end(ws, signum, tmp_path):
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})\n"
        "from pathlib import Path\n"
        "from app.settings import Settings\n"
        "from app.tools.python_exec import run_python\n"
        "from app.tools.registry import ToolContext\n"
        f"context = ToolContext(workspace=Path({str(ws)!r}), "
        "settings=Settings({'tools.timeout': 600.0}))\n"
        "run_python(sys.stdin.read(), context=context)\n"
    )
    app = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        env={**os.environ, "SMART_AGENT_HOME": str(tmp_path / "app-home")},
    )
    assert app.stdin is not None
    app.stdin.write((_DETACHED + "import time\ntime.sleep(600)\n").encode())
    app.stdin.close()
    try:
        while not (ws / "locked").exists():
            assert app.poll() is None, "the app ended before the code started"
            time.sleep(0.02)
        app.send_signal(signum)
        app.wait(timeout=60)
        assert lock_is_free(ws / "held.lock", wait=60)  # immediate when it works
    finally:
        app.kill()
        app.wait()


# -- limits on the whole tree ----------------------------------------------------------------


def test_a_tree_of_processes_over_the_memory_limit_is_stopped(context):
    code = (
        "import os, time\n"
        "for _ in range(4):\n"
        "    if os.fork() == 0:\n"
        "        block = b'x' * (200 * 1024 * 1024)\n"
        "        time.sleep(600)\n"
        "        os._exit(0)\n"
        "for _ in range(4):\n"
        "    os.wait()\n"
        "print('all four children finished')\n"
    )
    result = run(code, context)
    assert result.startswith("ToolError: stopped: the code used"), result
    assert result.endswith("over the 512 MB memory limit")


def test_bytes_written_by_the_tree_are_summed(context, monkeypatch):
    monkeypatch.setattr(python_exec, "WRITTEN_LIMIT_BYTES", 8 * 1024 * 1024)
    code = (
        "import os, time\n"
        "for n in range(4):\n"
        "    if os.fork() == 0:\n"
        "        with open(f'part{n}.bin', 'wb') as part:\n"
        "            part.write(os.urandom(4 * 1024 * 1024))\n"
        "        time.sleep(600)\n"
        "        os._exit(0)\n"
        "time.sleep(600)\n"
    )
    result = run(code, context)
    assert result.endswith("the code wrote more than 8 MB to disk (limit on bytes written)")


def test_a_fork_bomb_is_bounded(context):
    result = run("import os\nwhile True:\n    os.fork()\n", context)
    assert result.endswith("stopped: the code reached 64 processes (process limit)"), result


# -- through the worker, with approval given -------------------------------------------------


def test_approved_code_in_the_tool_runner_cannot_rewrite_settings_or_plant_tools(ws):
    from app.agents.worker import ToolRunner
    from app.tools.approval import ApprovalGate, Decision
    from app.tools.builtin import builtin_tools

    paths = Paths.from_env()
    paths.ensure()
    settings = Settings({"tools.timeout": GENEROUS}, paths=paths)
    settings.save()
    before = paths.settings_file.read_bytes()
    asked = []

    def approve(request):
        asked.append(request)
        return Decision(True, request.arguments)

    runner = ToolRunner(
        builtin_tools(),
        ApprovalGate(settings, approve),
        ToolContext(workspace=ws, settings=settings),
        lambda cls, **fields: cls(run_id="sandbox-test", t=0.0, **fields),
        GENEROUS,
    )
    code = attempt(
        "import json\n"
        f"settings = {str(paths.settings_file)!r}\n"
        "rules = {'approval': {'python': 'allow', 'save_file': 'allow'}}\n"
        "print(attempt(lambda: open(settings, 'w').write(json.dumps(rules))))\n"
        f"print(attempt(lambda: open({str(paths.user_tools_dir / 'planted.py')!r}, 'w')"
        ".write('import os')))\n"
        "print('evidence:', E1)\n"
    )
    evidence = runner.run(
        "E2", "python", {"code": code}, lambda event: None, evidence_used={"E1": "web page"}
    )
    assert isinstance(evidence, Evidence)
    assert len(asked) == 1
    assert evidence.status == "ok", evidence.text
    assert evidence.text == "FileNotFoundError\nFileNotFoundError\nevidence: web page"
    assert paths.settings_file.read_bytes() == before
    assert not (paths.user_tools_dir / "planted.py").exists()
