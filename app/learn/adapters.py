"""Which LoRA adapter each role runs with, for listings (the Models dialog, ``smart-agent
models``).

The choice itself is ``ModelPool``'s (``app.llm``): the role's spec's own ``+lora:PATH``,
else the setting ``models.<role>_adapter``, else, on the embedded default, the adapter shipped
for the role while ``models.shipped_adapters`` is on. Nothing is loaded to find out; the
rank is read from the file's header when the ``gguf`` package is there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.errors import ModelError
from app.learn.examples import ROLES, DataError
from app.llm import ModelPool, split_adapter, split_spec
from app.settings import Settings

SPEC = "spec"  # the role's model spec names it (+lora:PATH)
CONFIGURED = "configured"  # models.<role>_adapter
SHIPPED = "shipped"  # models/adapters, for the embedded default


@dataclass(frozen=True)
class AdapterInUse:
    role: str
    path: Path | None  # None: the role runs without an adapter
    source: str = ""  # SPEC | CONFIGURED | SHIPPED; "" without an adapter
    size_bytes: int | None = None  # None: the file is missing
    rank: int | None = None  # None: unknown (no ``gguf`` package, or not a LoRA file)

    def describe(self) -> str:
        """One line: the file, where the choice comes from, its size and rank."""
        if self.path is None:
            return "none (the base model alone)"
        if self.size_bytes is None:
            return f"{self.path} ({self.source}; the file is missing)"
        details = [self.source, f"{self.size_bytes / 2**20:.1f} MiB"]
        if self.rank:
            details.append(f"rank {self.rank}")
        return f"{self.path} ({', '.join(details)})"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path) if self.path is not None else None
        return data


def role_spec(settings: Settings, role: str) -> str:
    """The model spec ``role`` runs on (the solver's empty setting means the planner's)."""
    spec = str(settings.get(f"models.{role}"))
    if not spec and role == "solver":
        spec = str(settings.get("models.planner"))
    return spec or "default"


def adapter_in_use(settings: Settings, role: str) -> AdapterInUse:
    spec = role_spec(settings, role)
    try:
        base, own = split_adapter(spec)
        backend = split_spec(base)[0]
    except ModelError:
        return AdapterInUse(role, None)  # a bad spec: loading the model will say why
    if own is not None:
        path, source = own, SPEC
    else:
        chosen = ModelPool(settings).role_adapter(backend, role)
        if chosen is None:
            return AdapterInUse(role, None)
        path = chosen
        source = CONFIGURED if settings.get(f"models.{role}_adapter") else SHIPPED
    file = Path(path).expanduser()
    if not file.is_file():
        return AdapterInUse(role, file, source)
    return AdapterInUse(role, file, source, file.stat().st_size, _rank(file))


def adapters_in_use(settings: Settings) -> list[AdapterInUse]:
    return [adapter_in_use(settings, role) for role in ROLES]


def _rank(path: Path) -> int | None:
    from app.learn.gguf_adapter import read_adapter_info

    try:
        return int(read_adapter_info(path)["rank"]) or None
    except (ImportError, DataError):
        return None
