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
from collections.abc import Callable
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
    """The approver of one run: hands each question to the GUI after its step's event.

    The tool's thread emits ``approval_requested`` and then asks, but the event reaches the
    GUI the long way (queue, agent generator, store, ``eventReady``), and while another
    question holds the gate the event may pass long before its question is asked. So a
    question is sent only once both have arrived, by whichever came second and always
    after the event was emitted: queued signals reach the GUI thread in the order they
    were emitted, so the GUI has applied the event before it sees the question. A step
    asks at most one question at a time, so the step id is the key.

    It is plain Python on purpose: the tool threads that hold it must not keep the
    ``RunWorker`` alive, or one of them could be the thread that frees the QObject.
    """

    def __init__(self, send: Callable[[PendingApproval], None], cancel: threading.Event):
        self._send = send
        self._cancel = cancel
        self._lock = threading.Lock()
        self._asked: dict[str, PendingApproval] = {}  # questions whose event has not passed
        self._announced: set[str] = set()  # events whose question has not been asked

    def approve(self, request: ApprovalRequest) -> Decision:
        """On a tool's thread: ask, and wait for the answer (or for the run to stop)."""
        pending = PendingApproval(request)
        with self._lock:
            announced = request.step_id in self._announced
            if announced:
                self._announced.discard(request.step_id)
            else:
                self._asked[request.step_id] = pending
        if announced:
            self._send(pending)
        try:
            return pending.wait(self._cancel)
        finally:
            with self._lock:  # answered (the run stopped) before its event passed
                if self._asked.get(request.step_id) is pending:
                    del self._asked[request.step_id]

    def passed(self, event: Event) -> None:
        """On the run's thread, right after ``event`` was emitted to the GUI."""
        pending = None
        with self._lock:
            if isinstance(event, ApprovalRequested):
                pending = self._asked.pop(event.id, None)
                if pending is None:
                    self._announced.add(event.id)
            elif isinstance(event, ApprovalResolved):  # over, whether or not it was asked
                self._announced.discard(event.id)
        if pending is not None:
            self._send(pending)


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
        continue_from: str | None = None,
    ) -> None:
        super().__init__("run-worker")
        self.runtime = runtime
        self.task = task
        self.mode = mode
        self.planner = planner
        self.continue_from = continue_from  # the run this one follows up on
        self.run_id = ""
        self._questions = ApprovalHandOff(self.approvalNeeded.emit, self.cancel)

    def _run(self) -> None:
        try:
            agent = self.runtime.agent(
                mode=self.mode, planner=self.planner, approver=self._questions.approve
            )
            events = self.runtime.run(
                agent, self.task, cancel=self.cancel, continue_from=self.continue_from
            )
            for event in events:
                if not self.run_id:
                    self.run_id = event.run_id
                self.eventReady.emit(event)
                self._questions.passed(event)
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
        self.runtime.load_tools()  # off the GUI thread, like the models
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
