"""Soak: the real app on Xvfb, driven by xdotool through what crashed it in issue 15.

Each cycle, on the embedded model: a run from the window; the quick-prompt hotkey during
it (the prompt says a run is active, or starts the next one); Esc; a click in the window;
Esc to stop (every fourth run is let finish instead); the tray menu's Show window; the
history's newest run reopened from the keyboard. Every ``SOAK_QUIT_EVERY`` cycles the app
quits with Ctrl+Q and starts again.
Afterwards: every exit was 0 with no fatal error on stderr, no crash report or fault file
was left, and no run in the history is still "running".

``make soak`` runs ``SOAK_CYCLES`` (default 200) cycles; ``make test`` runs a few.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time

import pytest

from app.paths import Paths
from tests.desktop.conftest import App, Desktop, wait_for

pytestmark = [pytest.mark.desktop, pytest.mark.integration]

CYCLES = int(os.environ.get("SOAK_CYCLES", "3"))
QUIT_EVERY = int(os.environ.get("SOAK_QUIT_EVERY", "5"))
FINISH_EVERY = 4  # cycles 1, 5, 9, …: the run ends by itself (answer, notification)
TASKS = ("What time is it in Tokyo?", "What time is it in Paris?")
STARTED = re.compile(r"run (\w+) started")
FINISHED = re.compile(r"run (\w+) finished: (\w+)")


def _runs(desktop: Desktop) -> tuple[list[str], list[str]]:
    log = desktop.log()
    return STARTED.findall(log), [m[0] for m in FINISHED.findall(log)]


def _settled(desktop: Desktop) -> bool:
    started, finished = _runs(desktop)
    return set(started) <= set(finished)


def _focus(desktop: Desktop, window: int) -> None:
    desktop.xdotool("windowfocus", "--sync", str(window))


def _cycle(desktop: Desktop, app: App, window: int, n: int) -> None:
    started_before = len(_runs(desktop)[0])
    _focus(desktop, window)
    desktop.key("ctrl+n")
    desktop.type(TASKS[n % len(TASKS)])
    desktop.key("ctrl+Return")
    wait_for(lambda: len(_runs(desktop)[0]) > started_before, 60, "the run to start")
    # the quick prompt during the run
    desktop.key("ctrl+alt+q")
    prompt = desktop.wait_window("Quick prompt", app.pid)
    wait_for(lambda: desktop.focused() == prompt, 10, "the keyboard focus in the quick prompt")
    desktop.type("And in Berlin?")
    desktop.key("Return")
    desktop.wait_log(r"quick prompt( started|: a run is already active)", app=app)
    if desktop.windows("Quick prompt", app.pid):
        desktop.key("Escape")
        desktop.wait_no_window("Quick prompt", app.pid)
    # a click in the window, then Esc stops whatever runs; every fourth run is let finish
    desktop.xdotool("mousemove", "--window", str(window), "640", "420", "click", "1")
    if n % FINISH_EVERY == 1:
        wait_for(lambda: _settled(desktop), 600, "the run to finish", interval=0.5)
    else:
        _focus(desktop, window)
        desktop.key("Escape")
        wait_for(lambda: _settled(desktop), 120, "every run to end after Esc")
    desktop.tray_menu(app, "s")  # Show window
    # the history's newest run, reopened from the keyboard
    reopened = len(re.findall(r"run \w+ reopened", desktop.log()))
    _focus(desktop, window)
    desktop.key("ctrl+f", "Tab", "Home", "Return")
    wait_for(
        lambda: len(re.findall(r"run \w+ reopened", desktop.log())) > reopened,
        20,
        "the history's run to reopen",
    )
    assert app.process.poll() is None, app.err()[-2000:]


def _quit(desktop: Desktop, app: App, window: int) -> None:
    _focus(desktop, window)
    desktop.key("ctrl+q")
    try:
        app.process.wait(60)
    except Exception:
        pytest.fail(f"the app did not quit: {app.err()[-2000:]}")
    err = app.err()
    assert app.process.returncode == 0, err[-3000:]
    assert "Fatal Python error" not in err and "Segmentation fault" not in err, err[-3000:]


@pytest.mark.timeout(max(900, CYCLES * 180))
def test_soak_runs_stop_quick_prompt_tray_history_and_quit(desktop: Desktop):
    app = desktop.launch()
    window = desktop.main_window(app)
    desktop.wait_log(r"hotkey Ctrl\+Alt\+Q registered", app=app)
    began = time.monotonic()
    for n in range(CYCLES):
        _cycle(desktop, app, window, n)
        if (n + 1) % QUIT_EVERY == 0 or n + 1 == CYCLES:
            _quit(desktop, app, window)
            if n + 1 < CYCLES:
                app = desktop.launch()
                window = desktop.main_window(app)
                desktop.wait_log(r"hotkey Ctrl\+Alt\+Q registered", app=app)
    logs = desktop.home / "logs"
    assert not list(logs.glob("crash-*.txt")), "a crash report was written"
    assert not list(logs.glob("fault-*.txt")), "a fault file was left"
    with sqlite3.connect(Paths.from_env().history_db) as db:
        statuses = dict(db.execute("SELECT status, count(*) FROM runs GROUP BY status"))
    assert "running" not in statuses, statuses
    started, finished = _runs(desktop)
    print(
        f"soak: {CYCLES} cycles in {time.monotonic() - began:.0f} s, "
        f"{len(started)} runs ({statuses}), 0 crashes, 0 non-zero exits"
    )
