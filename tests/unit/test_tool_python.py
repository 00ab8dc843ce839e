"""The python tool with real child processes: output, limits, cancellation, isolation.

These run the plain child process, the path taken where there is no sandbox and the person
turned on ``tools.python.unsandboxed``; tests/integration/test_sandbox.py runs the same tool
in the bubblewrap sandbox and attacks it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from app.errors import ToolError
from app.settings import Settings
from app.tools import python_exec
from app.tools.python_exec import (
    OUTPUT_LIMIT_CHARS,
    python_executable,
    run_python,
    time_limit,
    unsandboxed_allowed,
)
from app.tools.registry import ToolContext, tool_from_function

posix_only = pytest.mark.skipif(os.name == "nt", reason="rlimits and process groups are POSIX")


@pytest.fixture(autouse=True)
def plain_child(monkeypatch):
    """No sandbox here, and the person allowed code without one."""
    monkeypatch.setattr(python_exec, "unavailable_reason", lambda: "no sandbox in unit tests")
    monkeypatch.setattr(python_exec, "unsandboxed_allowed", lambda settings: True)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def context(ws: Path) -> ToolContext:
    return ToolContext(workspace=ws, settings=Settings({"tools.timeout": 2.0}))


def alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie waiting for a reaper counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False
    return True


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return not alive(pid)


def test_schema_names_the_tool_python_with_code_and_an_optional_network_switch():
    tool = tool_from_function(run_python)
    assert tool.name == "python"
    assert tool.risk == "write"
    assert tool.parameters["required"] == ["code"]
    assert tool.parameters["properties"]["network"] == {
        "type": "boolean",
        "description": "Allow network access for this call.",
        "default": False,
    }
    assert tool.fast_path_argument == "code"
    assert tool.timeout is None  # the tools.timeout setting, which time_limit stays under


def test_without_a_sandbox_the_tool_refuses_naming_the_setting(ws, monkeypatch):
    monkeypatch.setattr(python_exec, "unsandboxed_allowed", lambda settings: False)
    context = ToolContext(workspace=ws, settings=Settings({"tools.timeout": 2.0}))
    with pytest.raises(ToolError) as caught:
        run_python("open('ran.txt', 'w').write('x')", context=context)
    message = str(caught.value)
    assert "\n" not in message
    assert "no sandbox in unit tests" in message
    assert '"run code without a sandbox" (tools.python.unsandboxed)' in message
    assert not (ws / "ran.txt").exists()


def test_unsandboxed_is_off_unless_the_setting_says_so():
    class Only:
        def __init__(self, value):
            self.value = value

        def get(self, name):
            if name != "tools.python.unsandboxed" or self.value is None:
                raise KeyError(name)
            return self.value

    assert unsandboxed_allowed(Only(True)) is True
    assert unsandboxed_allowed(Only(False)) is False
    assert unsandboxed_allowed(Only(None)) is False  # an app without the option
    assert unsandboxed_allowed(None) is False


def test_evidence_arrives_as_string_variables_never_as_source(ws):
    hostile = "'''\"); open('pwned.txt', 'w').write('x'); (\"'''"
    context = ToolContext(
        workspace=ws,
        settings=Settings({"tools.timeout": 2.0}),
        evidence={"E1": hostile, "E2": "line one\nline two"},
    )
    result = run_python("print(type(E1).__name__, E1 == E1)\nprint(E2)", context=context)
    assert result == "str True\nline one\nline two"
    assert not (ws / "pwned.txt").exists()


def test_evidence_names_must_be_e_numbers(ws):
    context = ToolContext(
        workspace=ws, settings=Settings({"tools.timeout": 2.0}), evidence={"__builtins__": "x"}
    )
    with pytest.raises(ToolError, match="E1, E2"):
        run_python("print(1)", context=context)


def test_prints_output(context):
    assert run_python("print(6 * 7)\nprint('ünï')", context=context) == "42\nünï"


def test_silent_code_says_so(context):
    assert run_python("x = 1", context=context) == "the code ran and printed nothing"


def test_nonzero_exit_and_stderr_are_reported(context):
    result = run_python("import sys\nprint('before')\nsys.exit(3)", context=context)
    assert result == "before\nexit code 3"
    result = run_python("print('partial')\n1 / 0", context=context)
    assert result.startswith("partial\nstderr:\nTraceback")
    assert 'File "<code>", line 2' in result and "1 / 0" in result
    assert "ZeroDivisionError" in result and result.endswith("exit code 1")
    assert "_run" not in result  # the launcher's frames are not shown


def test_syntax_error_is_reported(context):
    result = run_python("x = (", context=context)
    assert "SyntaxError" in result and result.endswith("exit code 1")


def test_cwd_and_home_are_the_workspace(ws, context):
    result = run_python(
        "import os, pathlib\n"
        "pathlib.Path('made.txt').write_text('here')\n"
        "print(os.getcwd())\nprint(os.path.expanduser('~'))",
        context=context,
    )
    assert result.splitlines() == [str(ws), str(ws)]
    assert (ws / "made.txt").read_text() == "here"


def test_environment_does_not_leak_secrets(context, monkeypatch):
    monkeypatch.setenv("SMART_AGENT_TEST_SECRET", "hunter2-token")
    monkeypatch.setenv("PYTHONPATH", "/nowhere")
    result = run_python("import os, sys\nprint(dict(os.environ))\nprint(sys.path)", context=context)
    assert "hunter2-token" not in result
    assert "SMART_AGENT_TEST_SECRET" not in result
    assert "/nowhere" not in result


def test_stdin_is_closed(context):
    result = run_python("import sys\nprint(repr(sys.stdin.read()))\ninput()", context=context)
    assert result.startswith("''\n")
    assert "EOFError" in result


def test_output_is_capped(context):
    result = run_python(
        "import sys\nsys.stdout.write('o' * 3_000_000)\nsys.stderr.write('e' * 3_000_000)",
        context=context,
    )
    assert len(result) < 3 * OUTPUT_LIMIT_CHARS
    assert result.count("[output cut after 20000 characters; 3,000,000 bytes in all]") == 2
    assert "o" * OUTPUT_LIMIT_CHARS in result and "e" * OUTPUT_LIMIT_CHARS in result


def test_timeout_stops_the_code_with_its_output_so_far(context):
    never_ends = "import threading\nprint('started', flush=True)\nthreading.Event().wait()"
    with pytest.raises(ToolError) as caught:  # returning at all means it was stopped
        run_python(never_ends, context=context)
    assert str(caught.value) == "started\nstopped after 1.6 s (time limit)"


@posix_only
def test_timeout_kills_grandchildren(ws, context):
    code = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "open('grandchild.pid', 'w').write(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    with pytest.raises(ToolError, match="time limit"):
        run_python(code, context=context)
    pid = int((ws / "grandchild.pid").read_text())
    assert gone_within(pid, 30.0)  # returns as soon as it is


@posix_only
def test_background_process_left_behind_is_killed(ws, context):
    code = (
        "import subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'],\n"
        "                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(child.pid)\n"
    )
    pid = int(run_python(code, context=context))
    assert gone_within(pid, 30.0)  # returns as soon as it is


@posix_only
def test_memory_limit_is_explained(context):
    result = run_python("block = bytearray(2 * 1024 ** 3)\nprint('allocated')", context=context)
    assert "allocated" not in result
    assert "MemoryError" in result
    assert result.endswith("the code ran out of its 512 MB memory limit")


@posix_only
def test_file_size_limit(ws, context):
    result = run_python("open('big.bin', 'wb').write(b'0' * (60 * 1024 * 1024))", context=context)
    assert "File too large" in result
    assert (ws / "big.bin").stat().st_size <= 50 * 1024 * 1024


@posix_only
def test_killed_by_signal_is_explained(context):
    result = run_python("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", context=context)
    assert result.startswith("killed by SIGSEGV")


def test_cancel_from_another_thread_stops_running_code(ws):
    context = ToolContext(workspace=ws, settings=Settings())  # 30 s: only cancel can stop it
    done = threading.Event()

    def cancel_once_running() -> None:  # as Stop does: from another thread, mid-run
        while not (ws / "running").exists() and not done.wait(0.01):
            pass
        context.cancel.set()

    canceller = threading.Thread(target=cancel_once_running)
    canceller.start()
    try:
        with pytest.raises(ToolError) as caught:
            run_python(
                "import threading\nopen('running', 'w').close()\nthreading.Event().wait()",
                context=context,
            )
    finally:
        done.set()
        canceller.join()
    assert str(caught.value) == "cancelled"


def test_cancel_before_start_runs_nothing(ws, context):
    context.cancel.set()
    with pytest.raises(ToolError, match="cancelled"):
        run_python("open('ran.txt', 'w').write('x')", context=context)
    assert not (ws / "ran.txt").exists()


def test_empty_code_is_refused(context):
    with pytest.raises(ToolError, match="no code"):
        run_python("  \n", context=context)


def test_time_limit_stays_under_the_tools_timeout():
    assert time_limit(Settings()) == 29.0
    assert time_limit(Settings({"tools.timeout": 2.0})) == pytest.approx(1.6)
    assert 0 < time_limit(Settings({"tools.timeout": 0.1})) < 0.1


def test_python_executable_from_source_is_ours():
    assert python_executable() == sys.executable


@posix_only
def test_frozen_app_uses_python_from_path(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "python3"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("PATH", str(fake.parent))
    assert python_executable() == str(fake)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ToolError, match="needs a Python 3 interpreter on PATH"):
        python_executable()


@pytest.fixture
def fresh_probe():
    from app.sandbox import bwrap

    bwrap.unavailable_reason.cache_clear()
    yield bwrap.unavailable_reason
    bwrap.unavailable_reason.cache_clear()


@posix_only
def test_no_sandbox_reason_names_the_package_or_the_version(tmp_path, monkeypatch, fresh_probe):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert fresh_probe() == "bubblewrap (bwrap) is not installed; install the package `bubblewrap`"
    fresh_probe.cache_clear()
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'bwrap: Unknown option --disable-userns' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    assert fresh_probe() == (
        "bubblewrap is too old for the sandbox (0.8 or newer needed): "
        "bwrap: Unknown option --disable-userns"
    )
    fresh_probe.cache_clear()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert "only on Linux" in fresh_probe()
