"""The installed PySide6 keeps the reference counts of True, False and None.

PySide6 6.12.0 dropped one reference of True on every ``Signal.emit()`` and one of None on
every Python ``data()`` that returned None to a view. The app emits a signal per event and
its views ask ``data()`` constantly, so the counts reached zero: ``Fatal Python error:
bool_dealloc`` at quit (issue 15) or a crash in use. Such a release must never be installed
again unnoticed.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, Signal

CALLS = 200


class _Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)
    flag = Signal(bool)


class _Model(QAbstractListModel):
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.UserRole:
            return True
        if role == Qt.ItemDataRole.DisplayRole:
            return "row"
        return None


def _counts() -> tuple[int, int, int]:
    gc.collect()
    return sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)


def _drift(action) -> tuple[int, int, int]:
    action()  # warm up caches
    before = _counts()
    for _ in range(CALLS):
        action()
    after = _counts()
    return tuple(a - b for a, b in zip(after, before, strict=True))  # type: ignore[return-value]


def _no_loss(drift: tuple[int, int, int]) -> bool:
    # a few references may come and go with caches; a leak of one per call cannot hide
    return all(d > -CALLS // 2 for d in drift)


def test_signal_emit_keeps_true_false_and_none(qapp):
    emitter = _Emitter()
    received: list[object] = []
    emitter.carrying.connect(received.append)
    emitter.flag.connect(received.append)
    assert _no_loss(_drift(emitter.plain.emit))
    assert _no_loss(_drift(lambda: emitter.carrying.emit(None)))
    assert _no_loss(_drift(lambda: emitter.flag.emit(False)))


def test_python_data_returning_none_or_true_keeps_them(qapp):
    model = _Model()
    index = model.index(0, 0)
    assert _no_loss(_drift(lambda: index.data(Qt.ItemDataRole.ToolTipRole)))
    assert _no_loss(_drift(lambda: index.data(Qt.ItemDataRole.UserRole)))
