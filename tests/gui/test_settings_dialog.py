"""The settings dialog: round-trip through the file, approval revocation, databases,
secrets through a real keyring backend, the no-keyring path, and the themes."""

from __future__ import annotations

import json
import os
import stat

import keyring
import keyring.backend
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from app.paths import Paths
from app.secrets import SERVICE, get_secret, keyring_available, plaintext_path
from app.settings import OPTIONS, Settings, db_password_secret
from ui.mcp_settings import TAB_TITLE as MCP_TAB_TITLE
from ui.model_picker import OTHER
from ui.settings_dialog import (
    ADVANCED_TAB,
    NO_KEYRING_MESSAGE,
    TABS,
    SettingsDialog,
)
from ui.theme import apply_theme

pytestmark = pytest.mark.gui

SECRET = "s3cr3t-key-4b9f0e"  # scanned for in every file under SMART_AGENT_HOME


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend that keeps its passwords in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def backend():
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring():
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def open_dialog(qtbot, settings=None):
    dialog = SettingsDialog(settings or Settings.load())
    qtbot.addWidget(dialog)
    changes: list[set[str]] = []  # what the settings' listeners hear
    dialog.settings.subscribe(lambda names: changes.append(set(names)))
    dialog.changes = changes  # type: ignore[attr-defined]
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def editor(dialog, name):
    return dialog._editors[name].focus


