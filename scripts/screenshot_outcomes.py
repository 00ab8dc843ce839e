"""Screenshots of a failed and a partial run in the main window, under Xvfb (README, issue 15).

Usage: ``.venv/bin/python scripts/screenshot_outcomes.py [OUT_DIR]`` (default
resources/screenshots). Both runs use the embedded model's real solver with its shipped
adapter, in one history:

- ``run-failed.png``: the whole pipeline on the embedded model, every tool denied by
  policy, so its only step is denied; the run ends Failed and the solver was told the
  evidence is missing.
- ``run-partial.png``: a replayed two-step plan (a time zone that does not exist, then
  Tokyo) so that exactly one step fails; the real solver answers from the other. The
  history shows both runs with their outcome.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import on_private_desktop, select_evidence  # noqa: E402

TOOLS = ("get_current_time", "web_search", "wikipedia_search", "bilibili_search", "llm")
PARTIAL_PLAN = (
    "Plan: Get the time on Mars.\n#E1 = get_current_time[Mars/Olympus_Mons]\n"
    "Plan: Get the time in Tokyo.\n#E2 = get_current_time[Asia/Tokyo]\n"
)


def main() -> None:
    on_private_desktop(capture)


def capture(out: Path, home: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.settings import Settings

    app = QApplication.instance() or QApplication([])
    from ui.collector import GuiThreadCollector

    collector = GuiThreadCollector(app)  # as the app does  # noqa: F841
    denied = Settings({"approval": {name: "deny" for name in TOOLS}})
    shoot(app, denied, "What time is it in Tokyo?", out / "run-failed.png")
    script = home / "plan.json"
    script.write_text(json.dumps([PARTIAL_PLAN]), encoding="utf-8")
    roles = {"models.planner": f"replay:{script}", "models.solver": "default"}
    replayed = Settings(roles)
    shoot(app, replayed, "What time is it on Mars and in Tokyo?", out / "run-partial.png")


def shoot(app, settings, task: str, path: Path) -> None:  # type: ignore[no-untyped-def]
    """One run to its end in a fresh window on ``settings``; the window as it then is."""
    from PySide6.QtCore import QEventLoop, QTimer

    from app.runtime import Runtime
    from ui.main_window import MainWindow

    window = MainWindow(Runtime(settings))
    window.resize(1200, 760)
    window.show()
    window.load_models_in_background()
    while not window.models_ready:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)
    loop = QEventLoop()
    outcome: list[str] = []
    window.runFinished.connect(lambda _run, status, _text: outcome.append(status))
    window.runFinished.connect(lambda *_: QTimer.singleShot(600, loop.quit))
    window.task_box.setPlainText(task)
    window.start_task(task)
    loop.exec()
    select_evidence(window)
    app.processEvents()
    window.grab().save(str(path))
    print(f"wrote {path} ({outcome[0] if outcome else 'no outcome'})")
    window.shutdown()


if __name__ == "__main__":
    main()
