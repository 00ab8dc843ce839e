"""What this machine can hold: RAM, NVIDIA VRAM, and which models fit.

RAM comes from /proc/meminfo (Linux), ``os.sysconf`` (macOS and other Unixes) or
``GlobalMemoryStatusEx`` (Windows); VRAM from ``nvidia-smi`` when it is on the PATH
(no GPU library is imported). psutil is not needed. The same figures suggest
``n_gpu_layers`` and a catalog entry, and refuse to load a GGUF model that cannot fit:
llama.cpp would otherwise thrash the disk or be killed by the OS, with no message a
person could act on.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from app.errors import ModelError
from app.models.gguf import GGUFError, model_shape, read_metadata

GIB = 1024**3
MIB = 1024**2
RUNTIME_OVERHEAD = 256 * MIB  # llama.cpp's compute buffers and the process itself
GPU_RESERVE = 512 * MIB  # left free on the GPU for the desktop and CUDA's own buffers


@dataclass(frozen=True)
class GPU:
    name: str
    total_bytes: int
    free_bytes: int


# Without a GPU that holds it, a model generates at a speed set by the cores that read its
# weights for every token: below about this many bytes per core a reply streams at a few
# tokens per second or better (a 2-core machine: models up to ~1.2 GB, i.e. 1.5B at Q4;
# 8 cores: 7-8B at Q4; 16: 14B at Q4).
CPU_BYTES_PER_CORE = 0.6 * 1000**3


@dataclass(frozen=True)
class Machine:
    ram_total: int
    ram_available: int
    gpus: tuple[GPU, ...] = ()
    cores: int = 0  # 0: not known, no limit from the CPU

    def runs_quickly(self, model_bytes: int) -> bool:
        """Whether a model of ``model_bytes`` generates at a usable speed here."""
        if self.vram_total >= model_bytes * 1.2:  # on the GPU
            return True
        return not self.cores or model_bytes <= self.cores * CPU_BYTES_PER_CORE

    @property
    def vram_free(self) -> int:
        """Free memory of the first GPU, the one llama.cpp offloads to by default."""
        return self.gpus[0].free_bytes if self.gpus else 0

    @property
    def vram_total(self) -> int:
        return max((g.total_bytes for g in self.gpus), default=0)

    @property
    def tier(self) -> str:
        """small / medium / large, as the catalog groups its recommendations."""
        if self.ram_total >= 30 * GIB or self.vram_total >= 20 * GIB:
            return "large"
        if self.ram_total >= 14 * GIB or self.vram_total >= 8 * GIB:
            return "medium"
        return "small"

    def describe(self) -> str:
        ram = f"{gb(self.ram_total)} RAM ({gb(self.ram_available)} free)"
        if self.cores:
            ram = f"{self.cores} cores, {ram}"
        if not self.gpus:
            return f"{ram}, no NVIDIA GPU found"
        cards = ", ".join(
            f"{g.name} {gb(g.total_bytes)} ({gb(g.free_bytes)} free)" for g in self.gpus
        )
        return f"{ram}, {cards}"

    def to_dict(self) -> dict[str, object]:
        return {
            "ram_total": self.ram_total,
            "ram_available": self.ram_available,
            "gpus": [g.__dict__ for g in self.gpus],
            "cores": self.cores,
            "tier": self.tier,
        }


def gb(count: int | float) -> str:
    return f"{count / GIB:.1f} GiB"


def detect() -> Machine:
    total, available = memory()
    return Machine(total, available, nvidia_gpus(), usable_cores())


def usable_cores() -> int:
    """The cores this process may run on (its affinity), else all of them."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def memory() -> tuple[int, int]:
    """(total, available) RAM in bytes; available counts reclaimable cache as free."""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        fields: dict[str, int] = {}
        for line in meminfo.read_text(encoding="ascii", errors="replace").splitlines():
            name, _, rest = line.partition(":")
            value = rest.split()
            if value and value[0].isdigit():
                fields[name] = int(value[0]) * 1024
        if "MemTotal" in fields:
            return fields["MemTotal"], fields.get("MemAvailable", fields.get("MemFree", 0))
    if sys.platform == "win32":
        return _windows_memory()
    page = os.sysconf("SC_PAGE_SIZE")
    total = os.sysconf("SC_PHYS_PAGES") * page
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * page
    except (ValueError, OSError):  # macOS has no such name; free memory is not reported there
        available = total
    return total, available


