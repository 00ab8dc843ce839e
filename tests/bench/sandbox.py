"""Per-call cost of the python tool's sandbox. Prints ``name: value`` lines.

The same code (``print(6 * 7)``) goes through ``run_python`` with a real ToolContext,
``--calls`` times in the sandbox (bubblewrap, tree watcher) and as many times as a plain
child process (the path taken when the person allows code without a sandbox), interleaved
call by call so that load on the machine falls on both alike. Both use the base
interpreter, so the difference is the sandbox alone: namespaces, mounts, the ``/proc``
scans. Medians, in milliseconds, and their ratio.

Usage: ``python tests/bench/sandbox.py [--calls N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.sandbox import unavailable_reason  # noqa: E402
from app.sandbox.bwrap import base_interpreter  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.tools import python_exec  # noqa: E402
from app.tools.registry import ToolContext  # noqa: E402

CODE = "print(6 * 7)"


def timed_call(context: ToolContext) -> float:
    started = time.perf_counter()
    result = python_exec.run_python(CODE, context=context)
    elapsed = time.perf_counter() - started
    if result != "42":
        raise SystemExit(f"unexpected result: {result!r}")
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    reason = unavailable_reason()
    if reason is not None:
        raise SystemExit(f"no sandbox here: {reason}")
    with tempfile.TemporaryDirectory() as home:
        os.environ["SMART_AGENT_HOME"] = home
        context = ToolContext(workspace=Path(home) / "workspace", settings=Settings())
        plain = mock.patch.multiple(
            python_exec,
            unavailable_reason=lambda: "benchmark: plain child",
            unsandboxed_allowed=lambda settings: True,
            python_executable=lambda: base_interpreter().executable,
        )
        timed_call(context)  # warm both paths' caches (bwrap probe, page cache)
        with plain:
            timed_call(context)
        sandboxed: list[float] = []
        unsandboxed: list[float] = []
        for _ in range(args.calls):
            sandboxed.append(timed_call(context))
            with plain:
                unsandboxed.append(timed_call(context))
    sandbox_ms = statistics.median(sandboxed)
    plain_ms = statistics.median(unsandboxed)
    print(f"calls_each: {args.calls}")
    print(f"plain_child_median_ms: {plain_ms:.1f}")
    print(f"sandbox_median_ms: {sandbox_ms:.1f}")
    print(f"sandbox_overhead_ms: {sandbox_ms - plain_ms:.1f}")
    print(f"sandbox_vs_plain_ratio: {sandbox_ms / plain_ms:.2f}")


if __name__ == "__main__":
    main()
