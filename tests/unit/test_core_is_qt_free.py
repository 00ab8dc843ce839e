"""The core never imports Qt (STYLE.md): checked statically and at import time."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import app

QT = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt\d|shiboken6|qtpy)\b", re.M)


def test_no_module_in_app_imports_qt_textually():
    root = Path(app.__file__).parent
    offenders = [str(p) for p in root.rglob("*.py") if QT.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    names = [m.name for m in pkgutil.walk_packages(app.__path__, "app.")]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt6')]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert len(names) > 10
