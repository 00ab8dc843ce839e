"""The real app on a real X server: Xvfb, trayer as the system tray, xdotool as the person.

Every test launches ``python -m ui.main`` (the app people start) as a subprocess on a
private Xvfb display and drives it with real key and mouse events. The test process never
creates a ``QApplication``: the offscreen widget tests in tests/gui and these xcb apps live
in different processes, so neither platform leaks into the other. The test process talks
X itself (python-xlib) only to look: window trees, map states, focus, a rival key grab.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "trayer", "xdotool")
INSTALL = "install them with `bash scripts/system-deps.sh` (Debian/Ubuntu, needs root or sudo)"


def wait_for(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@dataclass
class XServer:
    display: str
    tmp: Path

    def connect(self) -> Any:
        from Xlib.display import Display

        return Display(self.display)


@pytest.fixture(scope="session")
def x_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XServer]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"the desktop tests need {', '.join(missing)}: {INSTALL}")
    try:
        import Xlib  # noqa: F401
    except ImportError:
        pytest.fail("the desktop tests need python-xlib: run `make setup`")
    tmp = tmp_path_factory.mktemp("xserver")
    read_fd, write_fd = os.pipe()
    with open(tmp / "xvfb.log", "wb") as xvfb_log:
        xvfb = subprocess.Popen(  # -displayfd: Xvfb picks a free display number itself
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24"]
            + ["+extension", "RECORD", "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,),
            stdout=xvfb_log,
            stderr=subprocess.STDOUT,
        )
    os.close(write_fd)
    number = b""
    deadline = time.monotonic() + 20
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        if select.select([read_fd], [], [], 0.5)[0]:
            chunk = os.read(read_fd, 16)
            if not chunk:
                break
            number += chunk
    os.close(read_fd)
    if not number.strip().isdigit():
        xvfb.kill()
        pytest.fail(f"Xvfb did not start: {(tmp / 'xvfb.log').read_text(errors='replace')}")
    server = XServer(f":{int(number)}", tmp)
    env = {**os.environ, "DISPLAY": server.display}
    with open(tmp / "trayer.log", "wb") as trayer_log:
        trayer = subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel"]
            + ["--width", "240", "--heighttype", "pixel", "--height", "32"],
            env=env,
            stdout=trayer_log,
            stderr=subprocess.STDOUT,
        )
    try:
        display = server.connect()
        tray = display.intern_atom("_NET_SYSTEM_TRAY_S0")
        wait_for(
            lambda: display.get_selection_owner(tray) != 0, 20, "trayer to own the system tray"
        )
        display.close()
        yield server
    finally:
        for process in (trayer, xvfb):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


@dataclass
class App:
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def err(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")


@dataclass
class Desktop:
    """One test's view of the X server, with the app launched on it."""

    x: XServer
    home: Path
    tmp: Path
    apps: list[App] = field(default_factory=list)
    _menus: set[int] = field(default_factory=set)  # popups seen as the tray menu
    _last_click: float = 0.0
    _display: Any = None

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
        env.update(DISPLAY=self.x.display, QT_QPA_PLATFORM="xcb", SMART_AGENT_HOME=str(self.home))
        env.update(PYTHONPATH=str(ROOT))
        return env

    @property
    def display(self) -> Any:
        if self._display is None:
            self._display = self.x.connect()
        return self._display

    def settings(self, **values: Any) -> None:
        path = self.home / "config" / "settings.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        merged = json.loads(path.read_text()) if path.exists() else {}
        merged.update(values)
        path.write_text(json.dumps(merged), encoding="utf-8")

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "ui.main", *args]

    def launch(self, *args: str) -> App:
        n = len(self.apps)
        out, err = self.tmp / f"app{n}.out", self.tmp / f"app{n}.err"
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            process = subprocess.Popen(
                self.command(*args), cwd=ROOT, env=self.env, stdout=stdout, stderr=stderr
            )
        app = App(process, out, err)
        self.apps.append(app)
        return app

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args), cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip

    def xdotool(self, *args: str) -> str:
        out = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=30
        )
        return out.stdout.strip()

    # -- what the person sees -----------------------------------------------------------

    def log(self) -> str:
        path = self.home / "logs" / "smart-agent.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def wait_log(self, pattern: str, timeout: float = 60, app: App | None = None) -> re.Match[str]:
        regex = re.compile(pattern)

        def found() -> re.Match[str] | None:
            if app is not None and app.process.poll() is not None:
                pytest.fail(f"the app exited ({app.process.returncode}): {app.err()[-2000:]}")
            return regex.search(self.log())

        return wait_for(found, timeout, f"log line /{pattern}/\n{self.log()[-3000:]}")

    def windows(self, name: str, pid: int | None = None) -> list[int]:
        """Visible (mapped) windows whose title matches ``name``, of ``pid`` if given."""
        ids = [int(w) for w in self.xdotool("search", "--onlyvisible", "--name", name).split()]
        if pid is not None:
            ids = [w for w in ids if self.window_pid(w) == pid]
        return ids

    def wait_window(self, name: str, pid: int, timeout: float = 30) -> int:
        return wait_for(lambda: self.windows(name, pid), timeout, f"a window '{name}'")[0]

    def wait_focused(self, name: str, pid: int, timeout: float = 30) -> int:
        """A window ``name`` of ``pid`` once it holds the keyboard focus: a key sent when the
        window is mapped but not yet focused goes elsewhere (an Esc was lost that way)."""
        window = self.wait_window(name, pid, timeout)
        wait_for(lambda: self.focused() == window, 10, f"the keyboard focus in '{name}'")
        return window

    def wait_no_window(self, name: str, pid: int, timeout: float = 10) -> None:
        wait_for(lambda: not self.windows(name, pid), timeout, f"window '{name}' to go")

    def window_pid(self, window: int) -> int | None:
        from Xlib import X

        prop = self.display.create_resource_object("window", window).get_full_property(
            self.display.intern_atom("_NET_WM_PID"), X.AnyPropertyType
        )
        return int(prop.value[0]) if prop else None

    def viewable(self, window: int) -> bool:
        from Xlib import X, error

        try:
            attrs = self.display.create_resource_object("window", window).get_attributes()
        except error.BadWindow:
            return False
        return bool(attrs.map_state == X.IsViewable)

    def focused(self) -> int:
        return int(self.display.get_input_focus().focus.id)

    def main_window(self, app: App, timeout: float = 60) -> int:
        return self.wait_window("^Smart Agent$", app.pid, timeout)

    def tray_icon(self, pid: int) -> int | None:
        """The app's window inside trayer's panel: proof the icon is embedded in the tray."""
        from Xlib import X

        pid_atom = self.display.intern_atom("_NET_WM_PID")

        def walk(window: Any, in_panel: bool) -> int | None:
            for child in window.query_tree().children:
                try:
                    wm_class = child.get_wm_class()
                except Exception:
                    wm_class = None
                inside = in_panel or bool(wm_class and wm_class[0] == "panel")
                prop = child.get_full_property(pid_atom, X.AnyPropertyType)
                if inside and prop and int(prop.value[0]) == pid:
                    return int(child.id)
                found = walk(child, inside)
                if found:
                    return found
            return None

        return walk(self.display.screen().root, False)

    def popups(self, pid: int) -> list[int]:
        """Mapped override-redirect windows of ``pid`` (menus, notification balloons)."""
        from Xlib import X

        found = []
        for child in self.display.screen().root.query_tree().children:
            attrs = child.get_attributes()
            if attrs.override_redirect and attrs.map_state == X.IsViewable:
                if self.window_pid(child.id) == pid:
                    found.append(int(child.id))
        return found

    # -- what the person does -----------------------------------------------------------

    def key(self, *keys: str) -> None:
        self.xdotool("key", "--delay", "60", *keys)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "30", text)

    def tray_menu(self, app: App, mnemonic: str) -> None:
        """Right-click the tray icon and pick a menu item by its mnemonic letter."""
        icon = wait_for(lambda: self.tray_icon(app.pid), 30, "the tray icon")
        wait_for(lambda: not self._menus & set(self.popups(app.pid)), 10, "the last menu to go")
        before = set(self.popups(app.pid))
        # two clicks within the double-click interval (400 ms) make a double click, which
        # opens no menu: a person's second click comes later, and so does ours
        time.sleep(max(0.0, self._last_click + 0.6 - time.monotonic()))
        # near the icon's top edge: a notification balloon may cover its lower half
        self.xdotool("mousemove", "--window", str(icon), "8", "3", "click", "3")
        self._last_click = time.monotonic()
        self._menus |= wait_for(lambda: set(self.popups(app.pid)) - before, 10, "the tray menu")
        self.key(mnemonic)

    def close_window(self, window: int) -> None:
        """What a window manager does for the title bar's close button: WM_DELETE_WINDOW."""
        from Xlib import X
        from Xlib.protocol import event

        target = self.display.create_resource_object("window", window)
        protocols = self.display.intern_atom("WM_PROTOCOLS")
        delete = self.display.intern_atom("WM_DELETE_WINDOW")
        message = event.ClientMessage(
            window=target, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
        )
        target.send_event(message, event_mask=X.NoEventMask)
        self.display.sync()

    def close(self) -> None:
        for app in self.apps:
            if app.process.poll() is None:
                app.process.terminate()
                try:
                    app.process.wait(15)
                except subprocess.TimeoutExpired:
                    app.process.kill()
                    app.process.wait(5)
        self.apps.clear()
        if self._display is not None:
            self._display.close()
            self._display = None


DROPPED_ENV = (
    "WAYLAND_DISPLAY",
    "XDG_SESSION_TYPE",
    "DBUS_SESSION_BUS_ADDRESS",  # no D-Bus: notifications are Qt's own balloons on the tray
    "QT_QPA_PLATFORM",
    "QT_QPA_PLATFORMTHEME",
    "XAUTHORITY",
)


@pytest.fixture
def desktop(x_server: XServer, smart_agent_home: Path, tmp_path: Path) -> Iterator[Desktop]:
    tmp = tmp_path / "run"
    tmp.mkdir()
    desk = Desktop(x_server, smart_agent_home, tmp)
    # one llama.cpp thread: on a busy machine spinning threads make generation crawl
    desk.settings(**{"llama.n_threads": 1})
    try:
        yield desk
    finally:
        desk.close()
