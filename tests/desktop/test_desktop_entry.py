"""Menu entry, icons, start at login, and the hotkey text: the parts that need no X server."""

from __future__ import annotations

import configparser
import os
import shlex
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.conftest import ROOT, Desktop
from ui.desktop_entry import ICON_SIZES, desktop_entry_text, set_start_at_login
from ui.hotkey import HotkeyError, parse_hotkey


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    data, config = tmp_path / "xdg-data", tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return data, config


def read_entry(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def unquote_exec(value: str) -> list[str]:
    """Decode an Exec= value as the Desktop Entry Specification says (independently)."""
    value = value.replace("\\\\", "\x00").replace("\\s", " ").replace("\x00", "\\")
    args, current, quoted, i = [], "", False, 0
    while i < len(value):
        char = value[i]
        if quoted and char == "\\" and value[i + 1] in '"`$\\':
            current += value[i + 1]
            i += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            args.append(current)
            current = ""
        else:
            current += char
        i += 1
    args.append(current)
    return [a.replace("%%", "%") for a in args if a]


def test_install_desktop_entry_writes_the_entry_and_every_icon(xdg):
    data, _ = xdg
    out = subprocess.run(
        [sys.executable, "-m", "ui.main", "--install-desktop-entry"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    entry = data / "applications" / "smart-agent.desktop"
    assert str(entry) in out.stdout
    for size in ICON_SIZES:
        icon = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "smart-agent.png"
        assert png_size(icon) == (size, size)
    svg = data / "icons" / "hicolor" / "scalable" / "apps" / "smart-agent.svg"
    assert svg.read_text().lstrip().startswith("<?xml")
    parsed = read_entry(entry)
    main = parsed["Desktop Entry"]
    assert (main["Type"], main["Name"], main["Icon"]) == (
        "Application",
        "Smart Agent",
        "smart-agent",
    )
    command = unquote_exec(main["Exec"])
    assert Path(command[0]).is_absolute()
    # the Exec line really starts this installation
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("smart-agent ")
    action = parsed["Desktop Action QuickPrompt"]
    assert unquote_exec(action["Exec"]) == [*command, "--quick-prompt"]


def test_exec_lines_survive_spaces_quotes_and_dollars():
    command = ["/opt/My Apps/smart agent", 'a "quoted" $HOME 100% \\ arg']
    text = desktop_entry_text(command)
    execs = [line[5:] for line in text.splitlines() if line.startswith("Exec=")]
    assert unquote_exec(execs[0]) == command
    assert unquote_exec(execs[1]) == [*command, "--quick-prompt"]


def test_start_at_login_writes_and_removes_the_autostart_entry(xdg):
    _, config = xdg
    where = Path(set_start_at_login(True))
    assert where == config / "autostart" / "smart-agent.desktop"
    main = read_entry(where)["Desktop Entry"]
    assert main["Name"] == "Smart Agent" and "Actions" not in main
    assert Path(shlex.split(main["Exec"])[0]).exists()
    assert read_entry(where).sections() == ["Desktop Entry"]
    set_start_at_login(False)
    assert not where.exists()
    set_start_at_login(False)  # already off: fine


def test_the_start_at_login_setting_reaches_the_autostart_folder(desktop: Desktop, xdg):
    _, config = xdg
    desktop.settings(**{"ui.start_at_login": True})
    app = desktop.launch()
    desktop.main_window(app)
    desktop.wait_log("start at login on", app=app)
    assert (config / "autostart" / "smart-agent.desktop").exists()


@pytest.mark.parametrize(
    ("text", "modifiers", "key"),
    [
        ("Ctrl+Alt+Q", {"ctrl", "alt"}, "q"),
        ("Meta+Shift+F5", {"meta", "shift"}, "f5"),
        ("ctrl+alt+space", {"ctrl", "alt"}, "space"),
        ("Ctrl++", {"ctrl"}, "+"),
        ("F9", set(), "f9"),
    ],
)
def test_parse_hotkey(text, modifiers, key):
    hotkey = parse_hotkey(text)
    assert (set(hotkey.modifiers), hotkey.key) == (modifiers, key)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("Q", "needs a modifier"),
        ("Ctrl+Hyper+Q", "not a modifier"),
        ("Ctrl+Alt", "no key"),
        ("Ctrl+K, Ctrl+C", "one key combination"),
    ],
)
def test_bad_hotkeys_say_why(text, says):
    with pytest.raises(HotkeyError, match=says):
        parse_hotkey(text)


def test_wayland_without_x_tells_the_exact_command_to_bind():
    # in a fresh process: a QApplication left by other tests would decide the platform
    code = (
        "from ui.hotkey import GlobalHotkey, HotkeyUnsupported\n"
        "hotkey = GlobalHotkey()\n"
        "hotkey.register('')\n"  # off: nothing to register, no error
        "try:\n"
        "    hotkey.register('Ctrl+Alt+Q')\n"
        "except HotkeyUnsupported as exc:\n"
        "    print(exc)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env["WAYLAND_DISPLAY"] = "wayland-0"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    message = out.stdout.strip()
    assert "Ctrl+Alt+Q" in message and "keyboard shortcut settings" in message
    command = shlex.split(message.rsplit(": ", 1)[1])
    assert command[-1] == "--quick-prompt" and Path(command[0]).exists()
