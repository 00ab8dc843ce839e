"""Screenshots of the main window under Xvfb: mid-run and after a run, on the embedded model.

Usage: ``.venv/bin/python scripts/screenshots.py [OUT_DIR]`` (default resources/screenshots).
Starts its own Xvfb (``apt-get install xvfb``) and uses Qt's xcb platform, so what is
captured is what an X server shows. The answer is whatever the tiny embedded model writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TASK = "What time is it in Tokyo, and what is Tokyo known for?"


def on_private_desktop(shoot: Callable[[Path, Path], None]) -> None:
    """Run ``shoot(out, home)`` on a private Xvfb with an empty SMART_AGENT_HOME; ``out`` is
    the first argument or resources/screenshots. The screenshot scripts' shared start."""
    root = Path(__file__).resolve().parents[1]
    out = Path(sys.argv[1] if len(sys.argv) > 1 else root / "resources" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    server = start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        with tempfile.TemporaryDirectory() as home:
            os.environ["SMART_AGENT_HOME"] = home
            shoot(out, Path(home))
    finally:
        server.terminate()


def start_xvfb() -> subprocess.Popen[bytes]:
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is missing: bash scripts/system-deps.sh (or apt-get install xvfb)")
    display = f":{90 + os.getpid() % 100}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    if server.poll() is not None:
        raise SystemExit(f"Xvfb {display} did not start")
    os.environ["DISPLAY"] = display
    return server


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "resources" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    server = start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["SMART_AGENT_HOME"] = tempfile.mkdtemp(prefix="sa-shots-")
    try:
        capture(out)
    finally:
        server.terminate()


def capture(out: Path) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.events import Event
    from app.runtime import Runtime
    from app.settings import Settings
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    from ui.collector import GuiThreadCollector

    collector = GuiThreadCollector(app)  # as the app does  # noqa: F841
    window = MainWindow(Runtime(Settings()))
    window.resize(1200, 760)
    window.show()
    window.load_models_in_background()
    while not window.models_ready:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)

    taken: list[str] = []
    loop = QEventLoop()

    def on_event(event: Event) -> None:
        # mid-run: the evidence is in and the answer has started streaming
        if not taken and event.type == "answer_delta" and len(window.live_model.tree.answer) > 20:
            taken.append("")
            select_evidence(window)
            QTimer.singleShot(150, lambda: shoot(window, out / "main-window-mid-run.png", taken))

    window.task_box.setPlainText(TASK)
    window.runFinished.connect(lambda *a: QTimer.singleShot(600, loop.quit))
    window.start_task(TASK)
    assert window.worker is not None
    window.worker.eventReady.connect(on_event)
    loop.exec()
    select_evidence(window)
    app.processEvents()
    shoot(window, out / "main-window-after-run.png", taken)
    window.shutdown()
    for name in filter(None, taken):
        print(f"wrote {name}")


def select_evidence(window) -> None:  # type: ignore[no-untyped-def]
    model = window.tree.model()
    window.tree.expandAll()
    step = model.index(0, 0)
    call = model.index(0, 0, step)
    evidence = model.index(0, 0, call)
    if evidence.isValid():
        window.tree.setCurrentIndex(evidence)


def shoot(window, path: Path, taken: list[str]) -> None:  # type: ignore[no-untyped-def]
    window.grab().save(str(path))
    taken.append(str(path))


if __name__ == "__main__":
    main()
