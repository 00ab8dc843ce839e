"""The dialogs the main window opens: approvals (one per pending question, non-modal),
settings, the model manager, Teach, About, and export of the run shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QComboBox, QMainWindow

    from app.runtime import Runtime
    from ui.history_panel import HistoryPanel
    from ui.plan_tree_model import PlanTreeModel
    from ui.run_worker import PendingApproval

    _Window = QMainWindow
else:
    _Window = object


class WindowDialogs(_Window):
    """Mixed into ``MainWindow``."""

    if TYPE_CHECKING:
        runtime: Runtime
        history: HistoryPanel
        mode_box: QComboBox
        settingsChanged: SignalInstance
        _settingsSaved: SignalInstance
        _approvals: list[Any]

        @property
        def shown_model(self) -> PlanTreeModel: ...
        def _fill_choices(self) -> None: ...
        def bring_to_front(self) -> None: ...

    def _export_shown(self, fmt: str) -> None:
        run_id = self.shown_model.tree.run_id
        if not run_id:
            self.statusBar().showMessage("No run to export yet.", 4000)
            return
        self.history.select(run_id)
        self.history.export_selected(fmt)

    def _on_approval_needed(self, pending: PendingApproval) -> None:
        from ui.approval_dialog import ApprovalDialog

        if pending.answered:  # the run was stopped while the question travelled here
            return
        dialog = ApprovalDialog(pending.request, self)
        # not connect(pending.answer): Qt would then hold `pending` by a weak reference,
        # and the tool thread that drops it last would disconnect this dialog from off the
        # GUI thread (seen as a deadlock in QDialog.done and as crashes at exit)
        dialog.decided.connect(lambda decision: pending.answer(decision))
        dialog.finished.connect(lambda _result, d=dialog: self._forget_dialog(d))
        self._approvals.append(dialog)
        self.bring_to_front()
        dialog.open()

    def _forget_dialog(self, dialog: Any) -> None:
        if dialog in self._approvals:
            self._approvals.remove(dialog)
        dialog.deleteLater()

    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.runtime.settings, self, tools=self.runtime.tools, mcp=self.runtime.mcp
        )
        dialog.exec()
        dialog.deleteLater()

    def _follow_settings(self) -> None:
        """Hear every change to the settings, whoever saved it (this window's dialogs, the
        approval's "always allow" on a tool thread): the news reaches ``_on_settings_changed``
        on the GUI thread, queued behind whatever the window was doing."""
        unsubscribe = self.runtime.settings.subscribe(self._settingsSaved.emit)
        self.destroyed.connect(lambda *_: unsubscribe())
        self._settingsSaved.connect(self._on_settings_changed)

    def _on_settings_changed(self, changed: frozenset[str]) -> None:
        from ui.theme import apply_theme

        app = QApplication.instance()
        if "theme" in changed and isinstance(app, QApplication):
            apply_theme(app, self.runtime.settings.get("theme"))
        if "models.planner" in changed:
            self._fill_choices()  # resets the mode box too, to the same saved mode
        elif "agent" in changed:
            mode = self.runtime.settings.get("agent")
            self.mode_box.setCurrentIndex(max(self.mode_box.findData(mode), 0))
        self.settingsChanged.emit(changed)

    def open_models(self) -> None:
        """The model manager: catalog, downloads, imports, and which model plays which role."""
        from ui.model_manager_dialog import ModelManagerDialog

        dialog = ModelManagerDialog(self.runtime, self)
        dialog.modelsChanged.connect(self._fill_choices)
        dialog.exec()
        dialog.deleteLater()

    def open_teach(self) -> None:
        """Train an adapter on the person's own runs; it is used only once they accept it."""
        from ui.teach_dialog import TeachDialog

        dialog = TeachDialog(self.runtime, self)
        dialog.adapterAccepted.connect(
            lambda role, path: self.statusBar().showMessage(
                f"The {role} uses the new adapter from the next run", 8000
            )
        )
        dialog.exec()
        dialog.deleteLater()

    def _on_about(self) -> None:
        QMessageBox.about(
            self,
            "About Smart Agent",
            f"<b>Smart Agent {__version__}</b><p>A local-first assistant for multi-step tasks. "
            "Models run on this machine; nothing that writes runs without your approval.</p>",
        )
