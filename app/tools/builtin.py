"""The built-in tools, listed explicitly (no discovery: it breaks under PyInstaller)."""

from __future__ import annotations

from app.tools.ask_llm import ask_llm
from app.tools.bilibili import bilibili_search
from app.tools.clock import get_current_time
from app.tools.files import save_file
from app.tools.python_exec import run_python
from app.tools.registry import ToolRegistry
from app.tools.sql import sql_query
from app.tools.web_search import web_search
from app.tools.wikipedia import wikipedia_search

BUILTIN_FUNCTIONS = (
    get_current_time,
    wikipedia_search,
    web_search,
    bilibili_search,
    sql_query,
    ask_llm,
    save_file,
    run_python,
)


def builtin_tools() -> ToolRegistry:
    return ToolRegistry(BUILTIN_FUNCTIONS)
