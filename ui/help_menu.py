"""The Help menu and what it offers when something went wrong.

README and usage, the keyboard shortcuts, the logs folder, "Report a problem" (version,
platform and the log's tail copied for a bug report), About; and, at start, the crash
report a fatal error left last time (``app.crash``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from app import crash

log = logging.getLogger(__name__)


def offer_crash_reports(parent: QWidget, logs: Path) -> QMessageBox | None:
    """If the last session ended in a fatal error, say so and offer its report."""
    reports = crash.collect_reports(logs)
    if not reports:
        return None
    latest = reports[-1]
    log.warning("the last session ended in a fatal error; report: %s", latest)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Smart Agent closed unexpectedly",
        "Smart Agent stopped with a fatal error last time. A crash report was saved:\n"
        f"{latest}\n\nIt holds the stacks of every thread and the end of the log; "
        "please attach it when you report the problem.",
        QMessageBox.StandardButton.Close,
        parent,
    )
    show = box.addButton("Show report", QMessageBox.ButtonRole.AcceptRole)
    folder = box.addButton("Open logs folder", QMessageBox.ButtonRole.ActionRole)

    def on_clicked(button: object) -> None:
        if button is show:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(latest)))
        elif button is folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(logs)))

    box.buttonClicked.connect(on_clicked)
    box.setObjectName("crashReportNotice")
    box.open()  # not modal to the app: the window works meanwhile
    return box
