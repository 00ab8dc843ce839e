"""The Qt tree over the core's run view: each result under its own step when parallel steps
interleave, checked by ``qtmodeltester`` as events stream in; new calls and evidence open
themselves and the columns keep their widths (nothing is re-measured per event)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from tests.unit.test_run_view import interleaved
from ui.plan_tree_model import NodeRole, PlanTreeModel
from ui.run_view import RunView


def child(model: PlanTreeModel, parent: QModelIndex, kind: str) -> QModelIndex:
    [index] = [
        model.index(row, 0, parent)
        for row in range(model.rowCount(parent))
        if model.index(row, 0, parent).data(NodeRole).kind == kind
    ]
    return index


def test_each_result_sits_under_its_own_step_when_parallel_steps_interleave(qtbot, qtmodeltester):
    model = PlanTreeModel()
    qtmodeltester.check(model, force_py=True)  # stays connected: every change is checked
    view = RunView(model)
    qtbot.addWidget(view)
    view.show()
    view.show_placeholder("planning…")
    header = view.tree.header()
    widths = [header.sectionSize(1), header.sectionSize(2)]
    for event in interleaved("partial"):
        model.apply(event)
        view.reveal()
        model.tick()
    assert view.tree_stack.currentWidget() is view.tree_splitter
    steps = [model.index(row, 0) for row in range(model.rowCount())]
    assert [s.data() for s in steps] == [
        "#E1 Find who directed Jaws.",
        "#E2 Get the time in Tokyo.",
    ]
    for step, text, status in zip(steps, ("JAWS-PAGE", "TOKYO-TIME"), ("error", "ok"), strict=True):
        call = child(model, step, "call")
        evidence = child(model, call, "evidence")
        assert evidence.data(NodeRole).text.startswith(text)
        assert step.data(NodeRole).status == status
        assert view.tree.isExpanded(step) and view.tree.isExpanded(call)
    assert model.tree.status == "partial"
    assert [header.sectionSize(1), header.sectionSize(2)] == widths
    assert model.index(1, 1).data() == "get_current_time"
