"""User tools: Python files in the config directory's ``tools/`` folder, once trusted.

Every function in such a file marked with ``@tool`` (``from app.tools.registry import
tool``) becomes a tool, its schema taken from type hints and docstring. Importing a file
runs it inside the app with the person's full rights, so a file is imported only when its
SHA-256 is pinned in the setting ``tools.trusted`` (``smart-agent tools trust NAME``, or
Settings → Approval). A new or changed file is listed as a warning and never imported:
whatever dropped it there (code the person approved once, say) gains nothing.

The bytes that were hashed are the bytes that run (compiled from memory: no second read
of the file, no ``__pycache__``). A file that fails to import, or a function that cannot be
described, is reported and skipped, never fatal. A user tool may not replace a built-in one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from app.tools.registry import ToolRegistry, is_tool_function, tool_from_function

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolFile:
    name: str  # "weather.py"
    path: Path
    sha256: str
    status: str  # "trusted" | "new" | "changed"
    source: bytes

    @property
    def trust_hint(self) -> str:
        return f"smart-agent tools trust {self.name}"


def tool_files(folder: Path, trusted: dict[str, str]) -> list[ToolFile]:
    """The ``*.py`` files in ``folder``, each with its hash and whether it is trusted."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.py")):
        try:
            source = path.read_bytes()
        except OSError as exc:
            log.warning("user tool file %s cannot be read: %s", path, exc)
            continue
        digest = hashlib.sha256(source).hexdigest()
        pinned = trusted.get(path.name)
        status = "new" if pinned is None else ("trusted" if pinned == digest else "changed")
        found.append(ToolFile(path.name, path, digest, status, source))
    return found


def load_user_tools(
    folder: Path, registry: ToolRegistry, trusted: dict[str, str] | None = None
) -> list[str]:
    """Add the tools of the trusted files in ``folder`` to ``registry``; return one warning
    per file left out or problem found."""
    warnings: list[str] = []
    for file in tool_files(folder, trusted or {}):
        if file.status != "trusted":
            why = "is new" if file.status == "new" else "changed since you trusted it"
            warnings.append(
                f"user tool file {file.path} {why} and was not loaded (sha256 {file.sha256}); "
                f"if you wrote it, trust it in Settings → Approval or with: {file.trust_hint}"
            )
            continue
        warnings += _load(file, registry)
    return warnings


def _load(file: ToolFile, registry: ToolRegistry) -> list[str]:
    module_name = f"smart_agent_user_tools.{file.path.stem}"
    try:
        spec = importlib.util.spec_from_loader(module_name, loader=None, origin=str(file.path))
        if spec is None:
            raise ImportError("not a Python module")
        module = importlib.util.module_from_spec(spec)
        module.__file__ = str(file.path)
        sys.modules[module_name] = module
        exec(compile(file.source, str(file.path), "exec"), module.__dict__)  # noqa: S102
    except BaseException as exc:  # a user file may raise anything, even SystemExit
        sys.modules.pop(module_name, None)
        log.warning("user tool file %s failed", file.path, exc_info=True)
        return [f"skipped user tool file {file.name}: {type(exc).__name__}: {exc}"]
    warnings = []
    for name, value in vars(module).items():
        if not is_tool_function(value) or getattr(value, "__module__", "") != module_name:
            continue
        try:
            found = tool_from_function(value)
            if found.name in registry:
                raise ValueError(f"a tool named '{found.name}' already exists")
            registry.add(found)
        except (TypeError, ValueError) as exc:
            warnings.append(f"skipped user tool {name} in {file.name}: {exc}")
    return warnings
