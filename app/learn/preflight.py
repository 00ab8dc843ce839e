"""Before and around a training run: the [train] extra, the base file, disk, memory, bf16.

Each refusal is a ``TrainError`` with one line a person can act on (and the figures), raised
before minutes of loading are spent.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from app.errors import SmartAgentError

INSTALL_HINT = (
    "training needs the [train] extra: run `.venv/bin/pip install -e '.[train]'` "
    "(torch 2.13.0 CPU build, transformers, peft, gguf)"
)


class TrainError(SmartAgentError):
    """Training cannot start or cannot go on (missing extra, bad base, no memory or disk)."""


def require_extra() -> None:
    """One clear line when torch / transformers / peft / gguf are missing."""
    missing = []
    for name in ("torch", "transformers", "peft", "gguf"):
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise TrainError(f"{', '.join(missing)} not installed; {INSTALL_HINT}")


def check_base(path: Path) -> None:
    if not path.is_file():
        raise TrainError(f"base model not found: {path}")
    with path.open("rb") as handle:
        if handle.read(4) != b"GGUF":
            raise TrainError(f"{path.name} is not a GGUF model file; the base must be a .gguf")


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def available_memory_mb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def check_resources(base: Path, out: Path) -> None:
    """Refuse up front, with figures, what would fail halfway: disk and memory."""
    out.parent.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(out.parent).free / 2**20
    if free < 200:
        raise TrainError(
            f"only {free:.0f} MB free in {out.parent}; training needs about 200 MB for "
            "checkpoints and the adapter"
        )
    # dequantized fp32 weights ≈ 7× a 4-bit file, plus activations and optimizer state
    need = base.stat().st_size / 2**20 * 8 + 1500
    available = available_memory_mb()
    if available is not None and available < need:
        raise TrainError(
            f"training {base.name} needs about {need / 1024:.1f} GB of memory but only "
            f"{available / 1024:.1f} GB is available; close other programs or use a smaller base"
        )


def cpu_has_bf16() -> bool:
    """AMX or AVX512-BF16: bf16 autocast is ~3× faster than fp32 on these CPUs."""
    if os.environ.get("SMART_AGENT_TRAIN_FP32"):
        return False
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as info:
            flags = next((line for line in info if line.startswith("flags")), "")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags
