"""Python's garbage collector, run on the GUI thread only.

The cyclic collector runs in whichever thread happens to allocate when a threshold is
crossed. If that is a worker thread (a run, a model load, the hotkey listener) and the
garbage holds a Qt object — a closed dialog kept in a cycle by a connected lambda, say —
Qt destroys a widget off the GUI thread and the process crashes (seen as a segfault in a
run worker while it asked for approval). So automatic collection is switched off and this
timer collects on the GUI thread, generation by generation, as the thresholds are crossed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = 200) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        """Collect the generations whose thresholds are crossed (cheap when nothing is)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):  # the oldest crossed one also collects the younger
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self._timer.stop()
        self.collect()
        if self._was_enabled:
            gc.enable()
