"""The main window's models: loading the configured ones on a thread after the first paint,
with progress in the status bar; the window stays usable meanwhile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar

    from app.runtime import Runtime
    from ui.run_worker import ModelLoader

    _Window = QMainWindow
else:
    _Window = object

LOAD_DELAY_MS = 150


class ModelLoading(_Window):
    """Mixed into ``MainWindow``: the status bar's model label and load progress."""

    if TYPE_CHECKING:
        runtime: Runtime
        loader: ModelLoader | None
        models_ready: bool
        load_progress: QProgressBar
        models_label: QLabel

        def _show_placeholder(self) -> None: ...
        def _show_warnings(self) -> None: ...

    def load_models_in_background(self) -> None:
        """Load the configured models on a thread; the window stays usable meanwhile."""
        settings = self.runtime.settings
        specs = [settings.get("models.planner"), settings.get("models.caller")]
        specs.append(settings.get("models.solver"))
        from ui.run_worker import ModelLoader

        self.loader = ModelLoader(self.runtime, specs)
        self.loader.progress.connect(self._on_load_progress)
        self.loader.loaded.connect(self._on_models_loaded)
        self.loader.failed.connect(self._on_models_failed)
        self.load_progress.setRange(0, 0)  # busy until the first report
        self.load_progress.show()
        self.models_label.setText("Loading models…")
        self._show_placeholder()
        # after the first paint: importing and loading the backend competes for the GIL
        QTimer.singleShot(LOAD_DELAY_MS, self.loader.start)

    def _on_load_progress(self, done: int, total: int, spec: str) -> None:
        self.load_progress.setRange(0, total)
        self.load_progress.setValue(done)
        if spec:
            self.models_label.setText(f"Loading {spec} ({done + 1}/{total})…")

    def _on_models_loaded(self, ids: list[str]) -> None:
        self.models_ready = True
        self.load_progress.hide()
        self.models_label.setText("Models: " + ", ".join(dict.fromkeys(ids)))
        self._show_placeholder()
        self._show_warnings()

    def _on_models_failed(self, message: str) -> None:
        self.load_progress.hide()
        self.models_label.setText("Models: failed to load")
        self.statusBar().showMessage(message, 20000)
        self._show_placeholder()
