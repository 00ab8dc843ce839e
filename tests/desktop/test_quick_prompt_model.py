"""The quick prompt end to end on the real embedded model: hotkey, typing, run, notification."""

from __future__ import annotations

import json

import pytest

from tests.desktop.conftest import Desktop, wait_for

pytestmark = [pytest.mark.desktop, pytest.mark.integration]


@pytest.mark.timeout(900)
def test_quick_prompt_runs_on_the_embedded_model_and_the_notification_opens_the_run(
    desktop: Desktop,
):
    task = "What time is it in Tokyo?"
    app = desktop.launch()
    window = desktop.main_window(app)
    desktop.wait_log(r"hotkey Ctrl\+Alt\+Q registered", app=app)
    desktop.key("ctrl+alt+q")
    prompt = desktop.wait_window("Quick prompt", app.pid)
    wait_for(lambda: desktop.focused() == prompt, 10, "the keyboard focus in the quick prompt")
    desktop.type(task)
    desktop.key("Return")
    desktop.wait_no_window("Quick prompt", app.pid)
    shown = desktop.wait_log(
        r"tray notification shown: run=(\w+) title='Smart Agent — (\w+)'", timeout=840, app=app
    )
    run_id, outcome = shown.group(1), shown.group(2)
    history = json.loads(desktop.run("history", "--json").stdout)
    run = next(r for r in history if r["id"] == run_id)
    assert run["task"] == task
    assert (run["status"], outcome) == ("ok", "answer"), run
    assert run["answer"].strip()
    events = desktop.run("show", run_id, "--json").stdout.splitlines()
    # the embedded model with its shipped planner adapter
    assert json.loads(events[0])["models"]["planner"] == "default+lora:smollm2-135m-planner"
    # the notification is a balloon on the tray; a click on it opens the run
    balloon = wait_for(lambda: desktop.popups(app.pid), 10, "the notification balloon")[0]
    desktop.xdotool("mousemove", "--window", str(balloon), "20", "20", "click", "1")
    desktop.wait_log(f"opening run {run_id} from the notification", app=app)
    assert desktop.viewable(window)
