"""Menu entry, icons and start-at-login for source installs (no Qt here).

Packages (.deb, AppImage) install ``resources/smart-agent.desktop`` and the icons
themselves; ``smart-agent --install-desktop-entry`` does the same for a checkout or a pip
install, with ``Exec=`` pointing at the command that launched it, because such installs
are rarely on the desktop's PATH. Start at login follows the setting ``ui.start_at_login``:
an autostart entry on freedesktop desktops, the ``Run`` registry key on Windows.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from app.errors import SmartAgentError

APP_ID = "smart-agent"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


class DesktopEntryError(SmartAgentError):
    """The menu entry or the start-at-login entry could not be written."""


def resources_dir() -> Path:
    """``resources/`` of a checkout, or of a PyInstaller bundle (which puts it beside the app)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def icon_file(size: int | None = None) -> Path:
    """The app icon as PNG of ``size`` pixels, or the SVG when ``size`` is None."""
    name = f"{APP_ID}.svg" if size is None else f"{APP_ID}-{size}.png"
    return resources_dir() / "icons" / name


def launch_command() -> list[str]:
    """How to start this very installation again (for Exec= lines and shortcut hints)."""
    if getattr(sys, "frozen", False):
        # Windows bundles carry a windowed twin: started at login, it opens no console
        windowed = Path(sys.executable).with_name(f"{APP_ID}-gui.exe")
        return [str(windowed if sys.platform == "win32" and windowed.exists() else sys.executable)]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == APP_ID and script.exists():
        return [str(script.resolve())]
    beside = Path(sys.executable).with_name(APP_ID)  # the venv's console script
    if beside.exists():
        return [str(beside)]
    found = shutil.which(APP_ID)
    if found:
        return [found]
    return [sys.executable, "-m", "ui.main"]


def shell_command(*extra: str) -> str:
    """The launch command as one line a person can paste into a shortcut setting."""
    import shlex

    return " ".join(shlex.quote(part) for part in [*launch_command(), *extra])


def _exec_quote(arg: str) -> str:
    """Quote one Exec= argument the way the Desktop Entry Specification asks."""
    if arg and not re.search(r'[\s"\'\\><~|&;$*?#()`%=]', arg):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
    escaped = escaped.replace("$", "\\$").replace("%", "%%")
    # the .desktop file format itself unescapes backslashes once more
    return '"' + escaped.replace("\\", "\\\\") + '"'


def _exec_line(command: list[str]) -> str:
    return " ".join(_exec_quote(part) for part in command)


def desktop_entry_text(command: list[str] | None = None, *, autostart: bool = False) -> str:
    """``resources/smart-agent.desktop`` with every Exec= pointing at ``command``."""
    command = command or launch_command()
    template = (resources_dir() / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            args = line[len("Exec=") :].split()[1:]  # keep the options after `smart-agent`
            line = "Exec=" + _exec_line([*command, *args])
        lines.append(line)
    if autostart:
        # only the main entry matters at login; actions would be ignored there
        lines = lines[: lines.index("")] if "" in lines else lines
        lines = [line for line in lines if not line.startswith("Actions=")]
        lines += ["X-GNOME-Autostart-enabled=true"]
    return "\n".join(lines) + "\n"


def _xdg_dir(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / fallback


def data_home() -> Path:
    return _xdg_dir("XDG_DATA_HOME", ".local/share")


def config_home() -> Path:
    return _xdg_dir("XDG_CONFIG_HOME", ".config")


def _freedesktop() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def install_desktop_entry() -> list[Path]:
    """Write the menu entry and the icons into the XDG data folder; return what was written."""
    if not _freedesktop():
        raise DesktopEntryError(
            "--install-desktop-entry is for Linux desktops; on Windows and macOS the "
            "installer creates the shortcut"
        )
    base = data_home()
    written: list[Path] = []
    try:
        for size in ICON_SIZES:
            target = base / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
            _write(target, icon_file(size).read_bytes())
            written.append(target)
        target = base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
        _write(target, icon_file().read_bytes())
        written.append(target)
        entry = base / "applications" / f"{APP_ID}.desktop"
        _write(entry, desktop_entry_text().encode("utf-8"))
        written.append(entry)
    except OSError as exc:
        raise DesktopEntryError(f"cannot install the desktop entry: {exc}") from exc
    return written


def autostart_file() -> Path:
    return config_home() / "autostart" / f"{APP_ID}.desktop"


def set_start_at_login(enabled: bool) -> str:
    """Make the app start (or stop starting) at login; return where that is recorded."""
    try:
        if sys.platform == "win32":
            return _set_windows_run_key(enabled)
        if not _freedesktop():
            raise DesktopEntryError("start at login is not supported on this system yet")
        path = autostart_file()
        if enabled:
            _write(path, desktop_entry_text(autostart=True).encode("utf-8"))
        else:
            path.unlink(missing_ok=True)
        return str(path)
    except OSError as exc:
        raise DesktopEntryError(f"cannot change start at login: {exc}") from exc


def _set_windows_run_key(enabled: bool) -> str:
    import importlib
    import subprocess

    winreg: Any = importlib.import_module("winreg")  # Windows only

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        if enabled:
            command = subprocess.list2cmdline(launch_command())
            winreg.SetValueEx(key, "Smart Agent", 0, winreg.REG_SZ, command)
        else:
            try:
                winreg.DeleteValue(key, "Smart Agent")
            except FileNotFoundError:
                pass
    return f"HKEY_CURRENT_USER\\{_RUN_KEY}"
