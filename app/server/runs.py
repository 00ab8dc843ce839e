"""Runs started over the API: each on its own thread, its events kept for every listener.

A run belongs to the server, not to the connection that started it: a client that goes
away stops listening, the run goes on (and lands in the history) until it ends or someone
cancels it. ``max_runs`` bounds the runs (and direct model calls) at work at once; one
more is refused with ``Busy`` (HTTP 429) before anything starts, so a refused run leaves
no trace and an accepted one is recorded in full.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from app.events import Event, RunFinished
from app.server.approvals import ApiApprovals

log = logging.getLogger(__name__)

START_TIMEOUT = 30.0  # seconds for a run to emit run_started once its thread is going


class Busy(Exception):
    """Every run slot is taken."""


class RunHandle:
    """One live run: its events so far, its cancel flag, its open approval questions."""

    def __init__(self, approval_timeout: float):
        self.run_id = ""
        self.cancel = threading.Event()
        self.approvals = ApiApprovals(self.cancel, approval_timeout)
        self.events: list[Event] = []
        self.done = False
        self.started = threading.Event()
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def publish(self, event: Event) -> None:
        with self._lock:
            if not self.run_id:
                self.run_id = event.run_id
            self.events.append(event)
            waiters = list(self._waiters)
        self.approvals.passed(event)
        self.started.set()
        self._wake(waiters)

    def close(self) -> None:
        with self._lock:
            self.done = True
            waiters = list(self._waiters)
        self.started.set()
        self._wake(waiters)

    @staticmethod
    def _wake(waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]]) -> None:
        for loop, flag in waiters:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(flag.set)

    async def follow(self, start: int = 0) -> AsyncIterator[Event]:
        """Every event from ``start`` on, as it comes, until the run has ended."""
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.add(waiter)
        index = start
        try:
            while True:
                waiter[1].clear()
                with self._lock:
                    new, done = self.events[index:], self.done
                index += len(new)
                for event in new:
                    yield event
                if done:
                    return
                await waiter[1].wait()
        finally:
            with self._lock:
                self._waiters.discard(waiter)

    def finished(self) -> RunFinished | None:
        with self._lock:
            last = self.events[-1] if self.events else None
        return last if isinstance(last, RunFinished) else None


class RunManager:
    """The runs at work, bounded by ``max_runs``; an ended run is the history's."""

    def __init__(self, runtime: Any, max_runs: int, approval_timeout: float = 600.0):
        self.runtime = runtime
        self.max_runs = max_runs
        self.approval_timeout = approval_timeout
        self._lock = threading.Lock()
        self._busy = 0
        self._live: dict[str, RunHandle] = {}
        self._threads: set[threading.Thread] = set()

    def acquire(self) -> None:
        """Take one of the ``max_runs`` slots (``Busy`` when none is free)."""
        with self._lock:
            if self._busy >= self.max_runs:
                raise Busy(f"{self.max_runs} runs are already at work; try again later")
            self._busy += 1

    def release(self) -> None:
        with self._lock:
            self._busy -= 1

    def start(self, build: Callable[[RunHandle], Iterator[Event]]) -> RunHandle:
        """Take a slot, build the run (``build`` may raise: the slot is given back) and
        start pulling it on a thread; returns once its ``run_started`` is out."""
        self.acquire()
        handle = RunHandle(self.approval_timeout)
        try:
            events = build(handle)
        except BaseException:
            self.release()
            raise
        thread = threading.Thread(
            target=self._pump, args=(handle, events), name="api-run", daemon=True
        )
        with self._lock:
            self._threads.add(thread)
        thread.start()
        handle.started.wait(START_TIMEOUT)
        return handle

    def _pump(self, handle: RunHandle, events: Iterator[Event]) -> None:
        try:
            for event in events:
                if not handle.run_id:
                    with self._lock:
                        self._live[event.run_id] = handle
                handle.publish(event)
        except Exception:  # the history could not keep an event: the run ends here
            log.exception("API run %s stopped", handle.run_id)
            handle.cancel.set()
        finally:
            handle.close()
            self.release()
            with self._lock:
                self._live.pop(handle.run_id, None)  # ended: the history has it all
                self._threads.discard(threading.current_thread())

    def get(self, run_id: str) -> RunHandle | None:
        with self._lock:
            return self._live.get(run_id)

    def live(self) -> list[RunHandle]:
        with self._lock:
            return list(self._live.values())

    def shutdown(self, timeout: float = 10.0) -> None:
        """Cancel every run at work and wait (up to ``timeout``) for each to be recorded."""
        with self._lock:
            handles, threads = list(self._live.values()), list(self._threads)
        for handle in handles:
            handle.cancel.set()
        for thread in threads:
            thread.join(timeout / max(len(threads), 1))
