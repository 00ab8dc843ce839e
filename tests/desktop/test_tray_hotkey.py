"""Tray, global hotkey and single instance of the real app, driven by real X events."""

from __future__ import annotations

import json
import os
import socket
import time

import pytest

from tests.desktop.conftest import Desktop, wait_for

pytestmark = pytest.mark.desktop

QUICK = "Quick prompt"
HOTKEY_READY = r"hotkey Ctrl\+Alt\+Q registered"


def test_tray_icon_is_embedded_in_the_system_tray(desktop: Desktop):
    app = desktop.launch()
    window = desktop.main_window(app)
    desktop.wait_log("system tray available", app=app)
    icon = wait_for(lambda: desktop.tray_icon(app.pid), 20, "our window inside trayer's panel")
    assert desktop.viewable(icon)
    geometry = desktop.display.create_resource_object("window", icon).get_geometry()
    assert geometry.width > 4 and geometry.height > 4
    assert icon != window


def test_hotkey_opens_the_quick_prompt_with_focus_and_esc_closes_it(desktop: Desktop):
    app = desktop.launch()
    desktop.main_window(app)
    desktop.wait_log(HOTKEY_READY, app=app)
    assert desktop.windows(QUICK) == []
    desktop.key("ctrl+alt+q")
    prompt = desktop.wait_window(QUICK, app.pid)
    wait_for(lambda: desktop.focused() == prompt, 10, "the keyboard focus in the quick prompt")
    desktop.key("Escape")
    desktop.wait_no_window(QUICK, app.pid)
    # the grab holds whatever NumLock and CapsLock are
    for lock in ("Num_Lock", "Caps_Lock"):
        desktop.key(lock)
        try:
            desktop.key("ctrl+alt+q")
            desktop.wait_focused(QUICK, app.pid, timeout=10)
            desktop.key("Escape")
            desktop.wait_no_window(QUICK, app.pid)
        finally:
            desktop.key(lock)
    assert app.process.poll() is None  # closing the quick prompt does not quit the app


def test_hotkey_held_by_another_client_is_reported_as_a_clash_not_doubled(desktop: Desktop):
    from Xlib import XK, X

    rival = desktop.x.connect()
    root = rival.screen().root
    keycode = rival.keysym_to_keycode(XK.string_to_keysym("q"))
    root.grab_key(keycode, X.ControlMask | X.Mod1Mask, False, X.GrabModeAsync, X.GrabModeAsync)
    rival.sync()
    try:
        app = desktop.launch()
        window = desktop.main_window(app)
        clash = "Ctrl+Alt+Q is already taken by another program"
        wait_for(lambda: clash in app.err(), 30, "the clash on stderr")
        assert "choose another one in Settings" in app.err()
        assert clash in desktop.log() and "WARNING ui.desktop" in desktop.log()
        assert "hotkey Ctrl+Alt+Q registered" not in desktop.log()
        desktop.key("ctrl+alt+q")  # goes to the rival, and only to it

        def rival_got_it() -> bool:
            while rival.pending_events():
                event = rival.next_event()
                if event.type == X.KeyPress and event.detail == keycode:
                    return True
            return False

        wait_for(rival_got_it, 10, "the rival client to receive the key press")
        time.sleep(1.0)
        assert desktop.windows(QUICK, app.pid) == []
        assert desktop.viewable(window) and app.process.poll() is None
    finally:
        root.ungrab_key(keycode, X.ControlMask | X.Mod1Mask)
        rival.close()


def test_empty_hotkey_setting_registers_nothing(desktop: Desktop):
    from Xlib import XK, X, error

    desktop.settings(hotkey="")
    app = desktop.launch()
    desktop.main_window(app)
    desktop.wait_log("hotkey switched off", app=app)
    probe = desktop.x.connect()
    try:
        keycode = probe.keysym_to_keycode(XK.string_to_keysym("q"))
        catch = error.CatchError(error.BadAccess)
        mods = X.ControlMask | X.Mod1Mask
        probe.screen().root.grab_key(
            keycode, mods, False, X.GrabModeAsync, X.GrabModeAsync, onerror=catch
        )
        probe.sync()
        assert catch.get_error() is None  # nobody holds Ctrl+Alt+Q
    finally:
        probe.close()


def test_second_plain_launch_exits_0_hands_over_and_raises_the_window(desktop: Desktop):
    desktop.settings(**{"ui.close_to_tray": True})
    first = desktop.launch()
    window = desktop.main_window(first)
    desktop.wait_log("close to tray: True", app=first)
    desktop.close_window(window)  # to the tray
    wait_for(lambda: not desktop.viewable(window), 10, "the window to hide in the tray")
    assert first.process.poll() is None
    started = time.monotonic()
    second = desktop.run()
    took = time.monotonic() - started
    assert second.returncode == 0, second.stderr
    assert took < 15, f"the hand-over took {took:.1f} s"
    wait_for(lambda: desktop.viewable(window), 10, "the first app to raise its window")
    desktop.wait_log(r"a second launch handed over \[\]")
    mains = desktop.windows("^Smart Agent$")
    assert mains == [window]  # one app, one main window
    assert first.process.poll() is None


