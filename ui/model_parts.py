"""Parts of the model manager: the download/import job, a table row, the URL prompt, and
how sizes, context lengths and core messages are written in the dialog."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.errors import SmartAgentError
from app.models import hardware
from app.models.catalog import CatalogEntry
from app.models.downloads import DownloadCancelled, ProgressCallback
from ui.run_worker import ThreadWorker

log = logging.getLogger("ui.model_manager_dialog")

Work = Callable[[ProgressCallback, threading.Event], Path]


class ModelJob(ThreadWorker):
    """One download or import on a daemon thread, reported through queued signals."""

    progressed = Signal(object)  # app.models.downloads.Progress
    succeeded = Signal(object)  # Path of the installed model
    failed = Signal(str)  # one line
    cancelled = Signal(str)  # one line saying what was kept
    finished = Signal()

    def __init__(self, work: Work) -> None:
        super().__init__("model-job")
        self.work = work

    def _run(self) -> None:
        try:
            self.succeeded.emit(self.work(self.progressed.emit, self.cancel))
        except DownloadCancelled as exc:
            self.cancelled.emit(str(exc))
        except SmartAgentError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: one line for the person, the trace for the log
            log.exception("model download or import failed")
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc} (details in the log)")
        finally:
            self.finished.emit()


@dataclass(frozen=True)
class ModelRow:
    """One line of the table and what the buttons may do with it."""

    kind: str  # "catalog" | "local" | "partial"
    name: str  # the catalog name, or the file (folder) name
    spec: str  # what the settings name it by once on disk; "" while it is not usable
    fits: bool = True
    fmt: str = "gguf"
    entry: CatalogEntry | None = None  # a catalog row's entry, what Download fetches


class UrlDialog(QDialog):
    """Asks for a download address and, optionally, the sha256 to check it against."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Download a model from a URL")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://…/model.gguf")
        self.sha_edit = QLineEdit()
        self.sha_edit.setPlaceholderText("optional: 64 hexadecimal digits")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.url_edit.textChanged.connect(self._on_url_changed)
        self._on_url_changed("")
        form = QFormLayout(self)
        form.addRow("&URL:", self.url_edit)
        form.addRow("&sha256:", self.sha_edit)
        form.addRow(self.buttons)
        self.resize(560, self.sizeHint().height())

    def _on_url_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))


def size_text(count: int) -> str:
    return hardware.gb(count) if count >= hardware.GIB else f"{count / hardware.MIB:.1f} MiB"


def context_text(tokens: int) -> str:
    return f"{tokens // 1024}k" if tokens >= 1024 and tokens % 1024 == 0 else str(tokens)


def plain_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
