"""The model catalog (``models/catalog.toml``): recommended models per role and machine size.

One file is the source of truth. It ships inside the package as ``app/data/catalog.toml``
(a link to ``models/catalog.toml``, copied as a file into wheels and bundles); the repository
copy and a PyInstaller bundle's ``models/`` folder are looked at too, so a checkout, an
installed wheel and a frozen app all find it.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from app.errors import ModelError
from app.models.hardware import GIB, Machine, gguf_needs, suggest_gpu_layers

FORMATS = ("gguf", "exl2", "embedded")
ROLES = ("planner", "caller")
TIERS = ("embedded", "small", "medium", "large")
_REQUIRED = ("name", "title", "format", "roles", "tier", "size_bytes", "licence",
             "context_length", "url")  # fmt: skip


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    title: str
    format: str
    roles: tuple[str, ...]
    tier: str
    size_bytes: int
    licence: str
    context_length: int
    url: str
    sha256: str = ""
    revision: str = ""
    min_ram_gb: float = 0.0
    min_vram_gb: float = 0.0
    notes: str = ""

    @property
    def filename(self) -> str:
        """The file a GGUF entry is saved as (the last part of its URL)."""
        return unquote(urlsplit(self.url).path.rsplit("/", 1)[-1])

    @property
    def downloadable(self) -> bool:
        """A single file that ``models pull`` can fetch (EXL2 models are whole folders)."""
        return self.format == "gguf"

    @property
    def local_name(self) -> str:
        """What it is called in the models folder: a GGUF's file, an EXL2 folder ("" for
        the embedded model, which lives in its package)."""
        if self.format == "embedded":
            return ""
        return self.filename if self.format == "gguf" else self.name

    def spec(self, models_dir: Path) -> str:
        """The model spec that uses this entry once it is on disk."""
        if self.format == "embedded":
            return "default"
        if self.format == "exl2":
            return f"exl2:{models_dir / self.name}"
        return f"gguf:{models_dir / self.filename}"

    def fits(self, machine: Machine) -> bool:
        """Enough memory for it, and (on the CPU) enough cores for a usable speed."""
        if self.format == "exl2":
            return machine.vram_total >= self.min_vram_gb * GIB
        return machine.ram_total >= self.min_ram_gb * GIB and machine.runs_quickly(self.size_bytes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["roles"] = list(self.roles)
        return data


def catalog_path() -> Path:
    """Where the catalog is: the package data, a frozen bundle, or the repository."""
    package = Path(__file__).resolve().parent.parent  # app/
    candidates = [package / "data" / "catalog.toml", package.parent / "models" / "catalog.toml"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates[:0] = [Path(bundle) / "app" / "data" / "catalog.toml",
                          Path(bundle) / "models" / "catalog.toml"]  # fmt: skip
    for path in candidates:
        if path.is_file():
            return path
    raise ModelError("the model catalog (catalog.toml) is missing from this installation")


def load_catalog(path: Path | None = None) -> list[CatalogEntry]:
    """Every entry, checked: a broken catalog is reported by file and entry, never half-read."""
    path = path or catalog_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"the model catalog {path} cannot be read: {exc}") from None
    entries = []
    for index, item in enumerate(raw.get("model", []), start=1):
        entries.append(_entry(item, f"{path.name}, model {index}"))
    names = [e.name for e in entries]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ModelError(f"the model catalog {path.name} names {duplicates[0]} twice")
    return entries


def _entry(item: Any, where: str) -> CatalogEntry:
    if not isinstance(item, dict):
        raise ModelError(f"{where}: not a table")
    missing = [key for key in _REQUIRED if key not in item]
    if missing:
        raise ModelError(f"{where}: missing {', '.join(missing)}")
    known = set(CatalogEntry.__dataclass_fields__)
    unknown = sorted(set(item) - known)
    if unknown:
        raise ModelError(f"{where} ({item['name']}): unknown field {unknown[0]}")
    data = dict(item)
    data["roles"] = tuple(data["roles"])
    entry = CatalogEntry(**data)
    if entry.format not in FORMATS:
        raise ModelError(f"{where} ({entry.name}): format must be one of {', '.join(FORMATS)}")
    if entry.tier not in TIERS or not set(entry.roles) <= set(ROLES) or not entry.roles:
        raise ModelError(f"{where} ({entry.name}): bad tier or roles")
    if entry.sha256 and (len(entry.sha256) != 64 or not _is_hex(entry.sha256)):
        raise ModelError(f"{where} ({entry.name}): sha256 must be 64 hex digits")
    return entry


def _is_hex(text: str) -> bool:
    try:
        int(text, 16)
    except ValueError:
        return False
    return True


def find(name: str, entries: list[CatalogEntry] | None = None) -> CatalogEntry | None:
    name = name.strip().lower()
    return next((e for e in entries or load_catalog() if e.name.lower() == name), None)


def suggest(
    machine: Machine, role: str, entries: list[CatalogEntry] | None = None, *, gpu: bool = False
) -> CatalogEntry | None:
    """The biggest model for ``role`` that fits ``machine``: EXL2 only when ``gpu`` is asked
    for (the exllamav2 extra installed), else GGUF; None when not even the smallest fits."""
    formats = ("exl2", "gguf") if gpu else ("gguf",)
    fitting = [
        e
        for e in entries or load_catalog()
        if role in e.roles and e.format in formats and e.fits(machine)
    ]
    return max(fitting, key=lambda e: (e.format == "exl2", e.size_bytes), default=None)


# -- what is installed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    kind: str  # "gguf" | "exl2" | "partial"
    path: Path
    size_bytes: int

    @property
    def spec(self) -> str:
        return f"{self.kind}:{self.path}" if self.kind != "partial" else ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": str(self.path), "size_bytes": self.size_bytes,
                "spec": self.spec}  # fmt: skip


def installed(models_dir: Path) -> list[Installed]:
    """GGUF files, EXL2 folders and unfinished downloads in the models folder."""
    if not models_dir.is_dir():
        return []
    found = []
    for path in sorted(models_dir.iterdir()):
        if path.is_file() and path.suffix.lower() == ".gguf":
            found.append(Installed("gguf", path, path.stat().st_size))
        elif path.is_file() and path.name.endswith(".part"):
            found.append(Installed("partial", path, path.stat().st_size))
        elif path.is_dir() and (path / "config.json").is_file():
            weights = list(path.glob("*.safetensors"))
            if weights:
                found.append(Installed("exl2", path, sum(w.stat().st_size for w in weights)))
    return found


@dataclass(frozen=True)
class Embedded:
    """The embedded default model: where it is, or why it is missing."""

    path: Path | None = None
    size_bytes: int = 0
    error: str = ""  # empty when the file is there

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"spec": "default"}
        if self.error:
            data["error"] = self.error
        else:
            data.update(path=str(self.path), size_bytes=self.size_bytes)
        return data


@dataclass(frozen=True)
class InstalledRow:
    """A file or folder in the models folder, with whether a GGUF fits this machine."""

    item: Installed
    fits: bool = True
    n_gpu_layers: int | None = None  # for a GGUF: the layers to put on the GPU

    def to_dict(self) -> dict[str, Any]:
        data = self.item.to_dict()
        if self.item.kind == "gguf":
            data.update(fits=self.fits, n_gpu_layers=self.n_gpu_layers)
        return data


@dataclass(frozen=True)
class CatalogRow:
    """A catalog entry as this machine sees it."""

    entry: CatalogEntry
    fits: bool
    installed: bool
    spec: str  # the model spec that uses it once it is on disk

    def to_dict(self) -> dict[str, Any]:
        return {**self.entry.to_dict(), "fits": self.fits, "installed": self.installed,
                "spec": self.spec}  # fmt: skip


@dataclass(frozen=True)
class Overview:
    """Everything a model list shows (``smart-agent models``, the model manager dialog)."""

    embedded: Embedded
    installed: tuple[InstalledRow, ...]
    catalog: tuple[CatalogRow, ...]
    machine: Machine
    suggested: dict[str, str | None]  # role -> catalog name, None when nothing fits

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``smart-agent models --json``."""
        return {
            "embedded": self.embedded.to_dict(),
            "installed": [row.to_dict() for row in self.installed],
            "catalog": [row.to_dict() for row in self.catalog],
            "machine": self.machine.to_dict(),
            "suggested": dict(self.suggested),
        }


