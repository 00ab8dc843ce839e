"""Runs on threads, results on the GUI thread.

``RunWorker`` pulls one run's event generator on a daemon thread and emits each event as
the Qt signal ``eventReady``; the receivers live on the GUI thread, so Qt queues the calls
there and widgets are only ever touched on the GUI thread. An approval question is asked
on a tool's thread, which then waits on its ``PendingApproval`` (giving up the moment the
run is stopped); it is emitted as ``approvalNeeded`` only after the step's
``approval_requested`` event has gone out through ``eventReady`` (``ApprovalHandOff``), so
the GUI always shows the step waiting before it opens the dialog. ``ModelLoader`` loads
the configured models behind the window.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.errors import SmartAgentError
from app.events import ApprovalRequested, ApprovalResolved, Event
from app.runtime import Runtime
from app.tools.approval import ApprovalRequest, Decision

log = logging.getLogger(__name__)


class PendingApproval:
    """One approval question crossing from the worker thread to the GUI and back."""

    def __init__(self, request: ApprovalRequest):
        self.request = request
        self._answered = threading.Event()
        self._decision: Decision | None = None

    def answer(self, decision: Decision) -> None:
        if not self._answered.is_set():
            self._decision = decision
            self._answered.set()

    def wait(self, cancel: threading.Event) -> Decision:
        while not self._answered.wait(0.05):
            if cancel.is_set():
                self.answer(Decision(False, self.request.arguments, note="the run was stopped"))
        assert self._decision is not None
        return self._decision

    @property
    def answered(self) -> bool:
        return self._answered.is_set()


class ApprovalHandOff:
    """Pairs each approval question with its step's ``approval_requested`` event.

    The tool's thread emits the event and then asks, but the event reaches the GUI the long
    way (queue, agent generator, store, ``eventReady``), and while another question holds
    the gate the event may pass long before its question is asked. So a question goes to
    the GUI only once both have arrived, sent by whichever came second and always after
    the event was emitted: queued signals reach the GUI thread in the order they were
    emitted, so the GUI has applied the event before it sees the question. A step asks at
    most one question at a time, so the step id is the key.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._asked: dict[str, PendingApproval] = {}  # questions whose event has not passed
        self._announced: set[str] = set()  # events whose question has not been asked

    def ask(self, pending: PendingApproval) -> bool:
        """On a tool's thread: True if its event has passed, so the question can go now."""
        step_id = pending.request.step_id
        with self._lock:
            if step_id in self._announced:
                self._announced.discard(step_id)
                return True
            self._asked[step_id] = pending
            return False

    def withdraw(self, pending: PendingApproval) -> None:
        """The question was answered (or the run stopped) before its event passed."""
        with self._lock:
            if self._asked.get(pending.request.step_id) is pending:
                del self._asked[pending.request.step_id]

    def passed(self, event: Event) -> PendingApproval | None:
        """On the run's thread, after ``event`` was emitted: the question that can go now."""
        with self._lock:
            if isinstance(event, ApprovalRequested):
                pending = self._asked.pop(event.id, None)
                if pending is None:
                    self._announced.add(event.id)
                return pending
            if isinstance(event, ApprovalResolved):  # over, whether or not it was asked
                self._announced.discard(event.id)
            return None


class ThreadWorker(QObject):
    """A daemon thread with a cancel flag; subclasses emit their own queued signals."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.cancel.set()

    def wait(self, timeout: float) -> bool:
        """Join the thread; True if it has ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        raise NotImplementedError


class RunWorker(ThreadWorker):
    eventReady = Signal(object)  # app.events.Event (not `event`: that is QObject.event())
    failed = Signal(str)  # the run could not start (e.g. a model failed to load)
    finished = Signal()
    approvalNeeded = Signal(object)  # PendingApproval

    def __init__(
        self,
        runtime: Runtime,
        task: str,
        *,
        mode: str | None = None,
        planner: str | None = None,
    ) -> None:
        super().__init__("run-worker")
        self.runtime = runtime
        self.task = task
        self.mode = mode
        self.planner = planner
        self.run_id = ""
        self._questions = ApprovalHandOff()

    def _approve(self, request: ApprovalRequest) -> Decision:
        pending = PendingApproval(request)
        if self._questions.ask(pending):
            self.approvalNeeded.emit(pending)
        try:
            return pending.wait(self.cancel)
        finally:
            self._questions.withdraw(pending)

    def _run(self) -> None:
        try:
            agent = self.runtime.agent(mode=self.mode, planner=self.planner, approver=self._approve)
            for event in self.runtime.run(agent, self.task, cancel=self.cancel):
                if not self.run_id:
                    self.run_id = event.run_id
                self.eventReady.emit(event)
                pending = self._questions.passed(event)
                if pending is not None:
                    self.approvalNeeded.emit(pending)
        except SmartAgentError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: the person gets one line, the log the trace
            log.exception("run worker failed")
            self.failed.emit(f"internal error: {type(exc).__name__}: {exc} (details in the log)")
        finally:
            self.finished.emit()


class ModelLoader(ThreadWorker):
    """Loads each configured model once, on a thread, reporting as it goes."""

    progress = Signal(int, int, str)  # done, total, what is loading now
    loaded = Signal(object)  # list of model ids
    failed = Signal(str)

    def __init__(self, runtime: Runtime, specs: list[str]) -> None:
        super().__init__("model-loader")
        self.runtime = runtime
        self.specs = list(dict.fromkeys(s for s in specs if s))

    def _run(self) -> None:
        ids: list[Any] = []
        total = len(self.specs)
        for done, spec in enumerate(self.specs):
            self.progress.emit(done, total, spec)
            try:
                ids.append(self.runtime.pool.get(spec).id)
            except SmartAgentError as exc:
                self.failed.emit(f"model {spec}: {exc}")
                return
            except Exception as exc:
                log.exception("model loading failed")
                self.failed.emit(f"model {spec}: internal error: {exc}")
                return
        self.progress.emit(total, total, "")
        self.loaded.emit(ids)
