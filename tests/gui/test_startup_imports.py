"""Start-up (issue 15): nothing of the model stack is imported before the window's first paint.

The app is started as people start it (``python -m ui.main``, a fresh process) with
``SMART_AGENT_REPORT_SHOWN=quit``: it prints ``window_shown_epoch`` right after the first
paint and quits. An import hook in that process notes every module imported before then,
and logs a line while the window is being built, which the log file (opened after the
paint) must still get.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
MODEL_STACK = (
    "llama_cpp", "numpy", "requests", "app.llm", "app.agents", "app.tools.builtin",
    "app.cli", "ui.run_worker", "ui.desktop",
)  # fmt: skip
AFTER_PAINT = ("logging.handlers", "socket")  # the log file's handler: opened after the paint
PROBE = """
import sys
seen = []
class Watch:
    def find_spec(self, name, path=None, target=None):
        seen.append(name)
        if name == "ui.main_window":
            import logging
            logging.getLogger("probe").warning("logged while the window is built")
class Err:
    def __init__(self, real):
        self.real = real
    def write(self, text):
        if text.startswith("window_shown_epoch"):
            self.real.write("before_paint: " + ",".join(seen) + "\\n")
        return self.real.write(text)
    def __getattr__(self, name):
        return getattr(self.real, name)
sys.meta_path.insert(0, Watch())
sys.stderr = Err(sys.stderr)
from ui.main import main
sys.exit(main([]))
"""


def test_the_window_paints_before_the_model_stack_is_imported(smart_agent_home):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SMART_AGENT_REPORT_SHOWN": "quit",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(x for x in out.stderr.splitlines() if x.startswith("before_paint: "))
    before = line.partition(": ")[2].split(",")
    assert "PySide6.QtWidgets" in before and "ui.main_window" in before
    early = [m for m in before if any(m == s or m.startswith(s + ".") for s in MODEL_STACK)]
    assert early == [], early
    assert [m for m in AFTER_PAINT if m in before] == []
    assert "window_shown_epoch" in out.stderr
    log = (smart_agent_home / "logs" / "smart-agent.log").read_text(encoding="utf-8")
    assert log.count("WARNING probe: logged while the window is built") == 1, log
    assert "logged while the window is built" not in out.stderr  # the file had it, not stderr
