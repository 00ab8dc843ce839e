"""Entry script of the frozen bundle: the same ``smart-agent`` command as ``ui.main:main``.

PyInstaller needs a script, not a console-script entry point. Besides handing over to the
CLI, it answers one question the smoke test cannot ask the app itself: with
``SMART_AGENT_BUNDLE_CHECK=1`` it prints, as JSON, what the bundle found inside itself (the
embedded model, the model catalog, prompt templates, the sample database, keyring's backends
as discovered through entry points, the time-zone data, llama.cpp's shared library) and
exits — each is something freezing can silently lose.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys


def bundle_check() -> dict[str, object]:
    from importlib.metadata import entry_points

    from app.llm import embedded_model_path
    from app.models.catalog import catalog_path
    from app.prompts import SHIPPED
    from app.tools.sql import SAMPLE_DB

    report: dict[str, object] = {
        "frozen": bool(getattr(sys, "frozen", False)),
        "meipass": getattr(sys, "_MEIPASS", None),
        "embedded_model": str(embedded_model_path()),
        "catalog": str(catalog_path()),
        "prompts": sorted(path.name for path in SHIPPED.glob("*.txt")),
        "sample_db": str(SAMPLE_DB) if SAMPLE_DB.is_file() else None,
    }
    backends: dict[str, str] = {}
    for point in entry_points(group="keyring.backends"):
        try:
            point.load()
            backends[point.name] = "ok"
        except ImportError as exc:  # platform backends (Windows, macOS) cannot import here
            backends[point.name] = f"{type(exc).__name__}: {exc}"
    report["keyring_entry_points"] = backends
    from keyring.backends import SecretService

    try:  # reaches D-Bus through secretstorage/jeepney, as storing a key would
        report["secret_service"] = f"priority {SecretService.Keyring.priority}"
    except RuntimeError as exc:
        report["secret_service"] = str(exc)
    import keyring.backend

    report["keyring_viable"] = sorted(
        type(ring).__name__ for ring in keyring.backend.get_all_keyring()
    )
    import zoneinfo

    zoneinfo.reset_tzpath([])  # only the bundled tzdata, as on Windows, which has no zoneinfo
    report["tzdata_tokyo"] = str(zoneinfo.ZoneInfo("Asia/Tokyo"))
    zoneinfo.reset_tzpath()
    import llama_cpp

    report["llama_cpp"] = llama_cpp.__version__
    report["llama_system_info"] = llama_cpp.llama_print_system_info().decode()[:200]
    return report


def main() -> int:
    multiprocessing.freeze_support()
    if os.environ.get("SMART_AGENT_BUNDLE_CHECK") == "1":
        print(json.dumps(bundle_check(), indent=2))
        return 0
    from ui.main import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
