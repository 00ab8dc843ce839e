"""``smart-agent models``: the catalog, installed models, adapters, pulls and imports.

Kept out of ``app.cli`` (which dispatches to it) so that each command module has one job.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from app.errors import UsageError

EXIT_OK = 0


def cmd_models(runtime: Any, args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.learn.adapters import adapters_in_use
    from app.models import catalog, downloads, hardware

    models_dir = runtime.paths.models_dir
    if args.models_command == "pull":
        try:
            download = downloads.plan_download(args.what, models_dir, args.sha256)
        except downloads.DownloadError as exc:
            raise UsageError(str(exc)) from None
        print(f"Downloading {download.name} to {download.dest}", file=sys.stderr)
        path = _with_progress(download.run)
        if download.verified:
            print(f"sha256 verified: {download.digest}", file=sys.stderr)
        elif download.digest:
            print(
                f"no checksum known; verify it with --sha256 (this file's sha256: "
                f"{download.digest})",
                file=sys.stderr,
            )
        print(f"gguf:{path}")
        return EXIT_OK
    if args.models_command == "import":
        path = _with_progress(
            lambda progress, cancel: downloads.import_model(
                Path(args.path), models_dir, progress, cancel
            )
        )
        print(f"gguf:{path}")
        return EXIT_OK
    machine = hardware.detect()
    overview = catalog.overview(models_dir, machine, runtime.settings.get("llama.n_ctx"))
    adapters = adapters_in_use(runtime.settings)
    if args.json:
        listing = {**overview.to_dict(), "adapters": {a.role: a.to_dict() for a in adapters}}
        print(json.dumps(listing, indent=2, ensure_ascii=False))
        return EXIT_OK
    size = hardware.gb
    embedded = overview.embedded
    print("Embedded default")
    if embedded.error:
        print(f"  default  (missing: {embedded.error})")
    else:
        print(f"  default  SmolLM2-135M-Instruct, {size(embedded.size_bytes)}")
    print(f"\nInstalled (in {models_dir})")
    if not overview.installed:
        print("  nothing yet: `smart-agent models pull NAME` or `models import PATH`")
    for row in overview.installed:
        item = row.item
        if item.kind == "partial":
            print(f"  unfinished download {item.path.name} ({size(item.size_bytes)}); "
                  "pull it again to resume")  # fmt: skip
        else:
            fit = "" if row.fits else ", too big for this machine"
            layers = f", n_gpu_layers {row.n_gpu_layers}" if machine.gpus else ""
            print(f"  {item.spec}  ({size(item.size_bytes)}{fit}{layers})")
    shipped = "on" if runtime.settings.get("models.shipped_adapters") else "off"
    print(f"\nAdapters (shipped adapters {shipped})")
    for adapter in adapters:
        print(f"  {adapter.role:<8} {adapter.describe()}")
    print("\nCatalog (✓ fits this machine, • installed)")
    for listed in overview.catalog:
        entry = listed.entry
        mark = ("•" if listed.installed else "✓") if listed.fits else " "
        print(
            f"  {mark} {entry.name:<36} {entry.tier:<8} {'/'.join(entry.roles):<15} "
            f"{entry.format:<8} {size(entry.size_bytes):>8}  "
            f"ctx {entry.context_length:<7} {entry.licence}"
        )
    suggested = overview.suggested
    print(f"\nThis machine: {machine.describe()} — a {machine.tier} machine")
    print(f"Suggested: planner {suggested['planner'] or 'none fits'}, "
          f"caller {suggested['caller'] or 'none fits'}")  # fmt: skip
    return EXIT_OK


def _with_progress(work: Callable[..., Any]) -> Any:
    """Run ``work(progress, cancel)`` with a progress line on stderr; Ctrl+C cancels it."""
    from app.models.downloads import Progress

    cancel = threading.Event()
    tty = sys.stderr.isatty()
    last = [0.0]

    def show(progress: Progress) -> None:
        now = time.monotonic()
        final = progress.stage == "done"
        if not final and now - last[0] < (0.2 if tty else 2.0):
            return
        last[0] = now
        line = f"{progress.stage}: {progress.line()}"
        if tty:
            print(f"\r\033[K{line}", end="", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda signum, frame: cancel.set())
    try:
        return work(show, cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
        if tty:
            print(file=sys.stderr)
