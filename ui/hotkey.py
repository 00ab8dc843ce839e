"""The global quick-prompt hotkey, registered exclusively so a clash is seen, not doubled.

X11: ``XGrabKey`` on the root window through python-xlib, on a connection and thread of
its own (Qt's connection stays untouched). The X server answers a grab that another client
holds with ``BadAccess``; we wait for that answer (``sync``) before saying the hotkey
works. Windows: ``RegisterHotKey``, which fails with ERROR_HOTKEY_ALREADY_REGISTERED on a
clash. Wayland gives apps no global keys: the person binds ``smart-agent --quick-prompt``
in the desktop's shortcut settings (the portal's GlobalShortcuts is not used yet).
macOS is not supported yet.
"""

from __future__ import annotations

import logging
import os
import select
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from app.errors import SmartAgentError

log = logging.getLogger(__name__)

MODIFIERS = {
    "ctrl": "ctrl",
    "control": "ctrl",
    "alt": "alt",
    "shift": "shift",
    "meta": "meta",
    "super": "meta",
    "win": "meta",
}
# Qt's key names → X keysym names (single characters map by their code point)
_X_NAMES = {
    "space": "space",
    "esc": "Escape",
    "escape": "Escape",
    "tab": "Tab",
    "backspace": "BackSpace",
    "return": "Return",
    "enter": "Return",
    "ins": "Insert",
    "insert": "Insert",
    "del": "Delete",
    "delete": "Delete",
    "home": "Home",
    "end": "End",
    "pgup": "Prior",
    "pgdown": "Next",
    "left": "Left",
    "right": "Right",
    "up": "Up",
    "down": "Down",
    "print": "Print",
    "pause": "Pause",
}
# ...and → Windows virtual-key codes
_VK = {
    "space": 0x20,
    "esc": 0x1B,
    "escape": 0x1B,
    "tab": 0x09,
    "backspace": 0x08,
    "return": 0x0D,
    "enter": 0x0D,
    "ins": 0x2D,
    "insert": 0x2D,
    "del": 0x2E,
    "delete": 0x2E,
    "home": 0x24,
    "end": 0x23,
    "pgup": 0x21,
    "pgdown": 0x22,
    "left": 0x25,
    "up": 0x26,
    "right": 0x27,
    "down": 0x28,
    "print": 0x2C,
    "pause": 0x13,
}
REGISTER_TIMEOUT = 5.0


class HotkeyError(SmartAgentError):
    """The hotkey could not be registered; the message says why and what to do."""


class HotkeyClash(HotkeyError):
    """Another program already holds this key combination."""


class HotkeyUnsupported(HotkeyError):
    """This desktop gives apps no global hotkeys; the message says how to bind one."""


@dataclass(frozen=True)
class Hotkey:
    text: str  # as the person wrote it, e.g. "Ctrl+Alt+Q"
    modifiers: frozenset[str]  # of "ctrl", "alt", "shift", "meta"
    key: str  # lower case: "q", "f5", "space", "+"


def parse_hotkey(text: str) -> Hotkey:
    """``"Ctrl+Alt+Q"`` (Qt's portable key-sequence text) → a ``Hotkey``."""
    text = text.strip()
    if not text:
        raise HotkeyError("the hotkey is empty")
    if "," in text:
        raise HotkeyError(f"'{text}' is a key sequence; a hotkey is one key combination")
    parts = text.split("+")
    if text.endswith("++") or text == "+":  # "Ctrl++": the key is the plus sign
        parts = [*text[:-2].split("+"), "+"] if text != "+" else ["+"]
    *mods, key = (part.strip() for part in parts)
    modifiers = set()
    for mod in mods:
        if mod.lower() not in MODIFIERS:
            raise HotkeyError(f"'{mod}' in '{text}' is not a modifier (Ctrl, Alt, Shift, Meta)")
        modifiers.add(MODIFIERS[mod.lower()])
    key = key.lower()
    if not key or key in MODIFIERS:
        raise HotkeyError(f"'{text}' has no key besides the modifiers")
    if not modifiers and not _is_function_key(key):
        raise HotkeyError(f"'{text}' needs a modifier (Ctrl, Alt, Shift or Meta)")
    return Hotkey(text, frozenset(modifiers), key)


def _is_function_key(key: str) -> bool:
    return key.startswith("f") and key[1:].isdigit() and 1 <= int(key[1:]) <= 35


def wayland_only() -> bool:
    """A Wayland session without an X server we could grab keys on."""
    return bool(os.environ.get("WAYLAND_DISPLAY")) and not os.environ.get("DISPLAY")


def manual_binding_hint(hotkey: str) -> str:
    from ui.desktop_entry import shell_command

    return (
        f"bind {hotkey or 'a key'} to this command in your desktop's keyboard shortcut "
        f"settings: {shell_command('--quick-prompt')}"
    )