def retype(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def click_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def files_containing(root, text: str) -> list[str]:
    return [
        str(path) for path in root.rglob("*")
        if path.is_file() and text.encode() in path.read_bytes()
    ]


def test_every_option_has_an_editor_in_some_tab(qtbot):
    dialog = open_dialog(qtbot)
    assert set(dialog._editors) == {option.name for option in OPTIONS}
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    named = [title for title, _ in TABS]
    assert titles == [*named[:2], MCP_TAB_TITLE, *named[2:], ADVANCED_TAB, "Se&rver"]
    assert "Approve" not in dialog.windowTitle()


def test_round_trip_saves_only_what_changed(qtbot, smart_agent_home):
    dialog = open_dialog(qtbot)
    picker = dialog._editors["models.planner"].widget  # ui.model_picker: Other… takes a spec
    picker.combo.setCurrentText(OTHER)
    retype(qtbot, picker.other, "gguf:/models/big.gguf")
    editor(dialog, "agent").setCurrentText("react")
    retype(qtbot, editor(dialog, "llama.n_ctx"), "8192")
    temperature = editor(dialog, "generation.temperature")
    retype(qtbot, temperature, temperature.locale().toString(0.7, "f", 1))
    qtbot.mouseClick(editor(dialog, "distributor.fast_path"), Qt.MouseButton.LeftButton)
    editor(dialog, "theme").setCurrentText("dark")
    retype(qtbot, editor(dialog, "workspace"), str(smart_agent_home / "elsewhere"))
    hotkey = editor(dialog, "hotkey")
    hotkey.clear()
    qtbot.keyClick(hotkey, Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog.approval_table.combo("python").setCurrentText("deny")
    click_ok(qtbot, dialog)

    expected = {
        "models.planner": "gguf:/models/big.gguf",
        "agent": "react",
        "llama.n_ctx": 8192,
        "generation.temperature": 0.7,
        "distributor.fast_path": False,
        "theme": "dark",
        "workspace": str(smart_agent_home / "elsewhere"),
        "hotkey": "Ctrl+Shift+K",
        "approval": {"python": "deny"},
    }
    assert not dialog.isVisible()
    assert dialog.changes == [set(expected)]
    assert json.loads(Paths.from_env().settings_file.read_text()) == expected
    loaded = Settings.load()
    for name, value in expected.items():
        assert loaded.get(name) == value
    assert dialog.settings.get("agent") == "react"  # the live settings object too


def test_untouched_dialog_writes_no_values(qtbot):
    dialog = open_dialog(qtbot)
    click_ok(qtbot, dialog)
    assert dialog.changes == [] and not dialog.isVisible()
    assert json.loads(Paths.from_env().settings_file.read_text()) == {}


def test_untouched_fields_keep_values_the_widgets_cannot_show(qtbot):
    """A hand-edited 0.125 (spin box: 2 decimals) and a key Qt spells otherwise survive."""
    by_hand = {"generation.temperature": 0.125, "hotkey": "Super+Q", "llama.n_ctx": 4096 * 4}
    Settings(by_hand).save()
    dialog = open_dialog(qtbot)
    click_ok(qtbot, dialog)
    assert dialog.changes == [] and not dialog.isVisible()
    assert json.loads(Paths.from_env().settings_file.read_text()) == by_hand


def test_cleared_hotkey_means_off(qtbot):
    dialog = open_dialog(qtbot)
    editor(dialog, "hotkey").clear()
    click_ok(qtbot, dialog)
    assert Settings.load().get("hotkey") == ""


def test_always_allow_is_revoked_by_setting_ask(qtbot):
    settings = Settings({"approval": {"save_file": "allow", "gone_tool": "deny"}})
    settings.save()
    dialog = open_dialog(qtbot, Settings.load())
    combo = dialog.approval_table.combo("save_file")
    assert combo.currentText() == "allow"
    assert dialog.approval_table.combo("gone_tool").currentText() == "deny"
    assert dialog.approval_table.combo("sql_query").currentText() == "allow"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # ask, allow, deny: one up from allow
    assert combo.currentText() == "ask"
    click_ok(qtbot, dialog)
    loaded = Settings.load()
    assert loaded.get("approval") == {"gone_tool": "deny"}
    assert loaded.policy_for("save_file", "write") == "ask"
    assert dialog.changes == [{"approval"}]


def test_database_rows_are_checked_and_saved(qtbot, backend):
    dialog = open_dialog(qtbot)
    table = dialog.database_table
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    table.table.item(0, 0).setText("sales")
    table.table.item(0, 1).setText("mysql://ann:pw@db.example:3306/sales")
    click_ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.changes == []
    assert "Password column" in dialog.error_label.text()
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "&Databases"
    assert not Paths.from_env().settings_file.exists()

    table.table.item(0, 1).setText("postgres://ann@db/sales")
    click_ok(qtbot, dialog)
    assert "unsupported database URL" in dialog.error_label.text()

    table.table.item(0, 1).setText("mysql://ann@db.example:3306/sales")
    qtbot.keyClicks(table.password_edit(0), SECRET)
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert Settings.load().get("databases") == {"sales": "mysql://ann@db.example:3306/sales"}
    assert backend.passwords == {(SERVICE, db_password_secret("sales").keyring): SECRET}
    assert get_secret("db_password_sales") == SECRET  # the name app.tools.sql reads
    assert files_containing(Paths.from_env().config.parent, SECRET) == []

    # reopen: the password is not shown, removing the row forgets it
    dialog = open_dialog(qtbot)
    assert dialog.database_table.password_edit(0).text() == ""
    assert "stored" in dialog.database_table.password_edit(0).placeholderText()
    dialog.database_table.table.setCurrentCell(0, 0)
    qtbot.mouseClick(dialog.database_table.remove_button, Qt.MouseButton.LeftButton)
    click_ok(qtbot, dialog)
    assert Settings.load().get("databases") == {}
    assert backend.passwords == {}


def test_api_key_goes_to_the_keyring_only(qtbot, backend, smart_agent_home):
    assert keyring_available()
    dialog = open_dialog(qtbot)
    assert not dialog.keyring_label.isVisible()
    key_edit = dialog._secret_edits["brave_api_key"]
    assert key_edit.echoMode() == key_edit.EchoMode.Password
    editor(dialog, "search.provider").setCurrentText("brave")
    qtbot.keyClicks(key_edit, SECRET)
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert backend.passwords == {(SERVICE, "brave_api_key"): SECRET}
    assert get_secret("brave_api_key") == SECRET
    assert Settings.load().get("search.provider") == "brave"
    assert files_containing(smart_agent_home, SECRET) == []

    dialog = open_dialog(qtbot)
    assert dialog._secret_edits["brave_api_key"].text() == ""
    forget = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Forget")
    assert forget.isEnabled()
    qtbot.mouseClick(forget, Qt.MouseButton.LeftButton)
    click_ok(qtbot, dialog)
    assert backend.passwords == {}
    assert get_secret("brave_api_key") is None


def test_without_a_keyring_the_key_is_refused_and_written_nowhere(
    qtbot, no_keyring, smart_agent_home
):
    assert not keyring_available()
    dialog = open_dialog(qtbot)
    assert dialog.keyring_label.isVisible()
    assert "No system keyring" in dialog.keyring_label.text()
    editor(dialog, "search.provider").setCurrentText("brave")
    qtbot.keyClicks(dialog._secret_edits["brave_api_key"], SECRET)
    click_ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.changes == []
    assert dialog.error_label.text() == NO_KEYRING_MESSAGE
    assert files_containing(smart_agent_home, SECRET) == []
    assert not Paths.from_env().settings_file.exists()  # nothing half-saved either

    # clearing the key lets the rest be saved, still without the key anywhere
    dialog._secret_edits["brave_api_key"].clear()
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert Settings.load().get("search.provider") == "brave"
    assert files_containing(smart_agent_home, SECRET) == []
    assert get_secret("brave_api_key") is None


def test_plain_text_file_only_when_the_person_ticks_it(qtbot, no_keyring, smart_agent_home):
    dialog = open_dialog(qtbot)
    qtbot.keyClicks(dialog._secret_edits["brave_api_key"], SECRET)
    qtbot.keyClick(dialog, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # plain-text &file
    qtbot.waitUntil(dialog.plaintext_box.isChecked)
    assert dialog.plaintext_box.isChecked()
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    path = plaintext_path()
    assert files_containing(smart_agent_home, SECRET) == [str(path)]
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert get_secret("brave_api_key") == SECRET
    assert SECRET not in Paths.from_env().settings_file.read_text()


@pytest.mark.parametrize(("name", "dark"), [("dark", True), ("light", False)])
def test_themes_set_a_fusion_palette_and_system_restores(qtbot, name, dark):
    app = QApplication.instance()
    platform_style = app.style().name()
    apply_theme(app, name)
    try:
        window = app.palette().color(QPalette.ColorRole.Window)
        text = app.palette().color(QPalette.ColorRole.WindowText)
        assert app.style().name().lower() == "fusion"
        assert (window.lightness() < 128) is dark
        assert (text.lightness() > 128) is dark
    finally:
        apply_theme(app, "system")
    assert app.style().name() == platform_style
    assert app.palette() == app.style().standardPalette()