def test_quick_prompt_flag_reaches_the_running_instance(desktop: Desktop):
    first = desktop.launch()
    desktop.main_window(first)
    desktop.wait_log(HOTKEY_READY, app=first)
    second = desktop.run("--quick-prompt")
    assert second.returncode == 0, second.stderr
    prompt = desktop.wait_window(QUICK, first.pid)
    wait_for(lambda: desktop.focused() == prompt, 10, "the keyboard focus in the quick prompt")
    desktop.wait_log(r"handed over \['--quick-prompt'\]")
    assert len(desktop.windows(QUICK)) == 1


def test_quick_prompt_flag_starts_the_app_with_only_the_prompt(desktop: Desktop):
    app = desktop.launch("--quick-prompt")
    desktop.wait_focused(QUICK, app.pid)
    desktop.wait_log("system tray available", app=app)
    assert desktop.windows("^Smart Agent$", app.pid) == []  # the window waits in the tray
    desktop.key("Escape")
    desktop.wait_no_window(QUICK, app.pid)
    time.sleep(0.5)
    assert app.process.poll() is None  # still in the tray
    desktop.tray_menu(app, "s")
    desktop.main_window(app, timeout=15)


def test_stale_socket_of_a_crashed_app_is_taken_over(desktop: Desktop):
    from ui.single_instance import server_name

    name = server_name()
    path = name if os.path.isabs(name) else os.path.join(os.environ.get("TMPDIR", "/tmp"), name)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)  # a socket file nobody listens on: what a crash leaves behind
    stale.close()
    try:
        app = desktop.launch()
        desktop.main_window(app)
        desktop.wait_log("removing a stale single-instance socket", app=app)
        second = desktop.run("--quick-prompt")
        assert second.returncode == 0, second.stderr
        desktop.wait_window(QUICK, app.pid)
    finally:
        desktop.close()
        if os.path.exists(path):
            os.unlink(path)


def test_tray_menu_quick_prompt_show_window_and_quit(desktop: Desktop):
    desktop.settings(**{"ui.close_to_tray": True})
    app = desktop.launch()
    window = desktop.main_window(app)
    desktop.wait_log("system tray available", app=app)
    desktop.tray_menu(app, "p")
    desktop.wait_focused(QUICK, app.pid)
    desktop.key("Escape")
    desktop.wait_no_window(QUICK, app.pid)
    desktop.close_window(window)
    wait_for(lambda: not desktop.viewable(window), 10, "the window to hide in the tray")
    desktop.wait_log(r"tray notification shown: run=- title='Smart Agent'")  # said once
    desktop.tray_menu(app, "s")
    wait_for(lambda: desktop.viewable(window), 10, "Show window to show it")
    desktop.tray_menu(app, "q")
    assert app.process.wait(30) == 0


def test_running_item_while_a_quick_run_is_active(desktop: Desktop, tmp_path):
    # a deterministic run that lasts a few seconds: a replay plan whose step sleeps
    script = tmp_path / "slow.json"
    plan = "Plan: wait a moment.\n#E1 = python[import time; time.sleep(6); print('rested')]\n"
    script.write_text(json.dumps([plan, "Rested."]), encoding="utf-8")
    spec = f"replay:{script}"
    desktop.settings(
        **{"models.planner": spec, "models.caller": spec, "approval": {"python": "allow"}}
    )
    desktop.settings(**{"ui.close_to_tray": True})
    app = desktop.launch()
    window = desktop.main_window(app)
    desktop.wait_log(HOTKEY_READY, app=app)
    desktop.close_window(window)
    wait_for(lambda: not desktop.viewable(window), 10, "the window to hide in the tray")
    desktop.key("ctrl+alt+q")
    desktop.wait_focused(QUICK, app.pid)
    desktop.type("Rest for a moment")
    desktop.key("Return")
    desktop.wait_no_window(QUICK, app.pid)
    desktop.wait_log("tray: running item shown for 'Rest for a moment'", app=app)
    # a second quick task while this one runs is refused, and the prompt says so
    desktop.key("ctrl+alt+q")
    desktop.wait_focused(QUICK, app.pid)
    desktop.type("Another task")
    desktop.key("Return")
    desktop.wait_log("quick prompt: a run is already active", app=app)
    assert desktop.windows(QUICK, app.pid)
    desktop.key("Escape")
    desktop.wait_no_window(QUICK, app.pid)
    assert not desktop.viewable(window)
    desktop.tray_menu(app, "r")
    desktop.wait_log(r"tray: show window \(running task\)", app=app)
    wait_for(lambda: desktop.viewable(window), 10, "the running item to show the window")
    done = desktop.wait_log(r"tray notification shown: run=(\w+) title='Smart Agent — answer'")
    history = json.loads(desktop.run("history", "--json").stdout)
    run = next(r for r in history if r["id"] == done.group(1))
    assert run["status"] == "ok" and run["task"] == "Rest for a moment"
