"""The model catalog, the machine's RAM/VRAM, and refusing a model too big for the machine."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest

from app.errors import ModelError
from app.llm import ModelPool, embedded_model_path
from app.models import hardware
from app.models.catalog import (
    CatalogEntry,
    CatalogRow,
    catalog_path,
    find,
    load_catalog,
    overview,
    suggest,
)
from app.models.gguf import GGUFError, is_gguf, model_shape, read_metadata
from app.models.hardware import GIB, GPU, Machine, check_gguf_fits, gguf_needs, suggest_gpu_layers
from app.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def machine(ram_gb: float, vram_gb: float = 0, free_gb: float | None = None) -> Machine:
    gpus = (GPU("Test GPU", int(vram_gb * GIB), int(vram_gb * GIB)),) if vram_gb else ()
    free = ram_gb if free_gb is None else free_gb
    return Machine(int(ram_gb * GIB), int(free * GIB), gpus)


# -- catalog ----------------------------------------------------------------------------------


def test_the_packaged_catalog_is_the_repository_one():
    path = catalog_path()
    assert path.read_bytes() == (REPO / "models" / "catalog.toml").read_bytes()
    assert (REPO / "app" / "data" / "catalog.toml").resolve() == (
        REPO / "models" / "catalog.toml"
    ).resolve()


def test_every_tier_has_a_planner_and_a_caller_in_gguf_and_the_gpu_tiers_in_exl2():
    entries = load_catalog()
    for tier in ("small", "medium", "large"):
        for role in ("planner", "caller"):
            assert any(e.tier == tier and role in e.roles and e.format == "gguf" for e in entries)
    exl2 = [e for e in entries if e.format == "exl2"]
    assert {e.tier for e in exl2} == {"medium", "large"}
    assert all(e.revision and e.min_vram_gb > 0 for e in exl2)


def test_entries_are_complete_and_point_at_hugging_face():
    for entry in load_catalog():
        assert entry.size_bytes > 0 and entry.context_length >= 2048 and entry.licence
        assert entry.sha256 == "" or len(entry.sha256) == 64
        if entry.format == "gguf":
            assert entry.url.startswith("https://huggingface.co/")
            assert "/resolve/main/" in entry.url and entry.filename.endswith(".gguf")
            assert entry.min_ram_gb * GIB > entry.size_bytes  # weights fit with room to spare


def test_the_embedded_entry_has_the_real_checksum_and_size_of_the_shipped_file():
    entry = next(e for e in load_catalog() if e.format == "embedded")
    path = embedded_model_path()
    assert entry.size_bytes == path.stat().st_size
    assert entry.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert entry.spec(Path("/x")) == "default"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[model]]\nname = "a"\n', "catalog.toml, model 1: missing title"),
        ("[[model", "cannot be read"),
        (None, "names dup twice"),
        ("bad-sha", "sha256 must be 64 hex digits"),
        ("bad-field", "unknown field colour"),
    ],
)
def test_a_broken_catalog_is_reported_by_file_and_entry(tmp_path, text, message):
    good = (
        'name = "dup"\ntitle = "t"\nformat = "gguf"\nroles = ["caller"]\ntier = "small"\n'
        'size_bytes = 1\nlicence = "MIT"\ncontext_length = 4096\nurl = "https://h/x.gguf"\n'
    )
    if text is None:
        text = f"[[model]]\n{good}\n[[model]]\n{good}"
    elif text == "bad-sha":
        text = f'[[model]]\n{good}sha256 = "xyz"\n'
    elif text == "bad-field":
        text = f'[[model]]\n{good}colour = "red"\n'
    path = tmp_path / "catalog.toml"
    path.write_text(text)
    with pytest.raises(ModelError, match=message):
        load_catalog(path)


def test_suggestions_grow_with_the_machine():
    entries = load_catalog()
    tiny = suggest(machine(1), "planner", entries)
    small = suggest(machine(8), "planner", entries)
    large = suggest(machine(64), "planner", entries)
    assert tiny is None
    assert small is not None and small.tier == "small" and small.format == "gguf"
    assert large is not None and large.tier == "large"
    assert large.size_bytes > small.size_bytes
    gpu = suggest(machine(16, vram_gb=24), "planner", entries, gpu=True)
    assert gpu is not None and gpu.format == "exl2" and gpu.min_vram_gb <= 24
    no_extra = suggest(machine(16, vram_gb=24), "planner", entries, gpu=False)
    assert no_extra is not None and no_extra.format == "gguf"


def test_the_overview_is_typed_and_its_json_keeps_the_listing_keys(tmp_path):
    """Front ends read fields, not string keys; ``models --json`` still prints the dict."""
    models = tmp_path / "models"
    models.mkdir()
    os.link(embedded_model_path(), models / "mine.gguf")
    (models / "half.gguf.part").write_bytes(b"GGUF" + b"\0" * 10)
    view = overview(models, machine(64), n_ctx=2048)

    assert all(isinstance(row, CatalogRow) for row in view.catalog)
    embedded = next(row for row in view.catalog if row.entry.format == "embedded")
    assert embedded.installed and embedded.spec == "default" and view.embedded.error == ""
    mine, half = sorted(view.installed, key=lambda row: row.item.kind)
    assert (mine.item.kind, mine.fits, mine.n_gpu_layers) == ("gguf", True, 0)
    assert (half.item.kind, half.item.spec) == ("partial", "")
    assert view.suggested["planner"] is not None
    listing = view.to_dict()
    assert set(listing) == {"embedded", "installed", "catalog", "machine", "suggested"}
    by_kind = {row["kind"]: row for row in listing["installed"]}
    assert by_kind["gguf"] == {
        "kind": "gguf", "path": str(models / "mine.gguf"), "size_bytes": mine.item.size_bytes,
        "spec": f"gguf:{models / 'mine.gguf'}", "fits": True, "n_gpu_layers": 0,
    }  # fmt: skip
    assert by_kind["partial"] == half.item.to_dict()
    assert listing["catalog"][0]["installed"] is view.catalog[0].installed


def test_find_is_case_insensitive():
    entry = find("QWEN2.5-7B-Instruct-Q4_K_M")
    assert isinstance(entry, CatalogEntry) and entry.filename == "Qwen2.5-7B-Instruct-Q4_K_M.gguf"
    assert find("nothing-like-it") is None


# -- this machine -----------------------------------------------------------------------------


def test_ram_matches_what_the_os_reports():
    total, available = hardware.memory()
    assert 0 < available <= total
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        assert abs(total - physical) <= 0.02 * physical


def test_nvidia_gpus_come_from_nvidia_smi(tmp_path, monkeypatch):
    tool = tmp_path / "nvidia-smi"
    tool.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "assert '--query-gpu=name,memory.total,memory.free' in sys.argv\n"
        "print('NVIDIA GeForce RTX 4090, 24564, 23000')\n"
        "print('NVIDIA A100-SXM4-80GB, 81920, 81000')\n"
    )
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    found = hardware.detect()
    assert [g.name for g in found.gpus] == ["NVIDIA GeForce RTX 4090", "NVIDIA A100-SXM4-80GB"]
    assert found.gpus[0].total_bytes == 24564 * 1024**2
    assert found.vram_free == 23000 * 1024**2 and found.tier == "large"
    assert "RTX 4090 24.0 GiB (22.5 GiB free)" in found.describe()


def test_a_broken_nvidia_smi_means_no_gpu(tmp_path, monkeypatch):
    tool = tmp_path / "nvidia-smi"
    tool.write_text("#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert hardware.nvidia_gpus() == ()


# -- GGUF fit ---------------------------------------------------------------------------------


def test_gguf_metadata_of_the_embedded_model():
    path = embedded_model_path()
    assert is_gguf(path)
    shape = model_shape(read_metadata(path))
    assert shape["layers"] == 30 and shape["kv_heads"] == 3 and shape["context_length"] == 8192


def test_a_truncated_header_is_a_gguf_error(tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(embedded_model_path().read_bytes()[:300])
    with pytest.raises(GGUFError, match="truncated"):
        read_metadata(broken)


def test_gpu_layers_follow_free_vram():
    needs = gguf_needs(embedded_model_path(), 4096)
    assert needs.layers == 30 and needs.kv_cache == 2 * 30 * 4096 * 192 * 2
    assert suggest_gpu_layers(needs, machine(16)) == 0
    assert suggest_gpu_layers(needs, machine(16, vram_gb=8)) == -1
    per_layer = (needs.weights + needs.kv_cache) / 31
    free = int(512 * 1024**2 + 10.5 * per_layer)  # the reserve, and room for 10 layers
    squeezed = Machine(16 * GIB, 16 * GIB, (GPU("small", GIB, free),))
    assert suggest_gpu_layers(needs, squeezed) == 10


def sparse_gguf(path: Path, size: int) -> Path:
    """A real file as big as ``size`` that takes no disk: GGUF magic, then a hole."""
    with open(path, "wb") as handle:
        handle.write(embedded_model_path().read_bytes()[:4096])
        handle.truncate(size)
    return path


def test_a_gguf_bigger_than_the_machine_is_refused_with_the_figures(tmp_path):
    total, _ = hardware.memory()
    huge = sparse_gguf(tmp_path / "huge.gguf", 2 * total)
    with pytest.raises(ModelError) as caught:
        ModelPool(Settings()).get(f"gguf:{huge}")  # the real loader path, before llama.cpp
    message = str(caught.value)
    needs = gguf_needs(huge, 4096)  # the weights, the KV cache (its header is SmolLM2's), runtime
    assert needs.weights == 2 * total and needs.kv_cache > 0
    assert message.startswith(f"huge.gguf needs about {hardware.gb(needs.total)} of memory")
    assert f"of {hardware.gb(total)} RAM free" in message and "choose a smaller model" in message


def test_offloading_to_a_gpu_counts_against_the_limit(tmp_path):
    big = sparse_gguf(tmp_path / "big.gguf", 12 * GIB)
    with pytest.raises(ModelError, match="needs about 12.3 GiB"):
        check_gguf_fits(big, 4096, 0, machine(16, free_gb=8))
    check_gguf_fits(big, 4096, -1, machine(16, vram_gb=24, free_gb=8))  # all on the GPU
    with pytest.raises(ModelError, match="offloaded to the GPU"):
        check_gguf_fits(big, 4096, -1, machine(16, vram_gb=2, free_gb=8))


def test_the_embedded_model_fits_this_machine():
    check_gguf_fits(embedded_model_path(), 4096, 0, hardware.detect())
