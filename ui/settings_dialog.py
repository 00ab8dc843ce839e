"""The settings dialog, built from the declarative ``app.settings.OPTIONS``.

Each option gets an editor chosen by its kind (and ``hint``): text, spin box with the
option's minimum, check box, combo, folder picker, key-sequence editor. The two dict options
have their own tables: approval policy per tool, and database connections. API keys and
database passwords never reach the settings file: they go to the OS keyring through
``app.secrets``, or, only when no keyring exists and the person ticks the box, to the
owner-only plain-text file. Accept validates everything first and keeps the dialog open
with the problem shown inline; nothing is written until every value is good.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import policy_changes
from app.errors import SettingsError
from app.secrets import NoKeyringError, delete_secret, get_secret, keyring_available, set_secret
from app.settings import BRAVE_API_KEY, OPTIONS, Option, Settings, validate
from app.tools.builtin import builtin_tools
from app.tools.registry import Tool
from ui.approval_settings import (
    APPROVAL_NOTE,
    CHANGES_NOTE,
    TRUSTED_NOTE,
    ApprovalTable,
    PolicyChangesList,
    TrustedToolsTable,
)
from ui.database_table import DatabaseTable
from ui.database_table import Invalid as _Invalid
from ui.mcp_settings import TAB_TITLE as MCP_TAB_TITLE
from ui.mcp_settings import McpServersPage
from ui.model_picker import MODEL_OPTIONS, model_editor
from ui.server_settings import ServerPanel

# Options by tab; whatever is not listed lands in "Advanced", so a new option always shows.
TABS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&Models", ("models.planner", "models.caller", "models.solver", "agent")),
    ("A&pproval", ("approval", "tools.python.unsandboxed", "tools.trusted")),
    (
        "&Search",
        ("search.provider", "search.searxng_url", "search.max_results", "wikipedia.language"),
    ),
    ("&Databases", ("databases",)),
    ("&General", ("workspace", "hotkey", "theme", "ui.close_to_tray")),
)
ADVANCED_TAB = "Ad&vanced"

NO_KEYRING_MESSAGE = (
    "No system keyring was found, so API keys and database passwords cannot be stored "
    "safely. Leave them empty (environment variables such as SMART_AGENT_BRAVE_API_KEY "
    "still work), or tick the box to keep them in a plain-text file only you can read."
)
_RED = "color: #c0392b"
_DATABASES_NOTE = (
    "Name → connection URL (sqlite:///PATH or mysql://USER@HOST:PORT/DB). Passwords go to "
    "the keyring, never into the URL; “films” is the built-in sample."
)


@dataclass
class _Editor:
    widget: QWidget  # what goes in the form
    focus: QWidget  # what to focus when its value is wrong
    value: Callable[[], Any]


class SettingsDialog(QDialog):
    """Every option's editor; OK saves the changed ones through ``Settings.update``, whose
    listeners (the window, and through it the desktop shell) hear which."""

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        tools: Iterable[Tool] | None = None,
        mcp: Any = None,  # app.mcp.host.McpHost: its servers' live state on the Tools tab
    ):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.resize(680, 560)
        self._editors: dict[str, _Editor] = {}
        self._secret_edits: dict[str, QLineEdit] = {}  # secret name → its field (not db)
        self._forget: set[str] = set()  # secrets the person asked to forget
        self.approval_table = ApprovalTable(
            settings, list(tools) if tools is not None else list(builtin_tools())
        )
        self.trusted_table = TrustedToolsTable(settings)
        self.policy_changes = PolicyChangesList(settings)
        self.database_table = DatabaseTable(settings.get("databases"))
        self.mcp_page = McpServersPage(settings, mcp)
        self._build()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.tabs = QTabWidget()
        placed: set[str] = set()
        for title, names in TABS:
            self.tabs.addTab(self._tab_page(names), title)
            placed.update(names)
        self.tabs.insertTab(2, self.mcp_page, MCP_TAB_TITLE)
        rest = tuple(option.name for option in OPTIONS if option.name not in placed)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._tab_page(rest))
        self.tabs.addTab(scroll, ADVANCED_TAB)
        self.server_panel = ServerPanel(self.settings, getattr(self.parent(), "runtime", None))
        self.tabs.addTab(self.server_panel, "Se&rver")

        self.keyring_label = QLabel(NO_KEYRING_MESSAGE)
        self.keyring_label.setTextFormat(Qt.TextFormat.PlainText)
        self.keyring_label.setWordWrap(True)
        self.plaintext_box = QCheckBox("Store secrets in a plain-text &file (not recommended)")
        self.plaintext_box.setChecked(False)
        has_keyring = keyring_available()
        self.keyring_label.setVisible(not has_keyring)
        self.plaintext_box.setVisible(not has_keyring)

        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_RED)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.keyring_label)
        layout.addWidget(self.plaintext_box)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _tab_page(self, names: Iterable[str]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        tables: dict[str, tuple[QWidget, str, Callable[[], Any]]] = {
            "approval": (self.approval_table, APPROVAL_NOTE, self.approval_table.value),
            "tools.trusted": (self.trusted_table, TRUSTED_NOTE, self.trusted_table.value),
            "databases": (self.database_table, _DATABASES_NOTE, self.database_table.value),
        }
        by_name = {option.name: option for option in OPTIONS}
        for name in names:
            option = by_name.get(name)
            if option is None:  # listed in TABS but no longer an option
                continue
            if name in tables:
                table, note, value = tables[name]
                layout.addWidget(_note(note))
                layout.addWidget(table, 1)
                self._editors[name] = _Editor(table, table, value)
                continue
            stored = self.settings.get(name)
            editor = _keeping_untouched(self._editor(option, stored), stored)
            self._editors[name] = editor
            if option.kind != "bool":  # a check box carries the description itself
                label = _note(option.description)
                label.setBuddy(editor.focus)
                layout.addWidget(label)
            layout.addWidget(editor.widget)
            layout.addSpacing(6)
            editor.widget.setToolTip(f"{name} (default: {option.default!r})")
            if name == "search.searxng_url":
                for widget in self._secret_row(BRAVE_API_KEY.keyring, "Brave Search API key"):
                    layout.addWidget(widget)
                layout.addSpacing(6)
        if "approval" in names:
            layout.addWidget(_note(CHANGES_NOTE))
            layout.addWidget(self.policy_changes, 1)
        if not any(name in tables for name in names):
            layout.addStretch(1)
        return page

    def _editor(self, option: Option, value: Any) -> _Editor:
        """The editor for one option, chosen by its kind and hint."""
        if option.kind == "bool":
            box = QCheckBox(option.description)
            box.setChecked(bool(value))
            return _Editor(box, box, box.isChecked)
        if option.kind == "choice":
            combo = QComboBox()
            combo.addItems(list(option.choices))
            combo.setCurrentText(str(value))
            return _Editor(combo, combo, combo.currentText)
        if option.kind == "int":
            spin = QSpinBox()
            low = int(option.minimum) if option.minimum is not None else -(2**31)
            spin.setRange(low, 2**31 - 1)
            spin.setValue(int(value))
            return _Editor(spin, spin, spin.value)
        if option.kind == "float":
            dspin = QDoubleSpinBox()
            dspin.setDecimals(2)
            dspin.setSingleStep(0.1)
            dspin.setRange(option.minimum if option.minimum is not None else -1e9, 1e9)
            dspin.setValue(float(value))
            return _Editor(dspin, dspin, dspin.value)
        if option.hint == "hotkey":
            return _hotkey_editor(str(value))
        if option.name in MODEL_OPTIONS:  # installed, catalog, browse (ui.model_picker)
            return _Editor(*model_editor(str(value), self.settings.paths.models_dir))
        if option.kind == "dict":  # one without a table of its own: edited as JSON
            return _json_editor(value)
        line = QLineEdit(str(value))
        if option.name.startswith("models."):
            line.setPlaceholderText("default, gguf:PATH, exl2:DIR or openai:URL[#MODEL]")
        if option.hint == "folder":
            return self._folder_editor(line)
        return _Editor(line, line, line.text)

    def _folder_editor(self, line: QLineEdit) -> _Editor:
        line.setPlaceholderText(f"default: {self.settings.paths.workspace}")
        browse = QPushButton("&Browse…")

        def choose() -> None:
            start = line.text() or str(self.settings.workspace)
            folder = QFileDialog.getExistingDirectory(self, "Choose the workspace folder", start)
            if folder:
                line.setText(folder)

        browse.clicked.connect(choose)
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(line, 1)
        box.addWidget(browse)
        return _Editor(row, line, line.text)

    def _secret_row(self, secret: str, title: str) -> tuple[QLabel, QWidget]:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        stored = get_secret(secret) is not None
        edit.setPlaceholderText("stored; type to replace" if stored else "not set")
        forget = QPushButton("Forget")
        forget.setEnabled(stored)

        def on_forget() -> None:
            self._forget.add(secret)
            edit.clear()
            edit.setPlaceholderText("will be forgotten on OK")
            forget.setEnabled(False)

        forget.clicked.connect(on_forget)
        self._secret_edits[secret] = edit
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(edit, 1)
        box.addWidget(forget)
        label = QLabel(f"{title} (kept in the keyring)")
        label.setBuddy(edit)
        return label, row

    # -- accept ---------------------------------------------------------------------------

    def accept(self) -> None:
        try:
            values = self._collect()
            to_store, to_forget = self._collect_secrets(values["databases"])
            if to_store and not keyring_available() and not self.plaintext_box.isChecked():
                raise _Invalid(self.plaintext_box, NO_KEYRING_MESSAGE)
            for secret, value in to_store.items():
                set_secret(secret, value, plaintext=self.plaintext_box.isChecked())
        except _Invalid as exc:
            self._show_error(exc.widget, str(exc))
            return
        except NoKeyringError as exc:
            self._show_error(self.plaintext_box, str(exc))
            return
        for secret in to_forget:
            delete_secret(secret)
        changed = {name for name, value in values.items() if value != self.settings.get(name)}
        before = {name: self.settings.get(name) for name in policy_changes.GUARDED}
        try:
            self.settings.update({name: values[name] for name in changed})
        except OSError as exc:
            self._show_error(self.tabs, f"the settings could not be saved: {exc}")
            return
        found = policy_changes.changes(before, values, "settings dialog")
        policy_changes.record(self.settings.paths, found)
        super().accept()

    def _collect(self) -> dict[str, Any]:
        """Every option's value from its editor, validated; _Invalid names the first bad one."""
        values: dict[str, Any] = {}
        for name, editor in self._editors.items():
            try:
                values[name] = validate(name, editor.value())
            except SettingsError as exc:
                raise _Invalid(editor.focus, str(exc)) from None
        return values

    def _collect_secrets(self, databases: dict[str, str]) -> tuple[dict[str, str], set[str]]:
        """Secrets to store (name → value) and to forget, from the fields and the tables."""
        to_store = {s: e.text() for s, e in self._secret_edits.items() if e.text()}
        to_forget = set(self._forget) - set(to_store)
        store, forget = self.database_table.secrets(databases)
        return {**to_store, **store}, to_forget | forget

    def _show_error(self, widget: QWidget, message: str) -> None:
        page: QWidget | None = widget
        while page is not None and self.tabs.indexOf(page) < 0:
            page = page.parentWidget()
        if page is not None:
            self.tabs.setCurrentWidget(page)
        self.error_label.setText(message)
        self.error_label.show()
        widget.setFocus()


def _hotkey_editor(value: str) -> _Editor:
    """One key combination (empty = off), stored portably, e.g. "Ctrl+Alt+Q"."""
    edit = QKeySequenceEdit(QKeySequence(value))
    edit.setMaximumSequenceLength(1)
    edit.setClearButtonEnabled(True)

    def current() -> str:
        return edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)

    return _Editor(edit, edit, current)


def _json_editor(value: Any) -> _Editor:
    line = QLineEdit(json.dumps(value, ensure_ascii=False))

    def current() -> Any:
        try:
            return json.loads(line.text())
        except ValueError as exc:
            raise SettingsError(f"not valid JSON: {exc}") from None

    return _Editor(line, line, current)


def _keeping_untouched(editor: _Editor, stored: Any) -> _Editor:
    """An editor that gives back ``stored`` itself while the person has not changed it.

    Widgets round (two decimals, spin-box ranges, key names Qt spells its own way); an
    untouched field must not rewrite a value the person set by hand in the file.
    """
    shown = editor.value()

    def value() -> Any:
        current = editor.value()
        return stored if current == shown else current

    return _Editor(editor.widget, editor.focus, value)


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label
