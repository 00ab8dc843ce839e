"""A fatal error leaves a crash report in logs/ that the next start can offer (issue 15)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app import crash
from app.paths import Paths

ROOT = Path(__file__).resolve().parents[2]


def _child(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    program = (
        "from app.paths import Paths\n"
        "from app.runtime import setup_logging\n"
        "import logging\n"
        "setup_logging(Paths.from_env())\n"
        "logging.getLogger('smart_agent.test').info('about to %s', 'stop')\n" + code
    )
    env = {**os.environ, "SMART_AGENT_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_segfault_leaves_a_report_with_the_stacks_and_the_log_tail(smart_agent_home):
    result = _child("import ctypes\nctypes.string_at(0)\n", smart_agent_home)
    assert result.returncode != 0
    logs = Paths.from_env().logs
    faults = list(logs.glob("fault-*.txt"))
    assert len(faults) == 1 and faults[0].stat().st_size > 0

    reports = crash.collect_reports(logs)
    assert len(reports) == 1 and not list(logs.glob("fault-*.txt"))
    text = reports[0].read_text(encoding="utf-8")
    assert "Segmentation fault" in text
    assert "string_at" in text  # the Python stack of the thread that crashed
    assert "about to stop" in text  # the end of the log
    assert "Python " in text and "cores" in text  # version and platform
    assert crash.collect_reports(logs) == []  # offered once


def test_an_abort_leaves_a_report_too(smart_agent_home):
    result = _child("import os\nos.abort()\n", smart_agent_home)
    assert result.returncode != 0
    reports = crash.collect_reports(Paths.from_env().logs)
    assert len(reports) == 1
    assert "Aborted" in reports[0].read_text(encoding="utf-8")


def test_a_clean_exit_leaves_nothing(smart_agent_home):
    result = _child("print('fine')\n", smart_agent_home)
    assert result.returncode == 0, result.stderr
    logs = Paths.from_env().logs
    assert not list(logs.glob("fault-*.txt"))
    assert crash.collect_reports(logs) == []


def test_the_fault_file_of_a_running_process_is_left_alone(tmp_path):
    live = tmp_path / f"fault-{os.getpid()}.txt"
    live.write_text("not ours to judge", encoding="utf-8")
    assert crash.collect_reports(tmp_path) == []
    assert live.exists()
