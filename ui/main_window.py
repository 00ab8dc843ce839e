"""The main window: task box, live plan tree, answer, history, status bar.

Every run is one ``RunWorker``; its events arrive here on the GUI thread and feed the
``PlanTreeModel`` of that run, which the run view (``ui.run_view``: plan tree, detail pane,
answer pane with the conversation's earlier turns and a follow-up box) shows.
Window size, position and splitters are kept in ``window.ini`` in the config folder.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import SmartAgentError
from app.events import Event, RunFinished, RunStarted
from app.runtime import AGENTS, Runtime
from app.settings import AGENT_MODES
from ui.answer_pane import RENDER_INTERVAL_MS
from ui.help_menu import HelpMenu
from ui.history_panel import HistoryPanel
from ui.model_loading import ModelLoading
from ui.plan_tree_model import PlanTreeModel, format_seconds
from ui.planner_choice import PlannerChoice
from ui.run_view import RunView
from ui.status_line import GivingLabel, models_in_use, outcome_line, show_elided
from ui.window_dialogs import WindowDialogs
from ui.window_state import restore_window, save_window

if TYPE_CHECKING:  # imported when first used: the window paints before the tool stack loads
    from ui.run_worker import ModelLoader, RunWorker

log = logging.getLogger(__name__)

TITLE = "Smart Agent"
SPLITTERS = ("main_splitter", "work_splitter", "tree_splitter")
WELCOME = (
    "<h3>What should Smart Agent do?</h3>"
    "<p>Type a task above and press <b>Ctrl+Enter</b>. The planner splits it into steps, "
    "the tools run (anything that writes asks you first), and the answer appears here.</p>"
    "<p>Try: <i>What time is it in Tokyo?</i> or <i>Which films in the sample database "
    "were directed by Christopher Nolan?</i></p>"
)


class MainWindow(WindowDialogs, ModelLoading, QMainWindow):
    runStarted = Signal(str, str)  # run id, task
    runFinished = Signal(str, str, str)  # run id, status, answer or error
    settingsChanged = Signal(object)  # frozenset of option names, whoever changed them
    _settingsSaved = Signal(object)  # the same, from the thread that saved them

    def __init__(self, runtime: Runtime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.close_to_tray = False
        self.worker: RunWorker | None = None
        self.loader: ModelLoader | None = None
        self.models_ready = False
        self.live_model = PlanTreeModel(self)  # the run in progress (or the last one)
        self._approvals: list[Any] = []  # open approval dialogs
        self._answer_started: float | None = None
        self._answer_pieces = 0
        self.setWindowTitle(TITLE)
        self._window_state = QSettings(
            str(runtime.paths.config / "window.ini"), QSettings.Format.IniFormat
        )
        self._build()
        self._connect_signals()
        self._follow_settings()
        self._restore_state()
        self._show_placeholder()
        self.history.refresh()
        self._apply_theme()
        self._warnings_shown = 0
        self._show_warnings()

    def _show_warnings(self) -> None:
        """Settings and history problems at once; user tool files' once they are loaded."""
        for warning in self.runtime.warnings[self._warnings_shown :]:
            self.statusBar().showMessage(warning, 15000)
        self._warnings_shown = len(self.runtime.warnings)

    def _apply_theme(self) -> None:
        from ui.theme import apply_theme

        app = QApplication.instance()
        theme = self.runtime.settings.get("theme")
        if isinstance(app, QApplication) and theme != "system":
            apply_theme(app, theme)

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.task_box = QPlainTextEdit()
        self.task_box.setObjectName("taskBox")
        self.task_box.setPlaceholderText("Describe a task… (Ctrl+Enter runs it, Esc stops)")
        self.task_box.setFixedHeight(self.task_box.fontMetrics().lineSpacing() * 4 + 12)
        self.mode_box = QComboBox()
        self.mode_box.setToolTip("Agent mode")
        for mode, label in AGENT_MODES.items():
            self.mode_box.addItem(label, mode)
            if mode not in AGENTS:
                item = self.mode_box.model().item(self.mode_box.count() - 1)  # type: ignore[attr-defined]
                item.setEnabled(False)
                item.setToolTip("not available in this build")
        self.planner_choice = PlannerChoice(self.runtime.settings)
        self.model_box = self.planner_choice.box
        self.run_button = QPushButton("&Run")
        self.run_button.setToolTip("Run the task (Ctrl+Enter)")
        self.run_button.setDefault(True)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the run (Esc)")
        self.stop_button.setEnabled(False)
        controls = QVBoxLayout()
        for widget in (self.mode_box, self.planner_choice, self.run_button, self.stop_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.task_box, 1)
        top.addLayout(controls)

        self.work_splitter = self.run_view = RunView(self.live_model)
        view = self.run_view  # its parts, as the window's own
        self.tree, self.detail, self.tree_splitter = view.tree, view.detail, view.tree_splitter
        self.placeholder, self.tree_stack = view.placeholder, view.tree_stack
        self.answer_pane, self.answer = view.answer_pane, view.answer_pane.view
        self.answer_timer = view.answer_pane.timer

        work = QWidget()
        work_layout = QVBoxLayout(work)
        work_layout.setContentsMargins(0, 0, 0, 0)
        work_layout.addLayout(top)
        work_layout.addWidget(self.work_splitter, 1)

        self.history = HistoryPanel(self.runtime.store)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.history)
        self.main_splitter.addWidget(work)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([260, 840])
        self.setCentralWidget(self.main_splitter)

        self.models_label = GivingLabel("Models: not loaded yet")
        self.speed_label = QLabel("")
        self.load_progress = QProgressBar()
        self.load_progress.setMaximumWidth(160)
        self.load_progress.setTextVisible(False)
        self.load_progress.hide()
        status = self.statusBar()
        status.addPermanentWidget(self.load_progress)
        status.addPermanentWidget(self.models_label)
        status.addPermanentWidget(self.speed_label)

        self.tick_timer = QTimer(self, interval=500)
        self._build_menus()
        self._fill_choices()
        self.resize(1100, 720)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.new_action = file_menu.addAction("&New task")
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.export_md_action = file_menu.addAction("Export run as &Markdown…")
        self.export_json_action = file_menu.addAction("Export run as &JSON…")
        file_menu.addSeparator()
        self.models_action = file_menu.addAction("&Models…")
        self.models_action.setShortcut(QKeySequence("Ctrl+M"))
        self.teach_action = file_menu.addAction("&Teach from my runs…")
        self.settings_action = file_menu.addAction("&Settings…")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction("&Quit")
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        run_menu = menu.addMenu("&Run")
        self.run_action = run_menu.addAction("&Run task")
        self.run_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.stop_action = run_menu.addAction("&Stop")
        self.stop_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.stop_action.setEnabled(False)
        self.find_action = run_menu.addAction("&Find in history")
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        help_menu = menu.addMenu("&Help")
        self.help = HelpMenu(self, help_menu, self.runtime.settings, self.runtime.paths.logs)
        self.about_action = help_menu.addAction("&About Smart Agent")

    def _fill_choices(self) -> None:
        settings = self.runtime.settings
        index = self.mode_box.findData(settings.get("agent"))
        self.mode_box.setCurrentIndex(max(index, 0))
        specs = ["default", settings.get("models.planner")]
        models_dir = self.runtime.paths.models_dir
        if models_dir.is_dir():
            specs += [f"gguf:{p}" for p in sorted(models_dir.glob("*.gguf"))]
        self.planner_choice.fill(specs)

    def _connect_signals(self) -> None:
        self.run_button.clicked.connect(self._on_run)
        self.planner_choice.madeDefault.connect(
            lambda spec: self.statusBar().showMessage(f"{spec} is now the default planner", 8000)
        )
        self.planner_choice.failed.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.run_action.triggered.connect(self._on_run)
        self.stop_button.clicked.connect(self.stop)
        self.stop_action.triggered.connect(self.stop)
        self.new_action.triggered.connect(self._on_new_task)
        self.settings_action.triggered.connect(self.open_settings)
        self.models_action.triggered.connect(self.open_models)
        self.teach_action.triggered.connect(self.open_teach)
        self.quit_action.triggered.connect(self._on_quit)
        self.about_action.triggered.connect(self._on_about)
        self.find_action.triggered.connect(self.history.search.setFocus)
        self.export_md_action.triggered.connect(lambda: self._export_shown("md"))
        self.export_json_action.triggered.connect(lambda: self._export_shown("json"))
        self.history.openRequested.connect(self.open_run)
        self.history.deleted.connect(self._on_run_deleted)
        self.history.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.answer_timer.timeout.connect(self._render_answer)
        self.answer_pane.followUp.connect(self._on_follow_up)
        self.tick_timer.timeout.connect(self._on_tick)

    # -- state ------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        restore_window(self, self._window_state, SPLITTERS)

    def save_state(self) -> None:
        save_window(self, self._window_state, SPLITTERS)

    @property
    def shown_model(self) -> PlanTreeModel:
        """What the tree shows: the live run, or a reopened one."""
        return self.run_view.model

    def _show_placeholder(self) -> None:
        text = WELCOME
        if self.loader is not None and not self.models_ready:
            text += "<p><i>The model is still loading; you can type your task meanwhile.</i></p>"
        elif self.is_running():
            text = "<h3>Planning…</h3><p>The steps appear here as soon as the plan is ready.</p>"
        self.run_view.show_placeholder(text)

    # -- runs -------------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self.worker is not None

    def _on_run(self) -> None:
        task = self.task_box.toPlainText().strip()
        if not task:
            self.statusBar().showMessage("Type a task first.", 4000)
            self.task_box.setFocus()
            return
        self.start_task(task)

    def start_task(self, task: str, continue_from: str | None = None) -> bool:
        """Start a run of ``task`` (a follow-up of run ``continue_from`` when given); False
        (and nothing started) if one is already running."""
        if self.worker is not None:
            self.statusBar().showMessage("A run is in progress; stop it first (Esc).", 5000)
            return False
        mode = self.mode_box.currentData() or None
        planner = self.model_box.currentText().strip() or None
        self._remember_mode(mode)
        self.live_model.clear()
        self.run_view.show_model(self.live_model)
        self.answer.clear()
        self.detail.clear()
        self._answer_started = None
        self._answer_pieces = 0
        self.answer_timer.setInterval(RENDER_INTERVAL_MS)
        from ui.run_worker import RunWorker

        turns = self.runtime.store.thread(continue_from) if continue_from else []
        self.answer_pane.set_earlier([(r.task, r.answer or "") for r in turns])
        worker = RunWorker(
            self.runtime, task, mode=mode, planner=planner, continue_from=continue_from
        )
        worker.eventReady.connect(self._on_event)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_worker_finished)
        worker.approvalNeeded.connect(self._on_approval_needed)
        self.worker = worker
        self._set_running(True)
        self._show_placeholder()
        worker.start()
        return True

    def stop(self) -> None:
        """Cancel the run; the core stops between tokens and kills running tools."""
        if self.worker is not None:
            self.worker.stop()
            self.stop_button.setEnabled(False)
            self.stop_action.setEnabled(False)
            self.statusBar().showMessage("Stopping…")

    def _remember_mode(self, mode: str | None) -> None:
        """The agent mode picked last is the next start's; the planner has "Make default"."""
        settings = self.runtime.settings
        if not mode or settings.get("agent") == mode:
            return
        try:
            settings.update({"agent": mode})
        except (SmartAgentError, OSError) as exc:
            self.statusBar().showMessage(f"Could not save settings: {exc}", 8000)

    def _on_follow_up(self, task: str) -> None:
        run_id = self.shown_model.tree.run_id
        if run_id and self.start_task(task, continue_from=run_id):
            self.task_box.setPlainText(task)

    def _set_running(self, running: bool) -> None:
        self.answer_pane.set_follow_up(not running and bool(self.shown_model.tree.run_id))
        self.run_button.setEnabled(not running)
        self.run_action.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.stop_action.setEnabled(running)
        if running:
            self.tick_timer.start()
        else:
            self.tick_timer.stop()

    def _on_event(self, event: Event) -> None:
        self.live_model.apply(event)
        if isinstance(event, RunStarted):
            log.info("run %s started (%s)", event.run_id, event.agent)
            self.models_label.setText(models_in_use(event.models))
            self.runStarted.emit(event.run_id, event.task)
            self.history.refresh()
            self.history.select(event.run_id)
        if self.shown_model is not self.live_model:
            return
        self.run_view.reveal()
        if event.type == "answer_delta":
            self._answer_pieces += 1
            if self._answer_started is None:
                self._answer_started = time.perf_counter()
        if event.type in ("plan_delta", "answer_delta", "answer", "run_finished"):
            self._schedule_answer()
        if isinstance(event, RunFinished):
            self._on_run_finished(event)

    def _on_run_finished(self, event: RunFinished) -> None:
        self.models_ready = True
        speeds = [
            f"{role} {u['completion_tokens'] / u['seconds']:.3g} tok/s"
            for role, u in event.usage.items()
            if u.get("seconds") and u.get("completion_tokens")
        ]
        self.speed_label.setText(" · ".join(speeds))
        line = outcome_line(event.status, format_seconds(event.seconds), event.error)
        log.info("run %s finished: %s", event.run_id, event.status)
        show_elided(self.statusBar(), line, 15000)
        answered = event.status in ("ok", "partial")  # partial: the answer, said to be so
        result = self.live_model.tree.answer if answered else (event.error or "")
        self.history.refresh()
        self.history.select(event.run_id)
        self.runFinished.emit(event.run_id, event.status, result)

    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 20000)
        tree = self.live_model.tree
        tree.status, tree.error = "failed", f"the run could not start: {message}"
        self._render_answer()
        self.runFinished.emit("", "failed", message)

    def _on_worker_finished(self) -> None:
        worker = self.worker
        self.worker = None
        self._set_running(False)
        for dialog in list(self._approvals):
            dialog.close()
        self._approvals.clear()
        if worker is not None:
            worker.deleteLater()
        self._show_placeholder()
        self._render_answer()

    def _on_tick(self) -> None:
        self.shown_model.tick()
        if self._answer_started is not None and self.worker is not None:
            seconds = time.perf_counter() - self._answer_started
            if seconds > 0.5:
                self.speed_label.setText(f"answer ~{self._answer_pieces / seconds:.0f} tok/s")

    # -- answer -----------------------------------------------------------------------------

    def _schedule_answer(self) -> None:
        self.answer_pane.schedule()

    def _render_answer(self) -> None:
        """The shown run's answer; it may be followed up once it has an id and is done."""
        tree = self.shown_model.tree
        self.answer_pane.show_run(tree)
        self.answer_pane.set_follow_up(self.worker is None and bool(tree.run_id))

    # -- history ----------------------------------------------------------------------------

    def open_run(self, run_id: str) -> None:
        """Show a stored run: its tree and answer rebuilt from its events."""
        if self.worker is not None and run_id == self.worker.run_id:
            self.run_view.show_model(self.live_model)
            self._render_answer()
            return
        record = self.runtime.store.get(run_id)
        if record is None:
            self.statusBar().showMessage(f"Run {run_id} is not in the history", 8000)
            return
        model = PlanTreeModel(self)
        for event in self.runtime.store.events(record.id):
            model.apply(event)
        if not model.tree.answer and record.answer:
            model.tree.answer = record.answer
        if model.tree.status in ("", "running") and record.status != "running":
            model.tree.status = record.status
            model.tree.error = record.error or ""
        if self.shown_model is not self.live_model:
            self.shown_model.deleteLater()
        self.run_view.show_model(model)
        earlier = self.runtime.store.thread(record.id)[:-1]
        self.answer_pane.set_earlier([(r.task, r.answer or "") for r in earlier])
        self.task_box.setPlainText(record.task)
        self.detail.clear()
        self._show_placeholder()
        self._render_answer()
        self.history.select(record.id)
        log.info("run %s reopened", record.id)
        self.bring_to_front()

    def _on_run_deleted(self, run_id: str) -> None:
        if self.shown_model.tree.run_id == run_id and self.shown_model is not self.live_model:
            self.run_view.show_model(self.live_model)
            self._render_answer()

    def _on_new_task(self) -> None:
        if self.worker is None:
            self.live_model.clear()
        self.run_view.show_model(self.live_model)
        self.task_box.clear()
        self.answer.clear()
        self.detail.clear()
        self._show_placeholder()
        self.task_box.setFocus()

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def _on_quit(self) -> None:
        self.close_to_tray = False
        self.close()

    def shutdown(self, timeout: float = 3.0) -> None:
        """Stop any run and wait (bounded) for its thread, keeping the history consistent."""
        worker = self.worker
        if worker is not None:
            worker.stop()
            if not worker.wait(timeout):
                log.warning("run worker still busy after %.1f s at shutdown", timeout)
        self.save_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_to_tray:
            self.save_state()
            self.hide()
            event.ignore()
            return
        self.shutdown()
        event.accept()
        app = QApplication.instance()
        if app is not None:
            app.quit()
