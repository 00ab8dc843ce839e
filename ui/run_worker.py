"""Runs on threads, results on the GUI thread.

``RunWorker`` pulls one run's event generator on a daemon thread and emits each event as
the Qt signal ``eventReady``; the receivers live on the GUI thread, so Qt queues the calls
there and widgets are only ever touched on the GUI thread. Approval questions go the same
way: the worker thread emits ``approvalNeeded`` with a ``PendingApproval`` and waits on it,
giving up the moment the run is stopped. ``ModelLoader`` loads the configured models
behind the window.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.errors import SmartAgentError
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

    def _approve(self, request: ApprovalRequest) -> Decision:
        pending = PendingApproval(request)
        self.approvalNeeded.emit(pending)
        return pending.wait(self.cancel)

    def _run(self) -> None:
        try:
            agent = self.runtime.agent(mode=self.mode, planner=self.planner, approver=self._approve)
            for event in self.runtime.run(agent, self.task, cancel=self.cancel):
                if not self.run_id:
                    self.run_id = event.run_id
                self.eventReady.emit(event)
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
