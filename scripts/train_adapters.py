"""`make train`: the embedded model's shipped LoRA adapters, reproduced from the generator.

Trains planner, caller and solver one after another with fixed seeds and sizes (the
figures below are the ones the shipped files were made with), writes them to
``models/adapters/smollm2-135m-<role>.gguf`` and a record of the run (wall time, tokens/s,
losses, peak memory) to ``models/adapters/training.json``.

Usage: ``python scripts/train_adapters.py [--roles planner,caller,solver] [--scale 1.0]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SMART_AGENT_HOME", tempfile.mkdtemp(prefix="smart-agent-train-"))

from app.learn.commands import progress_line  # noqa: E402
from app.learn.dataset import synthetic_examples  # noqa: E402
from app.learn.train import TrainConfig, Trainer  # noqa: E402
from app.llm import embedded_model_path, shipped_adapters_dir  # noqa: E402

# role: stages of (synthetic examples, seed, batch, learning rate); a later stage goes on
# from the adapter the earlier one wrote, on fresh examples. LoRA r16 on every linear layer
# of the top 10 of 30 blocks: the 20 below run forward only (no activations kept, no
# backward), which halves the time per token on a 2-core CPU.
RECIPES = {
    "planner": [(640, 1, 16, 1e-3), (480, 4, 16, 5e-4)],
    "caller": [(400, 2, 8, 1e-3)],
    "solver": [(320, 3, 16, 1e-3), (320, 4, 16, 5e-4)],
}
LAYERS = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", default="planner,caller,solver")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the example counts")
    parser.add_argument(
        "--from-stage", type=int, default=0, help="skip each role's first N stages (go on)"
    )
    args = parser.parse_args()
    out_dir = shipped_adapters_dir()
    record_path = out_dir / "training.json"
    record = json.loads(record_path.read_text()) if record_path.is_file() else {}
    began = time.perf_counter()
    for role in args.roles.split(","):
        out = out_dir / f"smollm2-135m-{role}.gguf"
        stages = RECIPES[role][args.from_stage :]
        for stage, (count, seed, batch, lr) in enumerate(stages):
            examples = synthetic_examples(role, int(count * args.scale), seed)
            config = TrainConfig(
                role=role,
                base=embedded_model_path(),
                out=out,
                rank=16,
                alpha=32,
                layers=LAYERS,
                batch_size=batch,
                lr=lr,
                seed=seed,
                init=out if stage > 0 or args.from_stage > 0 else None,
            )
            print(f"{role} stage {stage + 1}: {len(examples)} examples", flush=True)
            result = Trainer(config, examples).run(
                lambda p: print(progress_line(p).strip(), flush=True) if p.step % 5 == 0 else None
            )
            figures = result.to_dict()
            figures["out"] = str(Path(figures["out"]).relative_to(ROOT))
            figures["examples_generated"] = len(examples)
            figures["config"] = {
                k: v for k, v in config.to_dict().items() if k not in ("base", "out", "init")
            }
            key = role if len(RECIPES[role]) == 1 else f"{role}_stage{stage + 1 + args.from_stage}"
            record[key] = figures
            print(f"{key}: " + json.dumps(figures), flush=True)
    record["wall_s_last_run"] = round(time.perf_counter() - began, 1)
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"train_wall_s: {record['wall_s_last_run']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
