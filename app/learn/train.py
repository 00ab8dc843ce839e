"""LoRA fine-tuning of one role over the GGUF base itself, with a prompt loss mask.

The base is the very GGUF file llama.cpp runs: transformers loads and dequantizes it
(``gguf_file=``), PEFT adds LoRA matrices, and the trained adapter is written back as a GGUF
LoRA adapter (``app.learn.gguf_adapter``) that llama.cpp applies over the quantized base.

Prompts are tokenized by llama.cpp's own tokenizer and chat template (``ChatTokenizer``,
the one inference uses); the loss is taken only on the reply and its end-of-turn token
(labels ``-100`` on every prompt token).

Speed on a 2-core CPU comes from three things: bf16 autocast where the CPU has it
(AMX / AVX512-BF16), batches whose examples share their system prompt (planner, solver,
the caller's functions block) so that shared prefix runs once per batch and its keys and
values are reused for every example in it (its gradient still flows), and no padding
beyond the longest example of a batch.

torch, transformers and peft (the ``[train]`` extra) are imported only here, lazily.
"""

from __future__ import annotations

import inspect
import json
import math
import random
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.learn.batching import IGNORE, Encoded, batches, encode, shared_prefix
from app.learn.examples import DataError, Example
from app.learn.preflight import (
    TrainError,
    check_base,
    check_resources,
    cpu_has_bf16,
    peak_rss_mb,
    require_extra,
)

DEFAULT_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass
class TrainConfig:
    role: str
    base: Path
    out: Path
    rank: int = 16
    alpha: float = 32.0
    targets: tuple[str, ...] = DEFAULT_TARGETS
    layers: int = 0  # LoRA on the top N layers only (0: all); the rest run without gradients
    dropout: float = 0.0
    epochs: float = 1.0
    batch_size: int = 8
    lr: float = 4e-4
    warmup: int = 5
    max_len: int = 1536
    seed: int = 0
    threads: int = 0  # 0: every core
    checkpoint_every: int = 25
    resume: bool = False
    init: Path | None = None  # start from this GGUF adapter (same rank, targets, layers)
    device: str = "auto"  # auto | cpu | cuda

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["base"], data["out"] = str(self.base), str(self.out)
        data["init"] = str(self.init) if self.init else None
        data["targets"] = list(self.targets)
        return data


@dataclass
class Progress:
    step: int
    total: int
    loss: float
    tokens_per_s: float
    eta_s: float
    elapsed_s: float


@dataclass
class TrainResult:
    out: Path
    steps: int
    total_steps: int
    examples: int
    tokens: int
    seconds: float
    tokens_per_s: float
    first_loss: float
    final_loss: float
    stopped: bool
    device: str
    bf16: bool
    peak_rss_mb: float
    losses: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["out"] = str(self.out)
        data.pop("losses")
        return data