class GlobalHotkey(QObject):
    """One global hotkey; ``activated`` fires on the GUI thread when it is pressed."""

    activated = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._grab: _Grab | None = None
        self.hotkey: Hotkey | None = None

    def register(self, text: str) -> None:
        """Register ``text`` (empty: switch the hotkey off). Raises ``HotkeyError``."""
        self.unregister()
        if not text.strip():
            return
        hotkey = parse_hotkey(text)
        platform = QGuiApplication.platformName() if QGuiApplication.instance() else ""
        grab: _Grab
        if platform in ("offscreen", "minimal"):
            log.info("no global hotkey on Qt's %s platform", platform)
            return
        if sys.platform == "win32":
            grab = _WindowsGrab(hotkey, self.activated.emit)
        elif sys.platform == "darwin":
            raise HotkeyUnsupported(
                "global hotkeys are not supported on macOS yet; "
                "open the quick prompt from the tray icon"
            )
        elif platform.startswith("wayland") or wayland_only():
            raise HotkeyUnsupported(
                f"Wayland does not let apps register global hotkeys; "
                f"{manual_binding_hint(hotkey.text)}"
            )
        else:
            grab = _X11Grab(hotkey, self.activated.emit)
        grab.start_and_wait()
        self._grab = grab
        self.hotkey = hotkey
        log.info("hotkey %s registered", hotkey.text)

    def unregister(self) -> None:
        if self._grab is not None:
            self._grab.stop()
            log.info("hotkey %s released", self.hotkey.text if self.hotkey else "")
        self._grab = None
        self.hotkey = None


class _Grab(threading.Thread):
    """A thread that holds the grab; ``start_and_wait`` returns once it is held or failed."""

    def __init__(self, hotkey: Hotkey, on_press: Callable[[], None]):
        super().__init__(name=f"hotkey {hotkey.text}", daemon=True)
        self.hotkey = hotkey
        self.on_press = on_press
        self.ready: Future[None] = Future()

    def start_and_wait(self) -> None:
        self.start()
        try:
            self.ready.result(timeout=REGISTER_TIMEOUT)
        except TimeoutError:
            self.stop()
            raise HotkeyError(
                f"registering the hotkey {self.hotkey.text} did not finish in time"
            ) from None
        except HotkeyError:
            self.stop()
            raise

    def stop(self) -> None:
        raise NotImplementedError


class _X11Grab(_Grab):
    def __init__(self, hotkey: Hotkey, on_press: Callable[[], None]):
        super().__init__(hotkey, on_press)
        self._wake_r, self._wake_w = os.pipe()
        self._stopped = False

    def stop(self) -> None:
        """Wake the listener, let it ungrab, then close the wake pipe (once)."""
        if self._stopped:
            return
        self._stopped = True
        os.write(self._wake_w, b"x")
        self.join(timeout=2.0)
        if not self.is_alive():
            os.close(self._wake_r)
            os.close(self._wake_w)

    def run(self) -> None:
        try:
            from Xlib import XK, X, error
            from Xlib.display import Display
        except ImportError:
            self.ready.set_exception(
                HotkeyError("the global hotkey needs python-xlib (pip install python-xlib)")
            )
            return
        try:
            display = Display()
        except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
            self.ready.set_exception(HotkeyError(f"no X display to register the hotkey: {exc}"))
            return
        try:
            self._grab_and_listen(display, X, XK)
        except HotkeyError as exc:
            self.ready.set_exception(exc)
        except Exception as exc:  # the X server went away, or a bug: never kill the app
            if self.ready.done():
                log.warning("hotkey listener stopped: %s", exc)
            else:
                self.ready.set_exception(HotkeyError(f"cannot register the hotkey: {exc}"))
        finally:
            try:
                display.close()
            except Exception:
                pass

    def _grab_and_listen(self, display: Any, X: Any, XK: Any) -> None:
        root = display.screen().root
        keysym = _x_keysym(self.hotkey.key, XK)
        keycode = display.keysym_to_keycode(keysym) if keysym else 0
        if not keycode:
            raise HotkeyError(f"the key '{self.hotkey.key}' is not on this keyboard")
        masks = _x_modifier_masks(display, X, XK)
        wanted = 0
        for mod in self.hotkey.modifiers:
            wanted |= masks[mod]
        # the grab must hold whatever NumLock and CapsLock happen to be
        variants = [wanted | extra for extra in _lock_combinations(X.LockMask, masks["numlock"])]
        errors: list[Any] = []

        def on_error(err: Any, request: Any) -> bool:
            errors.append(err)
            return True  # handled: python-xlib would print it otherwise

        for mods in variants:
            root.grab_key(keycode, mods, False, X.GrabModeAsync, X.GrabModeAsync, onerror=on_error)
        display.sync()  # the server's answer to every grab is in before we judge
        if errors:
            for mods in variants:
                root.ungrab_key(keycode, mods)
            display.sync()
            from Xlib import error as xerror

            if any(isinstance(err, xerror.BadAccess) for err in errors):
                raise HotkeyClash(
                    f"the hotkey {self.hotkey.text} is already taken by another program; "
                    "choose another one in Settings (or switch it off there)"
                )
            raise HotkeyError(f"the X server refused the hotkey {self.hotkey.text}: {errors[0]}")
        display.set_error_handler(lambda err, request=None: log.warning("X error: %s", err))
        self.ready.set_result(None)
        self._listen(display, X, keycode, wanted, masks["numlock"] | X.LockMask)
        for mods in variants:
            root.ungrab_key(keycode, mods)
        display.sync()

    def _listen(self, display: Any, X: Any, keycode: int, wanted: int, locks: int) -> None:
        fd = display.fileno()
        while not self._stopped:
            readable, _, _ = select.select([fd, self._wake_r], [], [])
            if self._wake_r in readable:
                return
            while display.pending_events():
                event = display.next_event()
                if (
                    event.type == X.KeyPress
                    and event.detail == keycode
                    and event.state & ~locks & 0xFF == wanted
                ):
                    self.on_press()


