"""exl2:DIR — EXL2-quantized models on an NVIDIA GPU through exllamav2 (an optional extra).

torch and exllamav2 are heavy, CUDA-only and compiled on first use, so they are never a
dependency of the base install and are imported only here, when such a model is loaded. A
machine without them gets one line that says what is missing and how to add it.

Streaming uses exllamav2's dynamic generator (one job per call, iterated token by token,
so cancelling stops between tokens). JSON-schema constraints run as a generator filter
built on lm-format-enforcer when that is installed; GBNF grammars are a llama.cpp format,
so plans from this backend go through the agent's parse-and-retry path.

Planner and caller may both be EXL2 models on one GPU: ``exl2.vram_budget_gb`` caps what
each model (weights and cache) takes, so the first one loaded leaves room for the second.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from app.errors import ModelError
from app.llm.base import Constraint, JsonSchema, Message, StreamingModel, Usage

INSTALL_HINT = "pip install 'smart-agent[exllamav2]'"
GIB = 1024**3
PAGE = 256  # the dynamic generator's cache is allocated in pages of this many tokens


def check_folder(path: Path) -> None:
    """An EXL2 model is a folder with config.json and .safetensors weights."""
    if not path.is_dir():
        raise ModelError(f"EXL2 model folder not found: {path}")
    if not (path / "config.json").is_file() or not any(path.glob("*.safetensors")):
        raise ModelError(
            f"{path} is not an EXL2 model folder (it needs config.json and .safetensors files)"
        )


def require_runtime() -> Any:
    """torch with a CUDA device, and exllamav2 importable; else one line saying what is missing."""
    try:
        import torch
    except ImportError:
        raise ModelError(
            "EXL2 models need PyTorch with CUDA and exllamav2, which are not installed; "
            f"on a machine with an NVIDIA GPU run `{INSTALL_HINT}`"
        ) from None
    if not torch.cuda.is_available():
        raise ModelError(
            "EXL2 models need an NVIDIA GPU with CUDA, and PyTorch finds none here; "
            "use a GGUF model (gguf:PATH) or an OpenAI-compatible server instead"
        )
    try:
        import exllamav2  # noqa: F401 - the import compiles its CUDA extension on first use
    except ImportError:
        raise ModelError(
            f"EXL2 models need exllamav2, which is not installed; run `{INSTALL_HINT}`"
        ) from None
    except (RuntimeError, OSError) as exc:
        raise ModelError(
            f"exllamav2 could not build or load its CUDA extension ({exc}); "
            "the first import needs nvcc and ninja"
        ) from None
    return torch


class ExLlamaV2Model(StreamingModel):
    supports_grammar = False

    def __init__(
        self,
        directory: str | Path,
        *,
        max_seq_len: int = 4096,
        vram_budget_gb: float = 0.0,
        model_id: str | None = None,
    ):
        super().__init__()
        self.path = Path(directory).expanduser()
        self.id = model_id or f"exl2:{self.path.name}"
        check_folder(self.path)
        self._torch = require_runtime()
        from exllamav2 import ExLlamaV2, ExLlamaV2Cache, ExLlamaV2Config, ExLlamaV2Tokenizer
        from exllamav2.generator import ExLlamaV2DynamicGenerator

        try:
            config = ExLlamaV2Config(str(self.path))
        except (ValueError, KeyError, OSError, AssertionError) as exc:
            raise ModelError(f"cannot read the EXL2 model in {self.path}: {exc}") from None
        wanted = min(max_seq_len, int(config.max_seq_len))
        self.max_seq_len = max(PAGE, (wanted + PAGE - 1) // PAGE * PAGE)
        config.max_seq_len = self.max_seq_len
        self._model = ExLlamaV2(config)
        self._cache = ExLlamaV2Cache(self._model, max_seq_len=self.max_seq_len, lazy=True)
        reserve = self._reserve_for(vram_budget_gb)
        try:
            self._model.load_autosplit(self._cache, reserve_vram=reserve)
        except (RuntimeError, ValueError, AssertionError) as exc:
            self._free()
            budget = f"a budget of {vram_budget_gb:g} GB" if vram_budget_gb else "the free memory"
            raise ModelError(
                f"{self.path.name} does not fit in {budget} on the GPU ({exc}); raise "
                "exl2.vram_budget_gb, lower exl2.max_seq_len or choose a smaller quantization"
            ) from None
        self._tokenizer = ExLlamaV2Tokenizer(config)
        self._generator = ExLlamaV2DynamicGenerator(
            model=self._model, cache=self._cache, tokenizer=self._tokenizer, paged=_flash_attn()
        )
        self._render, self._stop_tokens = self._chat_template()
        self._enforcer_data: Any = None
        self.supports_json_schema = _lmfe_installed()

    def _reserve_for(self, budget_gb: float) -> list[int] | None:
        """VRAM to leave free on each device so that this model takes at most the budget."""
        if not budget_gb:
            return None
        cuda = self._torch.cuda
        free = [cuda.mem_get_info(d)[0] for d in range(cuda.device_count())]
        budget = int(budget_gb * GIB)
        if budget > free[0]:
            total = cuda.mem_get_info(0)[1]
            raise ModelError(
                f"exl2.vram_budget_gb is {budget_gb:g} GB but only {free[0] / GIB:.1f} GB of "
                f"GPU memory is free ({total / GIB:.1f} GB total); lower the budget or "
                "unload other models"
            )
        return [free[0] - budget, *free[1:]]  # the budget lives on the first GPU only

    def _chat_template(self) -> tuple[Any, list[int]]:
        """The model's own chat template (ChatML when it has none) and its end-of-turn tokens."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        from app.llm.llama_cpp import CHATML

        try:
            meta = json.loads((self.path / "tokenizer_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        template = meta.get("chat_template") or CHATML
        if isinstance(template, list):  # [{"name": "default", "template": …}, …]
            named = {t.get("name"): t.get("template") for t in template if isinstance(t, dict)}
            template = named.get("default") or next(iter(named.values()), None) or CHATML
        eos, bos = _token_text(meta.get("eos_token")), _token_text(meta.get("bos_token"))
        stops = {int(self._tokenizer.eos_token_id)}
        for text in (eos, "<|im_end|>", "<|eot_id|>", "<|end|>"):
            try:
                stops.add(int(self._tokenizer.single_id(text)))
            except (KeyError, ValueError, TypeError, AttributeError):
                continue  # this vocabulary has no such token
        return Jinja2ChatFormatter(template, eos, bos, add_generation_prompt=True), sorted(stops)

    def _filters(self, constraint: Constraint | None) -> list[Any]:
        if not isinstance(constraint, JsonSchema) or not self.supports_json_schema:
            return []
        from lmformatenforcer import JsonSchemaParser
        from lmformatenforcer.integrations.exllamav2 import build_token_enforcer_tokenizer_data

        if self._enforcer_data is None:  # walks the whole vocabulary: once per model
            self._enforcer_data = build_token_enforcer_tokenizer_data(self._tokenizer)
        parser = JsonSchemaParser(constraint.schema)
        return [_schema_filter_class()(self._model, self._tokenizer, self._enforcer_data, parser)]

    def _stream(
        self,
        messages: list[Message],
        constraint: Constraint | None,
        max_tokens: int,
        temperature: float,
        stop: tuple[str, ...],
        cancel: threading.Event | None,
        usage: Usage,
    ) -> Iterator[str]:
        from exllamav2.generator import ExLlamaV2DynamicJob, ExLlamaV2Sampler

        with self.lock:
            clock = time.perf_counter
            start = clock()
            prompt = self._render(messages=cast(Any, messages)).prompt
            ids = self._tokenizer.encode(prompt, add_bos=False, encode_special_tokens=True)
            count = int(ids.shape[-1])
            if count >= self.max_seq_len:
                raise ModelError(
                    f"the prompt has {count} tokens but {self.id} holds only {self.max_seq_len}; "
                    "shorten the task or raise exl2.max_seq_len"
                )
            usage.prompt_tokens = count
            sampling = ExLlamaV2Sampler.Settings()
            if temperature <= 0:
                sampling.top_k = 1  # greedy
            else:
                sampling.temperature, sampling.top_k, sampling.top_p = temperature, 40, 0.95
            filters = self._filters(constraint)
            job = ExLlamaV2DynamicJob(
                input_ids=ids,
                max_new_tokens=min(max_tokens, self.max_seq_len - count),
                gen_settings=sampling,
                stop_conditions=[*self._stop_tokens, *stop],
                filters=filters,
                filter_prefer_eos=bool(filters),
            )
            self._generator.enqueue(job)
            usage.seconds = clock() - start
            finished = False
            try:
                while not finished:
                    began = clock()
                    results = self._generator.iterate()
                    usage.seconds += clock() - began
                    for result in results:
                        if result.get("job") is not job or result.get("stage") != "streaming":
                            continue
                        tokens = result.get("token_ids")
                        if tokens is not None:
                            usage.completion_tokens += int(tokens.shape[-1])
                        if result.get("text"):
                            yield result["text"]
                        if result.get("eos"):
                            usage.completion_tokens = int(
                                result.get("new_tokens", usage.completion_tokens)
                            )
                            finished = True
                    if cancel is not None and cancel.is_set():
                        break
            except (RuntimeError, ValueError, AssertionError) as exc:
                raise ModelError(f"{self.id} failed to generate: {exc}") from None
            finally:
                if not finished:
                    self._generator.cancel(job)

    def _free(self) -> None:
        model = getattr(self, "_model", None)
        if model is not None:
            model.unload()
        self._cache = None
        self._torch.cuda.empty_cache()

    def close(self) -> None:
        with self.lock:
            self._free()


def _token_text(token: Any) -> str:
    """tokenizer_config.json writes special tokens as text or as {"content": text}."""
    if isinstance(token, dict):
        token = token.get("content")
    return token if isinstance(token, str) else ""


def _flash_attn() -> bool:
    """Paged (batched, prefix-sharing) generation needs flash-attn; without it, unpaged."""
    return importlib.util.find_spec("flash_attn") is not None


def _lmfe_installed() -> bool:
    return importlib.util.find_spec("lmformatenforcer") is not None


def _schema_filter_class() -> type:
    """An exllamav2 filter driven by lm-format-enforcer (defined late: both imports are lazy)."""
    from exllamav2.generator.filters import ExLlamaV2Filter
    from lmformatenforcer import TokenEnforcer

    class SchemaFilter(ExLlamaV2Filter):  # type: ignore[misc, valid-type]
        def __init__(self, model: Any, tokenizer: Any, data: Any, parser: Any):
            super().__init__(model, tokenizer)
            self._enforcer = TokenEnforcer(data, parser)
            self._tokens: list[int] = []

        def begin(self, prefix_str: str) -> None:
            self._tokens = []

        def feed(self, token: Any) -> None:
            self._tokens.append(int(token[0][0]))

        def next(self) -> tuple[list[int], list[int]]:
            allowed = self._enforcer.get_allowed_tokens(self._tokens)
            return sorted(getattr(allowed, "allowed_tokens", allowed)), []

        def use_background_worker(self) -> bool:
            return True

    return SchemaFilter
