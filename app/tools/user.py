"""User tools: Python files in the config directory's ``tools/`` folder.

Every function in such a file marked with ``@tool`` (``from app.tools.registry import
tool``) becomes a tool, its schema taken from type hints and docstring. A file that fails
to import, or a function that cannot be described, is reported and skipped, never fatal.
A user tool may not replace a built-in one.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

from app.tools.registry import ToolRegistry, is_tool_function, tool_from_function

log = logging.getLogger(__name__)


def load_user_tools(folder: Path, registry: ToolRegistry) -> list[str]:
    """Add the tools found in ``folder`` to ``registry``; return one warning per problem."""
    warnings: list[str] = []
    if not folder.is_dir():
        return warnings
    for path in sorted(folder.glob("*.py")):
        module_name = f"smart_agent_user_tools.{path.stem}"
        try:
            spec = importlib.util.spec_from_file_location(module_name, path)
            if spec is None or spec.loader is None:
                raise ImportError("not a Python module")
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except BaseException as exc:  # a user file may raise anything, even SystemExit
            sys.modules.pop(module_name, None)
            log.warning("user tool file %s failed", path, exc_info=True)
            warnings.append(f"skipped user tool file {path.name}: {type(exc).__name__}: {exc}")
            continue
        for name, value in vars(module).items():
            if not is_tool_function(value) or getattr(value, "__module__", "") != module_name:
                continue
            try:
                found = tool_from_function(value)
                if found.name in registry:
                    raise ValueError(f"a tool named '{found.name}' already exists")
                registry.add(found)
            except (TypeError, ValueError) as exc:
                warnings.append(f"skipped user tool {name} in {path.name}: {exc}")
    return warnings