def overview(
    models_dir: Path, machine: Machine, n_ctx: int = 4096, catalog_file: Path | None = None
) -> Overview:
    """The embedded default, what is installed (GGUF files with whether they fit and the
    ``n_gpu_layers`` to use), the catalog (each entry marked as fitting and as installed)
    and the suggested planner and caller for this machine. ``catalog_file``: another catalog
    than the one that ships with the app."""
    from app.llm import embedded_model_path

    entries = load_catalog(catalog_file)
    on_disk = installed(models_dir)
    try:
        path = embedded_model_path()
        embedded = Embedded(path, path.stat().st_size)
    except ModelError as exc:
        embedded = Embedded(error=str(exc))
    local = []
    for item in on_disk:
        if item.kind == "gguf":
            needs = gguf_needs(item.path, n_ctx)
            fits = needs.total <= machine.ram_available + machine.vram_free
            local.append(InstalledRow(item, fits, suggest_gpu_layers(needs, machine)))
        else:
            local.append(InstalledRow(item))
    names = {item.path.name for item in on_disk if item.kind != "partial"}
    rows = []
    for entry in entries:
        here = entry.format == "embedded" and not embedded.error
        here = here or entry.local_name in names
        rows.append(CatalogRow(entry, entry.fits(machine), here, entry.spec(models_dir)))
    gpu = bool(machine.gpus) and importlib.util.find_spec("exllamav2") is not None
    suggested = {role: suggest(machine, role, entries, gpu=gpu) for role in ROLES}
    return Overview(
        embedded,
        tuple(local),
        tuple(rows),
        machine,
        {role: e.name if e else None for role, e in suggested.items()},
    )
