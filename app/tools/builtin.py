"""The built-in tools, listed explicitly (no discovery: it breaks under PyInstaller)."""

from __future__ import annotations

from app.tools.ask_llm import ask_llm
from app.tools.clock import get_current_time
from app.tools.registry import ToolRegistry

BUILTIN_FUNCTIONS = (get_current_time, ask_llm)


def builtin_tools() -> ToolRegistry:
    return ToolRegistry(BUILTIN_FUNCTIONS)