def _x_keysym(key: str, XK: Any) -> int:
    if len(key) == 1:
        return ord(key) if ord(key) < 0x100 else 0x01000000 + ord(key)
    name = _X_NAMES.get(key) or (key.upper() if _is_function_key(key) else key)
    return int(XK.string_to_keysym(name))


def _x_modifier_masks(display: Any, X: Any, XK: Any) -> dict[str, int]:
    """Which of Mod1..Mod5 carry Alt, Super and NumLock on this server (usual: 1, 4, 2)."""
    masks = {"ctrl": X.ControlMask, "shift": X.ShiftMask, "alt": X.Mod1Mask}
    masks.update(meta=X.Mod4Mask, numlock=X.Mod2Mask)
    wanted = {"alt": ("Alt_L", "Alt_R"), "meta": ("Super_L", "Super_R"), "numlock": ("Num_Lock",)}
    mapping = display.get_modifier_mapping()
    for name, keysym_names in wanted.items():
        codes = {display.keysym_to_keycode(XK.string_to_keysym(n)) for n in keysym_names} - {0}
        for index, keycodes in enumerate(mapping):
            if index >= 3 and codes & set(keycodes):  # Mod1 is index 3
                masks[name] = 1 << index
                break
    return masks


def _lock_combinations(caps: int, numlock: int) -> list[int]:
    return [0, caps, numlock, caps | numlock]


class _WindowsGrab(_Grab):
    """``RegisterHotKey`` on a thread with its own message loop (WM_HOTKEY arrives there)."""

    WM_HOTKEY, WM_QUIT = 0x0312, 0x0012
    ERROR_HOTKEY_ALREADY_REGISTERED = 1409
    MODS = {"alt": 0x1, "ctrl": 0x2, "shift": 0x4, "meta": 0x8}
    MOD_NOREPEAT = 0x4000

    def __init__(self, hotkey: Hotkey, on_press: Callable[[], None]):
        super().__init__(hotkey, on_press)
        self._thread_id = 0

    def stop(self) -> None:
        import ctypes

        if self._thread_id:
            ctypes.windll.user32.PostThreadMessageW(  # type: ignore[attr-defined]
                self._thread_id, self.WM_QUIT, 0, 0
            )
            self.join(timeout=2.0)

    def run(self) -> None:
        import ctypes
        from ctypes import wintypes

        user32 = ctypes.windll.user32  # type: ignore[attr-defined]
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        vk = _windows_vk(self.hotkey.key)
        if not vk:
            self.ready.set_exception(HotkeyError(f"the key '{self.hotkey.key}' is not supported"))
            return
        mods = self.MOD_NOREPEAT
        for mod in self.hotkey.modifiers:
            mods |= self.MODS[mod]
        self._thread_id = kernel32.GetCurrentThreadId()
        if not user32.RegisterHotKey(None, 1, mods, vk):
            code = kernel32.GetLastError()
            if code == self.ERROR_HOTKEY_ALREADY_REGISTERED:
                self.ready.set_exception(
                    HotkeyClash(
                        f"the hotkey {self.hotkey.text} is already taken by another program; "
                        "choose another one in Settings (or switch it off there)"
                    )
                )
            else:
                self.ready.set_exception(
                    HotkeyError(f"Windows refused the hotkey {self.hotkey.text} (error {code})")
                )
            self._thread_id = 0
            return
        self.ready.set_result(None)
        msg = wintypes.MSG()
        try:
            while user32.GetMessageW(ctypes.byref(msg), None, 0, 0) > 0:
                if msg.message == self.WM_HOTKEY:
                    self.on_press()
        finally:
            user32.UnregisterHotKey(None, 1)


def _windows_vk(key: str) -> int:
    if len(key) == 1 and (key.isascii() and key.isalnum()):
        return ord(key.upper())
    if _is_function_key(key) and int(key[1:]) <= 24:
        return 0x70 + int(key[1:]) - 1
    return _VK.get(key, 0)