class Trainer:
    """One training run: load base + LoRA, loop over batches, checkpoint, export GGUF."""

    def __init__(self, config: TrainConfig, examples: Sequence[Example]):
        self.config = config
        self.examples = list(examples)
        if not self.examples:
            raise DataError(
                "no training examples: give --data FILE, --synthetic N or --from-history"
            )
        wrong = [e for e in self.examples if e.role != config.role]
        if wrong:
            raise DataError(
                f"{len(wrong)} example(s) are for the {wrong[0].role}, not the {config.role}"
            )
        self.skipped = 0

    # -- set-up --------------------------------------------------------------------------

    def _load(self) -> tuple[Any, Any]:  # (PEFT model, the torch module)
        require_extra()
        import torch
        from peft import LoraConfig, get_peft_model
        from transformers import AutoModelForCausalLM

        config = self.config
        check_base(config.base)
        check_resources(config.base, config.out)
        if config.threads > 0:
            torch.set_num_threads(config.threads)
        device = config.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = device
        torch.manual_seed(config.seed)
        try:
            model: Any = AutoModelForCausalLM.from_pretrained(
                str(config.base.parent), gguf_file=config.base.name, dtype=torch.float32
            )
        except (ValueError, KeyError, OSError, NotImplementedError) as exc:
            raise TrainError(
                f"transformers cannot load {config.base.name} for training: "
                f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
            ) from None
        self.architecture = str(getattr(model.config, "model_type", ""))
        if self.architecture != "llama":
            raise TrainError(
                f"{config.base.name} is a '{self.architecture}' model; adapters can be "
                "exported for llama-architecture models only (SmolLM2, Llama, Mistral-like)"
            )
        model.config.use_cache = True
        total_layers = int(model.config.num_hidden_layers)
        adapted = (
            list(range(total_layers - config.layers, total_layers))
            if 0 < config.layers < total_layers
            else None
        )
        lora = LoraConfig(
            layers_to_transform=adapted,
            r=config.rank,
            lora_alpha=config.alpha,  # type: ignore[arg-type]  # PEFT accepts a float
            lora_dropout=config.dropout,
            target_modules=list(config.targets),
            bias="none",
            task_type="CAUSAL_LM",
        )
        model = get_peft_model(model, lora).to(device)
        if config.init is not None:
            self._init_from(model, config.init, torch)
        # transformers 5 names the forward's cache argument `cache`, 4.x `past_key_values`
        forward = inspect.signature(model.get_base_model().model.forward).parameters
        self.cache_argument = "cache" if "cache" in forward else "past_key_values"
        self.bf16 = device == "cpu" and cpu_has_bf16() or device == "cuda"
        return model, torch

    def _init_from(self, model: Any, path: Path, torch: Any) -> None:
        """Load a GGUF adapter's weights into the fresh LoRA matrices (continued training)."""
        from peft import set_peft_model_state_dict

        from app.learn.gguf_adapter import read_adapter_state

        cfg = model.get_base_model().config
        state = read_adapter_state(
            path,
            int(cfg.num_attention_heads),
            int(getattr(cfg, "num_key_value_heads", None) or cfg.num_attention_heads),
        )
        expected = {k.replace(".default", "") for k in lora_state(model)}
        if set(state) != expected:
            raise TrainError(
                f"{path.name} does not fit this training's LoRA (rank, targets and layers "
                "must match the adapter's)"
            )
        tensors = {k: torch.from_numpy(v.copy()) for k, v in state.items()}
        set_peft_model_state_dict(model, tensors)

    def _state_dir(self) -> Path:
        return self.config.out.with_name(self.config.out.name + ".checkpoint")

    # -- the loop ------------------------------------------------------------------------

    def run(
        self,
        progress: Callable[[Progress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> TrainResult:
        from app.llm.llama_cpp import ChatTokenizer

        config = self.config
        check_base(config.base)
        tokenizer = ChatTokenizer.open(config.base)
        encoded = encode(self.examples, tokenizer, config.max_len)
        self.skipped = len(self.examples) - len(encoded)
        if not encoded:
            raise DataError(f"every example is longer than {config.max_len} tokens")
        model, torch = self._load()
        rng = random.Random(config.seed)
        epochs = max(1, math.ceil(config.epochs))
        plan: list[list[Encoded]] = []
        for _ in range(epochs):
            plan += batches(encoded, config.batch_size, rng)
        total = max(1, round(len(plan) * config.epochs / epochs))
        plan = plan[:total]
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=0.0)

        def schedule(step: int) -> float:
            if step < config.warmup:
                return (step + 1) / config.warmup
            return max(0.05, 1 - (step - config.warmup) / max(1, total - config.warmup))

        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
        start_step, losses = 0, list[float]()
        state_dir = self._state_dir()
        if config.resume:
            start_step, losses = self._restore(model, optimizer, scheduler, state_dir, torch)
        model.train()
        tokens = 0
        began = time.perf_counter()
        stopped = False
        step = start_step
        try:
            for step in range(start_step, total):
                if cancel is not None and cancel.is_set():
                    stopped = True
                    break
                batch = plan[step]
                loss, counted = self._step(model, batch, torch)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                optimizer.step()
                scheduler.step()
                losses.append(float(loss.detach()))
                tokens += counted
                elapsed = time.perf_counter() - began
                rate = tokens / elapsed if elapsed else 0.0
                done = step + 1 - start_step
                if progress is not None:
                    progress(
                        Progress(
                            step=step + 1,
                            total=total,
                            loss=sum(losses[-10:]) / len(losses[-10:]),
                            tokens_per_s=rate,
                            eta_s=elapsed / done * (total - step - 1),
                            elapsed_s=elapsed,
                        )
                    )
                if (step + 1) % config.checkpoint_every == 0 and step + 1 < total:
                    self._save_state(model, optimizer, scheduler, step + 1, losses, state_dir)
            else:
                step = total
        except KeyboardInterrupt:
            stopped = True
        if stopped:
            self._save_state(model, optimizer, scheduler, step, losses, state_dir)
        seconds = time.perf_counter() - began
        self.export(model, config.out)
        if not stopped:
            shutil.rmtree(state_dir, ignore_errors=True)
        window = max(1, min(10, len(losses) // 4 or 1))
        return TrainResult(
            out=config.out,
            steps=len(losses),
            total_steps=total,
            examples=len(encoded),
            tokens=tokens,
            seconds=seconds,
            tokens_per_s=tokens / seconds if seconds else 0.0,
            first_loss=sum(losses[:window]) / window if losses else float("nan"),
            final_loss=sum(losses[-window:]) / window if losses else float("nan"),
            stopped=stopped,
            device=self.device,
            bf16=self.bf16,
            peak_rss_mb=peak_rss_mb(),
            losses=losses,
        )

    def _step(self, model: Any, batch: Sequence[Encoded], torch: Any) -> tuple[Any, int]:
        """Mean loss over the batch's reply tokens; the shared prefix runs once."""
        device = self.device
        prefix = shared_prefix(batch) if len(batch) > 1 else 0
        longest = max(len(e.ids) for e in batch) - prefix
        ids = torch.zeros((len(batch), longest), dtype=torch.long)
        labels = torch.full((len(batch), longest), IGNORE, dtype=torch.long)
        mask = torch.zeros((len(batch), prefix + longest), dtype=torch.long)
        for row, item in enumerate(batch):
            n = len(item.ids) - prefix
            ids[row, :n] = torch.tensor(item.ids[prefix:])
            labels[row, :n] = torch.tensor(item.labels[prefix:])
            mask[row, : prefix + n] = 1
        ids, labels, mask = ids.to(device), labels.to(device), mask.to(device)
        autocast = torch.autocast(
            device_type="cuda" if device == "cuda" else "cpu",
            dtype=torch.bfloat16,
            enabled=self.bf16,
        )
        base = model.get_base_model()
        with autocast:
            cache = None
            if prefix:
                head = torch.tensor([batch[0].ids[:prefix]], dtype=torch.long, device=device)
                cache = expand_cache(
                    base_cache(base.model(input_ids=head, use_cache=True)), len(batch)
                )
            positions = torch.arange(prefix, prefix + longest, device=device).expand(len(batch), -1)
            hidden = base.model(
                input_ids=ids,
                attention_mask=mask,
                position_ids=positions,
                use_cache=False,
                **{self.cache_argument: cache},
            ).last_hidden_state
            # logits only where a reply token is predicted: the vocabulary projection is a
            # large share of a small model's work, and most positions are prompt
            target = labels[:, 1:]
            wanted = target != IGNORE
            logits = base.lm_head(hidden[:, :-1][wanted])
        loss = torch.nn.functional.cross_entropy(logits.float(), target[wanted])
        return loss, int(mask.sum())

    # -- checkpoints and export ------------------------------------------------------------

    def _save_state(
        self,
        model: Any,
        optimizer: Any,
        scheduler: Any,
        step: int,
        losses: list[float],
        state_dir: Path,
    ) -> None:
        import torch

        state_dir.mkdir(parents=True, exist_ok=True)
        temp = state_dir / "state.pt.part"
        torch.save(
            {
                "adapter": lora_state(model),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "step": step,
                "losses": losses,
                "config": self.config.to_dict(),
            },
            temp,
        )
        temp.replace(state_dir / "state.pt")

    def _restore(
        self, model: Any, optimizer: Any, scheduler: Any, state_dir: Path, torch: Any
    ) -> tuple[int, list[float]]:
        path = state_dir / "state.pt"
        if not path.is_file():
            raise TrainError(f"nothing to resume: no checkpoint at {path}")
        try:
            state = torch.load(path, weights_only=False)
        except Exception as exc:  # a torn or foreign file: say so, keep the file
            raise TrainError(f"the checkpoint {path} cannot be read ({exc})") from None
        saved = state.get("config", {})
        for key in ("role", "rank", "targets", "base"):
            if str(saved.get(key)) != str(self.config.to_dict()[key]):
                raise TrainError(
                    f"the checkpoint was made with another {key} ({saved.get(key)}); "
                    "start afresh without --resume"
                )
        from peft import set_peft_model_state_dict

        set_peft_model_state_dict(model, state["adapter"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        return int(state["step"]), list(state["losses"])

    def export(self, model: Any, out: Path) -> Path:
        from app.learn.gguf_adapter import write_adapter

        cfg = model.base_model.model.config
        state = {k: v.detach().float().cpu().numpy() for k, v in lora_state(model).items()}
        write_adapter(
            out,
            state,
            alpha=self.config.alpha,
            n_head=int(cfg.num_attention_heads),
            n_head_kv=int(getattr(cfg, "num_key_value_heads", None) or cfg.num_attention_heads),
            architecture=self.architecture,
            name=f"smart-agent {self.config.role} adapter",
        )
        meta = out.with_suffix(".json")
        config = self.config.to_dict()
        for key in ("base", "out", "init"):  # file names: no machine's folders in a shared file
            config[key] = Path(config[key]).name if config[key] else None
        meta.write_text(
            json.dumps({"role": self.config.role, "config": config}, indent=2)
            + "\n",
            encoding="utf-8",
        )
        return out


def lora_state(model: Any) -> dict[str, Any]:
    from peft import get_peft_model_state_dict

    return dict(get_peft_model_state_dict(model))


def base_cache(output: Any) -> Any:
    found = getattr(output, "cache", None)
    return found if found is not None else output.past_key_values


def expand_cache(past: Any, batch: int) -> Any:
    """The prefix's key/value cache repeated for every example (gradients still flow)."""
    if batch == 1:
        return past
    if hasattr(past, "batch_repeat_interleave"):
        past.batch_repeat_interleave(batch)
        return past
    return tuple(tuple(t.expand(batch, *t.shape[1:]) for t in layer) for layer in past)
