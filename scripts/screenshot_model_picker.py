"""Screenshot of Settings → Models with a role's model list open, under Xvfb (README).

Usage: ``.venv/bin/python scripts/screenshot_model_picker.py [OUT_DIR]`` (default
resources/screenshots). The list shows this machine's view of the catalog: what fits its
memory and cores, and what is too big.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import on_private_desktop  # noqa: E402


def main() -> None:
    on_private_desktop(lambda out, _home: shoot(out / "settings-model-picker.png"))


def shoot(path: Path) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QGuiApplication

    from app.settings import Settings
    from ui.app import make_application
    from ui.settings_dialog import SettingsDialog

    app = make_application()
    dialog = SettingsDialog(Settings.load())
    dialog.move(20, 20)
    dialog.resize(900, 420)
    dialog.show()

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    settle(400)
    picker = dialog._editors["models.planner"].widget
    picker.combo.showPopup()
    settle(400)
    screen = QGuiApplication.primaryScreen()
    shot = screen.grabWindow(0, 10, 10, 920, 480)
    shot.save(str(path))
    print(path)
    picker.combo.hidePopup()
    dialog.close()
    app.processEvents()


if __name__ == "__main__":
    main()
