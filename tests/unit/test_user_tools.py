"""User tools from the config directory: loaded, described, and broken files skipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from app.paths import Paths

GOOD = '''
from app.tools.registry import tool

@tool
def shout(text: str) -> str:
    """Shout the text back.

    Args:
        text: What to shout.
    """
    return text.upper() + "!"

def not_a_tool(x):
    return x
'''


def _write(name: str, content: str) -> None:
    folder = Paths.from_env().user_tools_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(content)


def test_user_tool_is_listed_and_broken_files_are_reported():
    _write("good.py", GOOD)
    _write("broken.py", "def oops(:\n")
    _write("exits.py", "import sys\nsys.exit(3)\n")
    _write("clash.py", GOOD.replace("def shout", "def llm").replace("@tool", "@tool"))
    out = subprocess.run([sys.executable, "-m", "app.cli", "tools", "--json"],
                         capture_output=True, text=True, env=os.environ.copy())
    assert out.returncode == 0
    tools = {t["name"]: t for t in json.loads(out.stdout)}
    assert tools["shout"]["parameters"]["required"] == ["text"]
    assert tools["shout"]["description"] == "Shout the text back."
    assert "not_a_tool" not in tools
    assert "skipped user tool file broken.py: SyntaxError" in out.stderr
    assert "skipped user tool file exits.py: SystemExit" in out.stderr
    assert "a tool named 'llm' already exists" in out.stderr


def test_user_tool_runs_in_a_plan(tmp_path):
    from tests.helpers import replay_script, run_events, runtime

    _write("good.py", GOOD)
    rt = runtime()
    events = run_events(rt, replay_script(tmp_path, ["Plan: s\n#E1 = shout[hello]\n", "ok"]))
    evidence = next(e for e in events if e.type == "evidence")
    assert evidence.status == "ok" and evidence.text == "HELLO!"
