"""File → Teach from my runs…: a LoRA adapter trained on the person's own runs.

The person picks a role and whether only runs rated good count, sees how many examples
that gives, and starts. Training (``app.learn.teach``) runs on a ``TeachJob`` thread whose
queued signals bring progress to the GUI thread; Stop sets the job's cancel flag and the
trainer stops after the step it is in. At the end the dialog shows what the new adapter did
(for the planner, tool choice on held-out tasks before and after) and changes nothing until
the person picks "Use the new adapter". Checking the ``[train]`` extra imports torch, so it
happens on a thread too, with counting the examples (``SurveyJob``).
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import SmartAgentError
from app.learn import preflight, teach
from app.learn.examples import ROLES
from app.learn.history import ExportTally
from app.learn.teach import TeachResult
from app.learn.train import Progress
from app.runtime import Runtime
from ui.run_worker import ThreadWorker

log = logging.getLogger(__name__)

TITLE = "Teach from my runs"
CLOSE_WAIT = 3.0  # seconds a closing dialog waits for a stopped training to end
_RED = "color: #c0392b"


class SurveyJob(ThreadWorker):
    """Checks the [train] extra and counts the examples each role would get."""

    missing = Signal(str)  # the extra is not installed: how to install it
    counted = Signal(object)  # {(role, approved_only): ExportTally}
    failed = Signal(str)
    finished = Signal()

    def __init__(self, runtime: Runtime) -> None:
        super().__init__("teach-survey")
        self.runtime = runtime

    def _run(self) -> None:
        try:
            try:
                preflight.require_extra()
            except preflight.TrainError as exc:
                self.missing.emit(str(exc))
            self.counted.emit(
                {
                    (role, good): teach.gather(self.runtime, role, approved_only=good)[1]
                    for role in ROLES
                    for good in (False, True)
                }
            )
        except SmartAgentError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: one line for the person, the trace for the log
            log.exception("counting the training examples failed")
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc} (details in the log)")
        finally:
            self.finished.emit()


class TeachJob(ThreadWorker):
    """One ``teach`` run on a daemon thread, reported through queued signals."""

    progressed = Signal(object)  # app.learn.train.Progress
    staged = Signal(str)  # the phase beginning now, in words
    succeeded = Signal(object)  # TeachResult
    failed = Signal(str)
    finished = Signal()

    def __init__(self, runtime: Runtime, role: str, approved_only: bool) -> None:
        super().__init__("teach")
        self.runtime = runtime
        self.role = role
        self.approved_only = approved_only

    def _run(self) -> None:
        try:
            result = teach.teach(
                self.runtime,
                self.role,
                approved_only=self.approved_only,
                progress=self.progressed.emit,
                cancel=self.cancel,
                stage=self.staged.emit,
            )
            self.succeeded.emit(result)
        except SmartAgentError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"the adapter could not be written: {exc}")
        except Exception as exc:
            log.exception("teaching failed")
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc} (details in the log)")
        finally:
            self.finished.emit()


class TeachDialog(QDialog):
    adapterAccepted = Signal(str, str)  # role, path of the adapter now in use
    progressChanged = Signal(object)  # app.learn.train.Progress, on the GUI thread

    def __init__(self, runtime: Runtime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.tallies: dict[tuple[str, bool], ExportTally] = {}
        self.extra_missing = ""
        self.job: TeachJob | None = None
        self.taught: TeachResult | None = None
        self.setWindowTitle(TITLE)
        self.resize(620, 340)
        self._build()
        self._connect_signals()
        self._update()
        self.survey: SurveyJob | None = SurveyJob(runtime)
        self.survey.missing.connect(self._on_missing)
        self.survey.counted.connect(self._on_counted)
        self.survey.failed.connect(self._on_survey_failed)
        self.survey.finished.connect(self._on_survey_finished)
        self.survey.start()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.role_box = QComboBox()
        for role in ROLES:
            self.role_box.addItem(role.capitalize(), role)
        self.good_only_box = QCheckBox("Only runs rated &good")
        self.good_only_box.setChecked(True)
        self.count_label = _plain_label("Counting your runs…")
        self.extra_label = _plain_label()
        self.extra_label.setStyleSheet(_RED)
        self.extra_label.hide()
        self.start_button = QPushButton("&Start")
        self.start_button.setDefault(True)
        self.stop_button = QPushButton("S&top")
        self.progress_bar = QProgressBar()
        self.progress_label = _plain_label()
        self.message_label = _plain_label()
        self.use_button = QPushButton("&Use the new adapter")
        self.keep_button = QPushButton("&Keep the current one")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)

        form = QFormLayout()
        form.addRow("&Role:", self.role_box)
        form.addRow("", self.good_only_box)
        form.addRow("Examples:", self.count_label)
        run = QHBoxLayout()
        run.addWidget(self.progress_bar, 1)
        run.addWidget(self.start_button)
        run.addWidget(self.stop_button)
        self._choice_row = QWidget()  # shown once a trained adapter waits for a decision
        choice = QHBoxLayout(self._choice_row)
        choice.setContentsMargins(0, 0, 0, 0)
        choice.addStretch(1)
        choice.addWidget(self.use_button)
        choice.addWidget(self.keep_button)
        self._choice_row.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.extra_label)
        layout.addLayout(run)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.message_label, 1)
        layout.addWidget(self._choice_row)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.role_box.currentIndexChanged.connect(self._update)
        self.good_only_box.toggled.connect(self._update)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.use_button.clicked.connect(self.use_new)
        self.keep_button.clicked.connect(self.keep_current)
        self.buttons.rejected.connect(self.reject)

    # -- state ----------------------------------------------------------------------------

    @property
    def role(self) -> str:
        return str(self.role_box.currentData())

    def tally(self) -> ExportTally | None:
        return self.tallies.get((self.role, self.good_only_box.isChecked()))

    def _update(self) -> None:
        busy = self.job is not None
        deciding = self.taught is not None and not self.taught.stopped
        tally = self.tally()
        enough = False
        if tally is not None:
            refusal = teach.too_few(tally, self.good_only_box.isChecked())
            enough = refusal is None
            extra = f". {_sentence(refusal)}" if refusal else ""
            self.count_label.setText(tally.summary() + extra)
        for widget in (self.role_box, self.good_only_box):
            widget.setEnabled(not busy and not deciding)
        self.start_button.setEnabled(
            not busy and not deciding and enough and not self.extra_missing
        )
        self.stop_button.setEnabled(busy and not (self.job and self.job.cancel.is_set()))

    def _say(self, message: str, *, error: bool = False) -> None:
        self.message_label.setText(message)
        self.message_label.setStyleSheet(_RED if error else "")
        self.message_label.setProperty("error", error)

    # -- survey ---------------------------------------------------------------------------

    def _on_missing(self, message: str) -> None:
        self.extra_missing = message
        self.extra_label.setText(_sentence(message))
        self.extra_label.show()
        self._update()

    def _on_counted(self, tallies: dict[tuple[str, bool], ExportTally]) -> None:
        self.tallies = tallies
        self._update()

    def _on_survey_failed(self, message: str) -> None:
        self.count_label.setText(f"Your runs could not be read: {message}")

    def _on_survey_finished(self) -> None:
        if self.survey is not None:
            self.survey.deleteLater()
            self.survey = None

    # -- teaching -------------------------------------------------------------------------

    def start(self) -> bool:
        """Teach the chosen role on a thread; False if it cannot start now."""
        if self.job is not None or not self.start_button.isEnabled():
            return False
        self.taught = None
        self._choice_row.hide()
        self._say("")
        self.progress_bar.setRange(0, 0)  # busy until the first step is done
        self.progress_label.setText("Preparing…")
        self.job = TeachJob(self.runtime, self.role, self.good_only_box.isChecked())
        self.job.progressed.connect(self._on_progress)
        self.job.staged.connect(self._on_stage)
        self.job.succeeded.connect(self._on_succeeded)
        self.job.failed.connect(self._on_failed)
        self.job.finished.connect(self._on_finished)
        self._update()
        self.job.start()
        return True

    def stop(self) -> None:
        """Stop after the training step in progress; the partial adapter is not kept."""
        if self.job is not None:
            self.job.stop()
            self.progress_label.setText("Stopping after this step…")
            self._update()

    def _on_stage(self, line: str) -> None:
        self.progress_bar.setRange(0, 0)
        if self.job is not None and not self.job.cancel.is_set():
            self.progress_label.setText(line)

    def _on_progress(self, progress: Progress) -> None:
        self.progress_bar.setRange(0, progress.total)
        self.progress_bar.setValue(progress.step)
        if self.job is not None and not self.job.cancel.is_set():
            self.progress_label.setText(
                f"Step {progress.step}/{progress.total} · loss {progress.loss:.3f} · "
                f"{progress.tokens_per_s:.0f} tokens/s · ETA {_duration(progress.eta_s)}"
            )
        self.progressChanged.emit(progress)

    def _on_succeeded(self, result: TeachResult) -> None:
        self.taught = result
        if result.stopped:
            self._say(
                f"Stopped at step {result.steps}/{result.total_steps}; the {result.role} "
                "keeps its current adapter and nothing was saved."
            )
            return
        self._say(_report(result))
        self._choice_row.show()
        self.use_button.setFocus()
        self._update()

    def _on_failed(self, message: str) -> None:
        self._say(_sentence(message), error=True)

    def _on_finished(self) -> None:
        job = self.job
        self.job = None
        self.progress_label.clear()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1 if self.taught and not self.taught.stopped else 0)
        if job is not None:
            job.deleteLater()
        self._update()

    # -- the decision ---------------------------------------------------------------------

    def use_new(self) -> bool:
        """Save the new adapter as the role's adapter; it applies from the next run."""
        result = self.taught
        if result is None or result.stopped:
            return False
        try:
            teach.accept(self.runtime.settings, result.role, result.adapter)
        except (SmartAgentError, OSError) as exc:
            self._say(f"The setting could not be saved: {exc}", error=True)
            return False
        self._decided(f"The {result.role} now uses {result.adapter.name} (from the next run).")
        self.adapterAccepted.emit(result.role, str(result.adapter))
        return True

    def keep_current(self) -> None:
        """Leave the settings alone and delete the adapter nobody will use."""
        result = self.taught
        if result is None or result.stopped:
            return
        teach.discard(result.adapter)
        current = result.previous.name if result.previous else "the base model alone"
        self._decided(f"The {result.role} keeps {current}; the new adapter was deleted.")

    def _decided(self, message: str) -> None:
        self.taught = None
        self._choice_row.hide()
        self._say(message)
        self._update()

    # -- closing --------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing stops a training in progress (it keeps nothing) and waits briefly."""
        job = self.job
        if job is not None:
            job.stop()
            if not job.wait(CLOSE_WAIT):
                log.warning("a stopped training is still finishing its step")
        super().done(result)


def _report(result: TeachResult) -> str:
    lines = [
        f"Trained on {result.examples} examples in {_duration(result.seconds)}: "
        f"loss {result.first_loss:.3f} → {result.final_loss:.3f} over {result.steps} steps."
    ]
    right = f"Right tools on {result.scored_tasks} held-out tasks: "
    if result.score_after is None and result.scored_tasks:
        lines.append("Scoring on held-out tasks was stopped; try the adapter on a few tasks.")
    elif result.score_after is None:
        lines.append(f"There is no held-out test for the {result.role}; try it on a few tasks.")
    elif result.score_before is None:
        lines.append(f"{right}new {result.score_after:.0%} (the current one does not load).")
    else:
        lines.append(f"{right}current {result.score_before:.0%} → new {result.score_after:.0%}.")
    current = result.previous.name if result.previous else "the base model alone"
    lines.append(f"The {result.role} uses {current} until you choose the new adapter.")
    return "\n".join(lines)


def _sentence(line: str) -> str:
    line = line.strip()
    return line[:1].upper() + line[1:] + ("" if line.endswith((".", "…")) else ".")


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return time.strftime("%M:%S", time.gmtime(max(0.0, seconds)))


def _plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
