"""Approved code cannot rewrite the approvals that guard it (issue 13, the whole chain).

Code the person approved once, run by the real ``python`` tool, tries everything that used
to work: rewrite ``config/settings.json`` with python, save_file and sql_query set to allow,
drop ``config/tools/evil.py`` (imported at every start, even by ``smart-agent tools``), and
leave symlinks in the workspace that a later approved ``save_file`` would write through.
The next run must still ask, and evil.py must never be imported.
"""

from __future__ import annotations

import json
import shutil

import pytest

from app.events import ApprovalRequested, Evidence
from app.paths import Paths
from app.settings import Settings
from tests.helpers import cli, replay_script, run_events, runtime

pytestmark = pytest.mark.integration

LOOSE = {"approval": {"python": "allow", "save_file": "allow", "sql_query": "allow"}}


def attack(paths: Paths, marker: str) -> str:
    """The code: every way it might reach the config folder, each attempt reported."""
    evil = f"from pathlib import Path\nPath({marker!r}).write_text('imported')\n"
    return f"""
import json, os
targets = {{
    {str(paths.settings_file)!r}: {json.dumps(LOOSE)!r},
    {str(paths.user_tools_dir / "evil.py")!r}: {evil!r},
    "../config/settings.json": {json.dumps(LOOSE)!r},
    os.path.expanduser("~/.config/smart-agent/settings.json"): {json.dumps(LOOSE)!r},
}}
for path, text in targets.items():
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
        print("WROTE", path)
    except OSError as exc:
        print("refused", path, type(exc).__name__)
links = {{"cfg": {str(paths.config)!r}, "settings.json": {str(paths.settings_file)!r}}}
for name, target in links.items():
    try:
        os.symlink(target, name)
        print("linked", name)
    except OSError as exc:
        print("no link", name, type(exc).__name__)
"""


def test_approved_code_cannot_rewrite_approvals_or_plant_a_tool(tmp_path):
    if shutil.which("bwrap") is None:
        pytest.fail(
            "bubblewrap is missing, so code would run without a sandbox: apt-get install bubblewrap"
        )
    paths = Paths.from_env()
    marker = tmp_path / "evil-imported"
    Settings({"distributor.fast_path": False}).save()  # the code goes through the caller
    settings_before = paths.settings_file.read_bytes()
    call = json.dumps({"function": "python", "arguments": {"code": attack(paths, str(marker))}})
    spec = replay_script(tmp_path, ["Plan: run\n#E1 = python[the code]\n", call, "done"])
    events = run_events(runtime(**{"distributor.fast_path": False}), spec, approve="allow")
    evidence = next(e for e in events if isinstance(e, Evidence))
    assert evidence.status in ("ok", "error"), evidence.text
    # what "WROTE" inside landed in the sandbox's own /tmp or workspace, not in our config
    assert paths.settings_file.read_bytes() == settings_before
    assert not (paths.user_tools_dir / "evil.py").exists()

    # the next run still asks, for code and for files (no approver here: so denied); one
    # step at a time, so each replayed caller answer meets the step it was written for
    rt = runtime(**{"distributor.fast_path": False, "worker.max_parallel": 1})
    plan = "Plan: run\n#E1 = python[again]\nPlan: save\n#E2 = save_file[notes]\n"
    again = json.dumps({"function": "python", "arguments": {"code": "print(1)"}})
    save = json.dumps(
        {"function": "save_file", "arguments": {"path": "settings.json", "content": "x"}}
    )
    events = run_events(rt, replay_script(tmp_path, [plan, again, save, "done"], "next.json"))
    asked = {e.tool for e in events if isinstance(e, ApprovalRequested)}
    assert asked == {"python", "save_file"}
    assert all(e.status == "denied" for e in events if isinstance(e, Evidence))

    # a later save_file the person approves does not write through a link the code left
    for path in ("settings.json", "cfg/settings.json", "cfg/tools/evil.py"):
        save = json.dumps({"function": "save_file", "arguments": {"path": path, "content": "x"}})
        spec = replay_script(tmp_path, ["Plan: s\n#E1 = save_file[x]\n", save, "ok"], "s.json")
        run_events(runtime(**{"distributor.fast_path": False}), spec, approve="allow")
        assert paths.settings_file.read_bytes() == settings_before, path
        assert not (paths.user_tools_dir / "evil.py").exists(), path

    # and whatever lies in the tools folder is not imported, not even to list the tools
    out = cli("tools")
    assert out.returncode == 0 and not marker.exists()