def _windows_memory() -> tuple[int, int]:
    class MemoryStatus(ctypes.Structure):
        _fields_ = [
            ("dwLength", ctypes.c_ulong),
            ("dwMemoryLoad", ctypes.c_ulong),
            ("ullTotalPhys", ctypes.c_ulonglong),
            ("ullAvailPhys", ctypes.c_ulonglong),
            ("ullTotalPageFile", ctypes.c_ulonglong),
            ("ullAvailPageFile", ctypes.c_ulonglong),
            ("ullTotalVirtual", ctypes.c_ulonglong),
            ("ullAvailVirtual", ctypes.c_ulonglong),
            ("ullAvailExtendedVirtual", ctypes.c_ulonglong),
        ]

    status = MemoryStatus()
    status.dwLength = ctypes.sizeof(MemoryStatus)
    ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status))  # type: ignore[attr-defined]
    return int(status.ullTotalPhys), int(status.ullAvailPhys)


def nvidia_gpus() -> tuple[GPU, ...]:
    """NVIDIA GPUs as ``nvidia-smi`` reports them; none when it is absent or fails."""
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return ()
    try:
        out = subprocess.run(
            [tool, "--query-gpu=name,memory.total,memory.free", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    gpus = []
    for line in out.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            gpus.append(GPU(parts[0], int(parts[1]) * MIB, int(parts[2]) * MIB))
    return tuple(gpus)


# -- GGUF fit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GGUFNeeds:
    """What loading a GGUF model takes, split into weights and KV cache."""

    weights: int
    kv_cache: int
    layers: int | None

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + RUNTIME_OVERHEAD


def gguf_needs(path: Path, n_ctx: int) -> GGUFNeeds:
    """Memory for ``path`` at context ``n_ctx``: the file (mmapped weights) plus an f16 KV cache."""
    size = path.stat().st_size
    try:
        shape = model_shape(read_metadata(path))
    except (GGUFError, OSError):
        shape = {}
    layers = shape.get("layers")
    kv = 0
    if layers and shape.get("embedding") and shape.get("heads"):
        kv_width = shape["embedding"] * shape.get("kv_heads", shape["heads"]) // shape["heads"]
        kv = 2 * layers * min(n_ctx, shape.get("context_length", n_ctx)) * kv_width * 2
    return GGUFNeeds(size, kv, layers)


def suggest_gpu_layers(needs: GGUFNeeds, machine: Machine) -> int:
    """Layers to offload so that weights and cache fit the first GPU; -1 for all, 0 for none."""
    if not machine.gpus or not needs.layers:
        return 0
    usable = machine.vram_free - GPU_RESERVE
    per_layer = (needs.weights + needs.kv_cache) / (needs.layers + 1)  # + the output layer
    fitting = int(usable // per_layer) if per_layer > 0 else 0
    if fitting > needs.layers:
        return -1
    return max(0, fitting)


def check_gguf_fits(path: Path, n_ctx: int, n_gpu_layers: int, machine: Machine) -> None:
    """Refuse, with the figures, a GGUF model that cannot fit in RAM (plus the offloaded part)."""
    needs = gguf_needs(path, n_ctx)
    offloaded = 0
    if machine.gpus and needs.layers and n_gpu_layers:
        share = 1.0 if n_gpu_layers < 0 else min(1.0, n_gpu_layers / (needs.layers + 1))
        offloaded = int(min((needs.weights + needs.kv_cache) * share, machine.vram_free))
    in_ram = needs.total - offloaded
    if in_ram <= machine.ram_available:
        return
    gpu = f" and {gb(offloaded)} offloaded to the GPU" if offloaded else ""
    raise ModelError(
        f"{path.name} needs about {gb(needs.total)} of memory (weights {gb(needs.weights)}, "
        f"cache {gb(needs.kv_cache)} at {n_ctx} tokens){gpu}, but this machine has only "
        f"{gb(machine.ram_available)} of {gb(machine.ram_total)} RAM free; choose a smaller "
        "model (`smart-agent models`), lower llama.n_ctx or close other programs"
    )
