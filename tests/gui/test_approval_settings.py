"""Settings → Approval: running code unsandboxed, trusting user tool files, and the list of
every change with when and from where (each change made here is recorded too)."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Qt

from app.paths import Paths
from app.policy_changes import recent
from app.settings import Settings
from tests.gui.test_settings_dialog import click_ok, editor, open_dialog
from tests.helpers import cli


def test_running_code_unsandboxed_is_a_warned_checkbox_and_recorded(qtbot):
    dialog = open_dialog(qtbot)
    box = editor(dialog, "tools.python.unsandboxed")
    assert "full rights" in box.text() and not box.isChecked()
    page = box.parentWidget()
    assert dialog.tabs.tabText(dialog.tabs.indexOf(page)) == "A&pproval"
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    dialog.approval_table.combo("save_file").setCurrentText("allow")
    click_ok(qtbot, dialog)
    assert Settings.load().get("tools.python.unsandboxed") is True
    found = {c.setting: c for c in recent(Paths.from_env())}
    assert set(found) == {"tools.python.unsandboxed", "approval.save_file"}
    assert (found["tools.python.unsandboxed"].old, found["tools.python.unsandboxed"].new) == (
        False,
        True,
    )
    assert all(c.source == "settings dialog" for c in found.values())


def test_a_new_tool_file_is_listed_untrusted_and_trusted_by_ticking_it(qtbot):
    folder = Paths.from_env().user_tools_dir
    folder.mkdir(parents=True)
    path = folder / "planted.py"
    path.write_text("raise SystemExit('never imported here')\n")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    dialog = open_dialog(qtbot)
    table = dialog.trusted_table
    assert [table.item(0, c).text() for c in (1, 2, 3)] == [
        "planted.py",
        "new, not loaded",
        digest,
    ]
    box = table.box("planted.py")
    assert not box.isChecked()
    box.setChecked(True)
    click_ok(qtbot, dialog)
    assert Settings.load().get("tools.trusted") == {"planted.py": digest}
    change = recent(Paths.from_env())[0]
    assert (change.setting, change.new, change.source) == (
        "tools.trusted.planted.py",
        digest,
        "settings dialog",
    )


def test_the_change_list_shows_changes_from_everywhere(qtbot):
    assert cli("approval", "save_file", "deny").returncode == 0
    dialog = open_dialog(qtbot)
    lines = [dialog.policy_changes.item(i).text() for i in range(dialog.policy_changes.count())]
    assert len(lines) == 1
    assert "approval.save_file: default → deny  — smart-agent approval" in lines[0]
