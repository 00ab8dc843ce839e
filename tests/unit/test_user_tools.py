"""User tools from the config directory: imported only once trusted, then loaded and
described; broken files skipped; a new or changed file never imported."""

from __future__ import annotations

import hashlib
import json
import py_compile
import sys
from pathlib import Path

from app.paths import Paths
from app.policy_changes import recent
from app.settings import Settings
from tests.helpers import cli

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


def _write(name: str, content: str, *, trust: bool = True) -> Path:
    folder = Paths.from_env().user_tools_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content)
    if trust:
        settings = Settings.load()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        settings.set("tools.trusted", {**settings.get("tools.trusted"), name: digest})
        settings.save()
    return path


def _planted(marker: Path) -> str:
    """A tool file that leaves ``marker`` behind the moment it is imported."""
    return f"from pathlib import Path\nPath({str(marker)!r}).write_text('imported')\n" + GOOD


def test_user_tool_is_listed_and_broken_files_are_reported():
    _write("good.py", GOOD)
    _write("broken.py", "def oops(:\n")
    _write("exits.py", "import sys\nsys.exit(3)\n")
    _write("clash.py", GOOD.replace("def shout", "def llm"))
    out = cli("tools", "--json")
    assert out.returncode == 0
    tools = {t["name"]: t for t in json.loads(out.stdout)}
    assert tools["shout"]["parameters"]["required"] == ["text"]
    assert tools["shout"]["description"] == "Shout the text back."
    assert "not_a_tool" not in tools
    assert "skipped user tool file broken.py: SyntaxError" in out.stderr
    assert "skipped user tool file exits.py: SystemExit" in out.stderr
    assert "a tool named 'llm' already exists" in out.stderr


def test_user_tool_runs_in_a_plan(tmp_path):
    from app.runtime import Runtime
    from tests.helpers import replay_script, run_events

    _write("good.py", GOOD)
    rt = Runtime(Settings.load())
    events = run_events(rt, replay_script(tmp_path, ["Plan: s\n#E1 = shout[hello]\n", "ok"]))
    evidence = next(e for e in events if e.type == "evidence")
    assert evidence.status == "ok" and evidence.text == "HELLO!"


def test_a_planted_file_is_never_imported_until_trusted_and_again_after_a_change(tmp_path):
    marker = tmp_path / "imported.txt"
    path = _write("evil.py", _planted(marker), trust=False)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    out = cli("tools")  # even listing the tools used to import every file
    assert out.returncode == 0 and not marker.exists()
    assert "shout" not in out.stdout
    assert f"user tool file {path} is new and was not loaded (sha256 {digest})" in out.stderr
    assert "smart-agent tools trust evil.py" in out.stderr

    refused = cli("tools", "trust", "evil.py", "--sha256", "0" * 64)
    assert refused.returncode == 1 and "it was not trusted" in refused.stderr
    assert not marker.exists() and Settings.load().get("tools.trusted") == {}

    trusted = cli("tools", "trust", "evil")
    assert trusted.returncode == 0, trusted.stderr
    assert str(path) in trusted.stdout and digest in trusted.stdout  # shown before trusting
    assert not marker.exists()  # trusting does not run it; the next start does
    assert Settings.load().get("tools.trusted") == {"evil.py": digest}

    out = cli("tools")
    assert marker.read_text() == "imported" and "shout(text)" in out.stdout
    marker.unlink()

    path.write_text(_planted(marker) + "\n# one more line\n")
    out = cli("tools")
    assert not marker.exists() and "shout" not in out.stdout
    assert "changed since you trusted it and was not loaded" in out.stderr

    change = recent(Paths.from_env())[0]
    assert (change.setting, change.old, change.new) == ("tools.trusted.evil.py", None, digest)
    assert change.source == "smart-agent tools trust"
    listing = cli("approval").stdout
    assert "tools.trusted.evil.py: default → " + digest[:12] in listing


def test_untrust_stops_loading_and_is_recorded(tmp_path):
    marker = tmp_path / "imported.txt"
    _write("mine.py", _planted(marker))
    assert cli("tools", "untrust", "mine.py").returncode == 0  # (this start still loads it)
    assert Settings.load().get("tools.trusted") == {}
    marker.unlink()
    cli("tools")
    assert not marker.exists()
    assert recent(Paths.from_env())[0].source == "smart-agent tools untrust"


def test_a_planted_bytecode_cache_is_never_run(tmp_path):
    """What runs is the hashed source itself: an unchecked .pyc in __pycache__ (which
    Python's own loader would run without looking at the source) is ignored."""
    marker = tmp_path / "pyc-ran.txt"
    _write("good.py", GOOD)
    cache = Paths.from_env().user_tools_dir / "__pycache__"
    cache.mkdir()
    evil = tmp_path / "good.py"
    evil.write_text(_planted(marker))
    py_compile.compile(
        str(evil),
        cfile=str(cache / f"good.{sys.implementation.cache_tag}.pyc"),
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    out = cli("tools")
    assert "shout" in out.stdout and not marker.exists()
