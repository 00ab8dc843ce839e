"""Colour themes: light and dark are Fusion palettes, system is what the platform gave us.

Explicit palettes (rather than the platform's colour-scheme hint) make light and dark look
the same on every desktop; Fusion is the one built-in style that honours a palette fully.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from app.errors import SettingsError

THEMES = ("system", "light", "dark")
_PLATFORM_STYLE = "smartAgentPlatformStyle"  # app property: the style before any theme

Role = QPalette.ColorRole
_COLOURS: dict[str, dict[QPalette.ColorRole, str]] = {
    "light": {
        Role.Window: "#efefef", Role.WindowText: "#1e1e1e", Role.Base: "#ffffff",
        Role.AlternateBase: "#f5f5f5", Role.Text: "#1e1e1e", Role.Button: "#e8e8e8",
        Role.ButtonText: "#1e1e1e", Role.ToolTipBase: "#ffffdc", Role.ToolTipText: "#1e1e1e",
        Role.PlaceholderText: "#7a7a7a", Role.Highlight: "#308cc6",
        Role.HighlightedText: "#ffffff", Role.Link: "#0b62a8", Role.BrightText: "#c0392b",
    },
    "dark": {
        Role.Window: "#2b2b2b", Role.WindowText: "#dcdcdc", Role.Base: "#1e1e1e",
        Role.AlternateBase: "#262626", Role.Text: "#dcdcdc", Role.Button: "#353535",
        Role.ButtonText: "#dcdcdc", Role.ToolTipBase: "#353535", Role.ToolTipText: "#dcdcdc",
        Role.PlaceholderText: "#8a8a8a", Role.Highlight: "#2a82da",
        Role.HighlightedText: "#ffffff", Role.Link: "#6cb4f5", Role.BrightText: "#ff6b6b",
    },
}
_DISABLED = {"light": "#9a9a9a", "dark": "#7a7a7a"}


def palette(name: str) -> QPalette:
    """The palette of theme ``name`` ("light" or "dark")."""
    result = QPalette()
    for role, colour in _COLOURS[name].items():
        result.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED[name]))
    return result


def apply_theme(app: QApplication, name: str) -> None:
    """Switch the whole application to theme ``name``: "system", "light" or "dark"."""
    if name not in THEMES:
        raise SettingsError(f"unknown theme '{name}'; choose {', '.join(THEMES)}")
    if app.property(_PLATFORM_STYLE) is None:
        app.setProperty(_PLATFORM_STYLE, app.style().name())
    if name == "system":
        app.setStyle(str(app.property(_PLATFORM_STYLE)))
        app.setPalette(app.style().standardPalette())
        return
    app.setStyle("Fusion")
    app.setPalette(palette(name))
