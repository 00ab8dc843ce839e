"""The model manager: what this machine holds, what fits it, and which model plays which role.

One table lists the catalog (the embedded default among it, each entry marked as fitting this
machine and as installed), then the models found in the models folder that the catalog does
not name, and unfinished downloads. Downloads and imports are ``app.models.downloads`` run by a
``ModelJob`` on a daemon thread; its signals are queued to the GUI thread, so widgets are
only touched there. Cancelling sets the job's ``threading.Event``; a download's ``.part``
file stays, and the next download of the same file resumes it. Nothing here goes to the
network until the person asks for a download.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import SmartAgentError
from app.learn.adapters import adapters_in_use
from app.models import catalog, downloads, hardware
from app.models.downloads import DiskFree, Download, Progress, ProgressCallback, free_bytes
from app.models.hardware import Machine
from app.runtime import Runtime
from ui import model_parts as parts
from ui.model_parts import ModelJob, ModelRow, UrlDialog, Work

log = logging.getLogger(__name__)

COLUMNS = ("Model", "Roles", "Size", "Licence", "Context", "Needs", "Fits", "Status")
ROLE_SETTINGS = {"planner": "models.planner", "caller": "models.caller", "solver": "models.solver"}
CLOSE_WAIT = 3.0  # seconds a closing dialog waits for a cancelled download to stop
_RED = "color: #c0392b"


class ModelManagerDialog(QDialog):
    modelsChanged = Signal()  # a model was downloaded or imported, or a role was assigned
    progressChanged = Signal(object)  # app.models.downloads.Progress, on the GUI thread

    def __init__(self, runtime: Runtime, parent: QWidget | None = None, *,
                 machine: Machine | None = None, disk_free: DiskFree = free_bytes,
                 catalog_file: Path | None = None):  # fmt: skip
        super().__init__(parent)
        self.disk_free = disk_free  # how downloads and imports read free space
        self.catalog_file = catalog_file  # None: the catalog that ships with the app
        self.runtime = runtime
        self.settings = runtime.settings
        self.models_dir = runtime.paths.models_dir
        self.machine = machine or hardware.detect()
        self.job: ModelJob | None = None
        self.rows: list[ModelRow] = []
        self._on_success: Callable[[Path], str] = lambda path: f"installed {path.name}"
        self._what = ""
        self.setWindowTitle("Models")
        self.resize(1100, 580)
        self._build()
        self._connect_signals()
        self.refresh()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.machine_label = parts.plain_label()
        self.suggested_label = parts.plain_label()
        self.roles_label = parts.plain_label()
        self.adapters_label = parts.plain_label()
        self.shipped_box = QCheckBox("Use the &adapters shipped for the embedded model")
        self.shipped_box.setToolTip(
            "LoRA adapters trained for the embedded model's planner, caller and solver; "
            "an adapter chosen for a role (Teach from my runs…) takes their place"
        )

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.use_buttons = {
            role: QPushButton(f"Use as &{role}") for role in ROLE_SETTINGS
        }  # fmt: skip
        self.download_button = QPushButton("&Download selected")
        self.url_button = QPushButton("Download from &URL…")
        self.import_button = QPushButton("&Import local .gguf…")
        self.cancel_button = QPushButton("Cance&l download")

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_label = parts.plain_label()
        self.message_label = parts.plain_label()
        self.message_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)

        roles = QHBoxLayout()
        for button in self.use_buttons.values():
            roles.addWidget(button)
        roles.addStretch(1)
        actions = QHBoxLayout()
        for button in (self.download_button, self.url_button, self.import_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self._progress_row = QWidget()  # shown only while a download or import runs
        progress = QVBoxLayout(self._progress_row)
        progress.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.progress_bar, 1)
        bar.addWidget(self.cancel_button)
        progress.addLayout(bar)
        progress.addWidget(self.progress_label)
        self._progress_row.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.machine_label)
        layout.addWidget(self.suggested_label)
        layout.addWidget(self.roles_label)
        layout.addWidget(self.adapters_label)
        layout.addWidget(self.shipped_box)
        layout.addWidget(self.table, 1)
        layout.addLayout(roles)
        layout.addLayout(actions)
        layout.addWidget(self._progress_row)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.table.itemSelectionChanged.connect(self._update_buttons)
        for role, button in self.use_buttons.items():
            button.clicked.connect(self._assigner(role))
        self.download_button.clicked.connect(self.download_selected)
        self.url_button.clicked.connect(self._on_url_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.shipped_box.toggled.connect(self.use_shipped_adapters)
        self.buttons.rejected.connect(self.reject)

    # -- the table ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the catalog and the models folder again (no network) and refill the table."""
        selected = self.selected()
        n_ctx = self.settings.get("llama.n_ctx")
        self.machine_label.setText(
            f"This machine: {self.machine.describe()} — a {self.machine.tier} machine"
        )
        try:
            view = catalog.overview(self.models_dir, self.machine, n_ctx, self.catalog_file)
        except SmartAgentError as exc:
            self._say(str(exc), error=True)
            view = catalog.Overview(catalog.Embedded(), (), (), self.machine, {})
        suggested = view.suggested
        self.suggested_label.setText(
            "Suggested for this machine: "
            + ", ".join(f"{role} {name or 'none fits'}" for role, name in suggested.items())
        )
        self._show_roles()
        self.table.setRowCount(0)
        self.rows = []
        catalog_files = set()
        for listed in view.catalog:
            catalog_files.add(listed.entry.local_name)
            self._add_catalog_row(listed, view.embedded, suggested)
        for local in view.installed:
            if local.item.path.name.removesuffix(".part") not in catalog_files:
                self._add_local_row(local, n_ctx)
        if selected is not None:
            self.select(selected.spec or selected.name)
        self._update_buttons()

    def _add_catalog_row(
        self,
        listed: catalog.CatalogRow,
        embedded: catalog.Embedded,
        suggested: dict[str, str | None],
    ) -> None:
        entry = listed.entry
        fmt = entry.format
        if fmt == "embedded":
            status = f"missing: {embedded.error}" if embedded.error else "embedded (default)"
        elif listed.installed:
            status = "installed"
        else:
            part = self.models_dir / (entry.local_name + ".part")
            status = (
                f"partial {parts.size_text(part.stat().st_size)}; Download resumes it"
                if fmt == "gguf" and part.is_file()
                else ""
            )
        need = (
            f"{entry.min_vram_gb:g} GiB VRAM" if fmt == "exl2" else f"{entry.min_ram_gb:g} GiB RAM"
        )
        roles_for = [role for role, name in suggested.items() if name == entry.name]
        fits = "✓" if listed.fits else "✗ too big"
        if roles_for:
            fits += f" (suggested {'/'.join(roles_for)})"
        texts = [
            entry.title, "/".join(entry.roles), parts.size_text(entry.size_bytes),
            entry.licence, parts.context_text(entry.context_length), need, fits, status,
        ]  # fmt: skip
        spec = listed.spec if listed.installed else ""
        row = ModelRow("catalog", entry.name, spec, listed.fits, fmt, entry)
        tip = f"{entry.name} ({fmt}) — {entry.url}"
        if entry.notes:
            tip += f"\n{entry.notes}"
        self._append(row, texts, tip, bold=bool(roles_for))

    def _add_local_row(self, local: catalog.InstalledRow, n_ctx: int) -> None:
        item = local.item
        path = item.path
        if item.kind == "partial":
            row = ModelRow("partial", path.name, "", True, "gguf")
            status = "unfinished: Download from URL… with its address resumes it"
            texts = [path.name, "", parts.size_text(item.size_bytes), "", "", "", "", status]
            self._append(row, texts, str(path))
            return
        need, fits = "", ""
        if item.kind == "gguf":
            need = f"{hardware.gb(hardware.gguf_needs(path, n_ctx).total)} RAM"
            fits = "✓" if local.fits else "✗ too big"
            if self.machine.gpus:
                fits += f" (n_gpu_layers {local.n_gpu_layers})"
        row = ModelRow("local", path.name, item.spec, local.fits, item.kind)
        size = parts.size_text(item.size_bytes)
        texts = [path.name, "any", size, "", "", need, fits, "installed"]
        self._append(row, texts, item.spec)

    def _append(self, row: ModelRow, texts: list[str], tip: str, bold: bool = False) -> None:
        index = self.table.rowCount()
        self.table.insertRow(index)
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            if bold:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(index, column, item)
        self.rows.append(row)

    def selected(self) -> ModelRow | None:
        index = self.table.currentRow()
        if not self.table.selectedItems() or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    def select(self, key: str) -> bool:
        """Select the row whose spec or name is ``key``; False if there is none."""
        for index, row in enumerate(self.rows):
            if key in (row.spec, row.name) and key:
                self.table.selectRow(index)
                return True
        return False

    def row_texts(self, key: str) -> dict[str, str]:
        """Column title → text of the row whose spec or name is ``key`` (empty if none)."""
        for index, row in enumerate(self.rows):
            if key in (row.spec, row.name):
                return {
                    title: (cell.text() if (cell := self.table.item(index, c)) else "")
                    for c, title in enumerate(COLUMNS)
                }
        return {}

    def _show_roles(self) -> None:
        def shown(role: str) -> str:
            value = self.settings.get(ROLE_SETTINGS[role])
            return value or ("the planner's" if role == "solver" else "default")

        self.roles_label.setText(
            "In use: " + " · ".join(f"{role} {shown(role)}" for role in ROLE_SETTINGS)
        )
        self._show_adapters()

    def _show_adapters(self) -> None:
        self.adapters_label.setText(
            "Adapters:\n"
            + "\n".join(f"  {a.role}: {a.describe()}" for a in adapters_in_use(self.settings))
        )
        self.shipped_box.blockSignals(True)
        self.shipped_box.setChecked(bool(self.settings.get("models.shipped_adapters")))
        self.shipped_box.blockSignals(False)

    def use_shipped_adapters(self, on: bool) -> bool:
        """Turn the embedded model's shipped adapters on or off (saved; next run on)."""
        try:
            self.settings.update({"models.shipped_adapters": on})
        except (SmartAgentError, OSError) as exc:
            self._say(f"the setting could not be saved: {exc}", error=True)
            self._show_adapters()
            return False
        self._say(f"shipped adapters {'on' if on else 'off'} from the next run")
        self._show_adapters()
        self.modelsChanged.emit()
        return True

    def _update_buttons(self) -> None:
        row = self.selected()
        busy = self.job is not None
        for button in self.use_buttons.values():
            button.setEnabled(row is not None and bool(row.spec))
        self.download_button.setEnabled(
            not busy and row is not None and row.kind == "catalog" and not row.spec
        )
        self.url_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    # -- roles ----------------------------------------------------------------------------

    def _assigner(self, role: str) -> Callable[[], None]:
        def assign() -> None:
            self.use_selected_as(role)

        return assign

    def use_selected_as(self, role: str) -> bool:
        """Save the selected model as the ``role`` model (planner / caller / solver)."""
        row = self.selected()
        if row is None or not row.spec:
            self._say("select an installed model first (download or import it)", error=True)
            return False
        try:
            self.settings.update({ROLE_SETTINGS[role]: row.spec})
        except (SmartAgentError, OSError) as exc:
            self._say(f"the {role} could not be saved: {exc}", error=True)
            return False
        warning = "" if row.fits else "; it may be too big for this machine (loading will say)"
        self._say(f"{role} set to {row.spec} and saved{warning}")
        self._show_roles()
        self.modelsChanged.emit()
        return True

    # -- downloads and imports ------------------------------------------------------------

    def download_selected(self) -> bool:
        row = self.selected()
        if row is None or row.entry is None:
            self._say("select a catalog model to download", error=True)
            return False
        if row.spec:
            self._say(f"{row.name} is already installed")
            return False
        try:
            download = downloads.catalog_download(row.entry, self.models_dir, None, self.disk_free)
        except SmartAgentError as exc:
            self._say(str(exc), error=True)
            return False
        return self._start_download(download)

    def download_url(self, url: str, sha256: str = "") -> bool:
        """Download ``url`` (checked against ``sha256`` when given) into the models folder."""
        url = url.strip()
        if not url.startswith(("http://", "https://")):
            self._say(f"'{url}' is not a download address: it must start with https://", error=True)
            return False
        try:
            checksum = sha256.strip() or None
            download = downloads.plan_download(url, self.models_dir, checksum, self.disk_free)
        except SmartAgentError as exc:
            self._say(str(exc), error=True)
            return False
        return self._start_download(download)

    def import_file(self, path: Path) -> bool:
        """Copy a local .gguf into the models folder."""

        def work(progress: ProgressCallback, cancel: threading.Event) -> Path:
            return downloads.import_model(path, self.models_dir, progress, cancel, self.disk_free)

        return self._start(work, f"Importing {path.name}", lambda dest: f"imported {dest.name}")

    def cancel_download(self) -> None:
        if self.job is not None:
            self.job.stop()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("Cancelling…")

    def _start_download(self, download: Download) -> bool:
        def done(path: Path) -> str:
            if download.verified:
                return f"downloaded {path.name}; sha256 verified"
            return (
                f"downloaded {path.name}; no checksum was given to verify it "
                f"(its sha256 is {download.digest})"
            )

        return self._start(download.run, f"Downloading {download.name}", done)

    def _start(self, work: Work, what: str, on_success: Callable[[Path], str]) -> bool:
        if self.job is not None:
            self._say("wait for the current download to finish, or cancel it", error=True)
            return False
        self._on_success = on_success
        self._what = what
        self.message_label.hide()
        self.progress_bar.setRange(0, 0)  # busy until the size is known
        self.progress_label.setText(f"{what}…")
        self._progress_row.show()
        self.job = ModelJob(work)
        self.job.progressed.connect(self._on_progress)
        self.job.succeeded.connect(self._on_succeeded)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)
        self.job.finished.connect(self._on_finished)
        self._update_buttons()
        self.job.start()
        return True

    def _on_progress(self, progress: Progress) -> None:
        if self.job is None:
            return
        if progress.fraction is not None:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(progress.fraction * 1000))
        if not self.job.cancel.is_set():
            self.progress_label.setText(f"{self._what}: {progress.line()}")
        self.progressChanged.emit(progress)

    def _on_succeeded(self, path: Path) -> None:
        self.refresh()
        self.select(f"gguf:{path}")
        self._say(self._on_success(path))
        self.modelsChanged.emit()

    def _on_failed(self, message: str) -> None:
        self.refresh()
        self._say(message, error=True)

    def _on_cancelled(self, message: str) -> None:
        self.refresh()
        self._say(message)

    def _on_finished(self) -> None:
        self.job = None
        self._progress_row.hide()
        self.progress_label.clear()
        self._update_buttons()

    def _on_url_clicked(self) -> None:
        ask = UrlDialog(self)
        if ask.exec():
            self.download_url(ask.url_edit.text(), ask.sha_edit.text())
        ask.deleteLater()

    def _on_import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a GGUF model", str(Path.home()), "GGUF models (*.gguf);;All files (*)"
        )
        if path:
            self.import_file(Path(path))

    def _say(self, message: str, *, error: bool = False) -> None:
        """One line for the person under the table: red for errors."""
        self.message_label.setText(message)
        self.message_label.setStyleSheet(_RED if error else "")
        self.message_label.setProperty("error", error)
        self.message_label.show()

    # -- closing --------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing (Close, Esc, the window's ×) cancels a running download and waits briefly."""
        job = self.job
        if job is not None:
            job.stop()
            if not job.wait(CLOSE_WAIT):
                log.warning("a cancelled model download is still stopping")
        super().done(result)
