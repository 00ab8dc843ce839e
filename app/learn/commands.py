"""The learning commands: ``rate``, ``export-training`` and ``train`` (nothing heavy imported).

    smart-agent train planner|caller|solver [--data FILE ...] [--from-history]
        [--approved-only] [--synthetic N] [--seed N] [--base SPEC] [--epochs E] [--rank R]
        [--alpha A] [--targets q_proj,v_proj] [--batch B] [--lr LR] [--out PATH] [--resume]

Progress goes to stderr as one line that rewrites itself (step, loss, tokens/s, ETA);
Ctrl+C stops after the current step, keeps a checkpoint and writes the adapter so far.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from app.errors import ModelError, StoreError, UsageError
from app.learn.examples import ROLES, DataError, Example, read_jsonl

RATING_WORDS: dict[str, int | None] = {"good": 1, "bad": -1, "none": None}


def add_learning_parsers(sub: Any) -> None:
    rate = sub.add_parser("rate", help="rate a run: good (use for training), bad (never), none")
    rate.add_argument("run_id")
    rate.add_argument("rating", choices=tuple(RATING_WORDS))

    export_training = sub.add_parser(
        "export-training", help="your own good ReWOO runs as JSONL training examples"
    )
    export_training.add_argument("--role", choices=ROLES, required=True)
    export_training.add_argument(
        "--approved-only", action="store_true", help="only the runs rated good"
    )
    export_training.add_argument("--out", metavar="FILE", help="write here (default: stdout)")

    train = sub.add_parser(
        "train", help="fine-tune a LoRA adapter for the planner, caller or solver"
    )
    train.add_argument("role", choices=ROLES)
    train.add_argument("--data", metavar="FILE", nargs="+", default=[], help="JSONL examples")
    train.add_argument(
        "--from-history", action="store_true", help="your own good runs from the history"
    )
    train.add_argument(
        "--approved-only", action="store_true", help="with --from-history: runs rated good only"
    )
    train.add_argument("--synthetic", metavar="N", type=int, default=0, help="N generated examples")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--base", metavar="SPEC", default="default", help="a GGUF model (default)")
    train.add_argument("--epochs", type=float, default=1.0)
    train.add_argument("--rank", type=int, default=16)
    train.add_argument("--alpha", type=float, default=None, help="default: twice the rank")
    train.add_argument("--targets", default="", help="LoRA modules, comma-separated")
    train.add_argument(
        "--layers", type=int, default=0, help="LoRA on the top N blocks only (0: all)"
    )
    train.add_argument("--batch", type=int, default=8)
    train.add_argument("--lr", type=float, default=4e-4)
    train.add_argument("--max-len", type=int, default=1536)
    train.add_argument("--threads", type=int, default=0)
    train.add_argument("--out", metavar="PATH", help="the adapter file (.gguf) to write")
    train.add_argument("--resume", action="store_true", help="continue from the checkpoint")
    train.add_argument(
        "--init", metavar="ADAPTER", help="start from this GGUF adapter (train it further)"
    )
    train.add_argument("--json", action="store_true", help="print the result as JSON")


def base_path(spec: str) -> Path:
    from app.llm import embedded_model_path, split_adapter, split_spec

    backend, target = split_spec(split_adapter(spec)[0])
    if backend == "default":
        return embedded_model_path()
    if backend != "gguf":
        raise ModelError(f"training needs a GGUF base model (default or gguf:PATH), not '{spec}'")
    return Path(target).expanduser()


def gather(runtime: Any, args: argparse.Namespace) -> list[Example]:
    """Examples from the files, the history and the generator, in that order."""
    examples: list[Example] = []
    for name in args.data:
        examples += read_jsonl(Path(name).expanduser(), args.role)
    if args.from_history:
        from app.learn.history import export_examples

        examples += list(
            export_examples(runtime.store, runtime, args.role, approved_only=args.approved_only)
        )
    if args.synthetic:
        from app.learn.dataset import synthetic_examples

        examples += synthetic_examples(args.role, args.synthetic, args.seed)
    if not examples:
        raise DataError(
            "no training examples: give --data FILE, --synthetic N or --from-history "
            "(rate good runs in the history first)"
        )
    return examples


def progress_line(progress: Any) -> str:
    width = 24
    filled = int(width * progress.step / max(1, progress.total))
    eta = time.strftime("%M:%S", time.gmtime(progress.eta_s))
    if progress.eta_s >= 3600:
        eta = f"{progress.eta_s / 3600:.1f} h"
    return (
        f"\r[{'#' * filled}{'-' * (width - filled)}] step {progress.step}/{progress.total}  "
        f"loss {progress.loss:.3f}  {progress.tokens_per_s:.0f} tok/s  ETA {eta} "
    )


def cmd_train(runtime: Any, args: argparse.Namespace) -> int:
    from app.learn.preflight import require_extra
    from app.learn.train import DEFAULT_TARGETS, TrainConfig, Trainer

    require_extra()  # one line on how to install the extra, before any work
    base = base_path(args.base)
    out = (
        Path(args.out).expanduser()
        if args.out
        else runtime.paths.data / "adapters" / f"{args.role}-{time.strftime('%Y%m%d-%H%M%S')}.gguf"
    )
    targets = tuple(t.strip() for t in args.targets.split(",") if t.strip()) or DEFAULT_TARGETS
    config = TrainConfig(
        role=args.role,
        base=base,
        out=out,
        rank=args.rank,
        alpha=args.alpha if args.alpha is not None else 2.0 * args.rank,
        targets=targets,
        layers=args.layers,
        epochs=args.epochs,
        batch_size=args.batch,
        lr=args.lr,
        max_len=args.max_len,
        seed=args.seed,
        threads=args.threads,
        resume=args.resume,
        init=Path(args.init).expanduser() if args.init else None,
    )
    examples = gather(runtime, args)
    print(
        f"training the {args.role} adapter on {len(examples)} examples over {base.name}",
        file=sys.stderr,
    )
    trainer = Trainer(config, examples)
    show = sys.stderr.isatty()

    def report(progress: Any) -> None:
        line = progress_line(progress)
        if show:
            print(line, end="", file=sys.stderr, flush=True)
        elif progress.step == progress.total or progress.step % 10 == 0:
            print(line.strip(), file=sys.stderr, flush=True)

    result = trainer.run(report)
    if show:
        print(file=sys.stderr)
    if trainer.skipped:
        print(
            f"smart-agent: {trainer.skipped} example(s) longer than {config.max_len} tokens "
            "were left out",
            file=sys.stderr,
        )
    if result.stopped:
        print(
            f"stopped at step {result.steps}/{result.total_steps}; the checkpoint is kept "
            "(continue with --resume) and the adapter so far is written",
            file=sys.stderr,
        )
    print(
        f"adapter: {result.out}  ({result.steps} steps, loss {result.first_loss:.3f} → "
        f"{result.final_loss:.3f}, {result.tokens_per_s:.0f} tokens/s, "
        f"{result.seconds / 60:.1f} min, peak memory {result.peak_rss_mb / 1024:.1f} GB)"
    )
    if args.json:
        print(json.dumps(result.to_dict()))
    return 0


def cmd_rate(runtime: Any, args: argparse.Namespace) -> int:
    """Mark a run good (training may use it), bad (it never will) or unrated."""
    try:
        record = runtime.store.get(args.run_id)
    except StoreError as exc:  # an ambiguous id prefix
        raise UsageError(str(exc)) from None
    if record is None:
        raise UsageError(f"no run with id '{args.run_id}' (see `smart-agent history`)")
    runtime.store.rate(record.id, RATING_WORDS[args.rating])
    said = {
        "good": "rated good (used for training)",
        "bad": "rated bad (never used for training)",
        "none": "rating cleared",
    }
    print(f"Run {record.id}: {said[args.rating]}")
    return 0


def cmd_export_training(runtime: Any, args: argparse.Namespace) -> int:
    """The person's own ReWOO runs as JSONL examples for one role; counts go to stderr."""
    from app.learn.examples import write_jsonl
    from app.learn.history import ExportTally, export_examples

    tally = ExportTally(args.role)
    examples = list(
        export_examples(
            runtime.store, runtime, args.role, approved_only=args.approved_only, tally=tally
        )
    )
    if not examples:
        print(f"smart-agent: {tally.nothing_to_export()}", file=sys.stderr)
        return 0
    if args.out:
        try:
            write_jsonl(examples, Path(args.out))
        except OSError as exc:
            raise UsageError(f"cannot write to {args.out}: {exc.strerror or exc}") from None
    else:
        for example in examples:
            print(json.dumps(example.to_dict(), ensure_ascii=False))
    where = f" to {args.out}" if args.out else ""
    print(f"smart-agent: exported {tally.summary(where)}", file=sys.stderr)
    return 0


LEARNING_COMMANDS = {"rate": cmd_rate, "export-training": cmd_export_training, "train": cmd_train}
