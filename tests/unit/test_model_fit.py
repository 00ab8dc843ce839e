"""Suggestions count this machine's cores as well as its memory (issue 15)."""

from __future__ import annotations

from app.models.catalog import load_catalog, suggest
from app.models.hardware import GIB, GPU, Machine, detect


def test_a_two_core_machine_without_a_gpu_is_never_told_to_run_a_big_model():
    machine = Machine(64 * GIB, 60 * GIB, (), cores=2)  # plenty of RAM, few cores
    for role in ("planner", "caller"):
        entry = suggest(machine, role)
        assert entry is not None
        assert entry.size_bytes <= 1.3 * 1000**3, (role, entry.name)
        assert "14b" not in entry.name and "7b" not in entry.name and "8b" not in entry.name
    too_big = [e.name for e in load_catalog() if e.format == "gguf" and not e.fits(machine)]
    assert any("14b" in name for name in too_big)


def test_more_cores_or_a_gpu_open_the_bigger_models():
    many = Machine(64 * GIB, 60 * GIB, (), cores=32)
    assert "14b" in suggest(many, "planner").name
    gpu = Machine(64 * GIB, 60 * GIB, (GPU("card", 24 * GIB, 23 * GIB),), cores=2)
    assert suggest(gpu, "planner").size_bytes > 4 * 1000**3


def test_this_machine_reports_its_cores():
    machine = detect()
    assert machine.cores >= 1
    assert f"{machine.cores} cores" in machine.describe()
