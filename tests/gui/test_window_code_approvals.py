"""Code in the desktop: a call that must be asked every time reaches the dialog (with its
warning, without "always allow") whatever the policy; "always allow" lasts the session."""

from __future__ import annotations

import json

from app.settings import Settings
from tests.gui.test_main_window import make_window
from tests.gui.test_window_approvals import wait_for_dialog

CODE_PLAN = "Plan: Run code.\n#E1 = python[code]\n"


def code_call(network: bool = False) -> str:
    arguments = {"code": "print(6 * 7)", "network": network}
    return json.dumps({"function": "python", "arguments": arguments})


def test_code_asking_for_the_network_is_asked_even_when_python_is_allowed(qtbot, tmp_path):
    window = make_window(
        qtbot,
        tmp_path,
        [CODE_PLAN, code_call(network=True), "Denied."],
        **{"approval": {"python": "allow"}, "distributor.fast_path": False},
    )
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        window.start_task("run some code")
        dialog = wait_for_dialog(qtbot, window)
        assert "network" in dialog.request.warning
        assert not dialog.request.allow_always  # the dialog then offers no "always"
        dialog.deny_button.click()
    assert blocker.args[1] == "failed"  # its only step was denied
    evidence = [n for n in window.live_model.tree.walk() if n.kind == "evidence"]
    assert evidence[0].status == "denied"


def test_always_allow_for_code_lasts_until_the_app_quits(qtbot, tmp_path):
    window = make_window(
        qtbot,
        tmp_path,
        [CODE_PLAN, code_call(), "42.", CODE_PLAN, code_call(), "42 again."],
        **{"distributor.fast_path": False},
    )
    with qtbot.waitSignal(window.runFinished, timeout=15000):
        window.start_task("run some code")
        wait_for_dialog(qtbot, window).always_button.click()
    qtbot.waitUntil(lambda: not window.is_running())
    with qtbot.waitSignal(window.runFinished, timeout=15000) as blocker:
        assert window.start_task("run it again")
    assert blocker.args[1] == "ok" and not window._approvals
    assert "python" not in Settings.load(window.runtime.paths).get("approval")
