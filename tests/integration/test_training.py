"""LoRA training on the real embedded GGUF: a tiny run whose loss falls, stops and resumes,
and whose GGUF adapter loads in llama.cpp and changes the greedy reply; the bad inputs
of `smart-agent train`, each with its one line."""

from __future__ import annotations

import json
import sys
import threading

import pytest

from app.learn import preflight, train
from app.learn.examples import DataError, Example
from app.learn.gguf_adapter import read_adapter_info
from app.llm import embedded_model_path
from app.llm.llama_cpp import LlamaCppModel

pytestmark = pytest.mark.integration

SYSTEM = "You answer questions about the secret word."
QUESTIONS = ["What is the secret word?", "Tell me the secret word.", "Secret word?",
             "Which word is the secret one?"]
REPLY = "The secret word is swordfish."


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``smart-agent ARGS`` in this process (so that a test can hide a package)."""
    from app.cli import main

    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def tiny_examples() -> list[Example]:
    return [
        Example("solver", [{"role": "system", "content": SYSTEM},
                           {"role": "user", "content": q}], REPLY)
        for q in QUESTIONS
    ]


def tiny_config(tmp_path, **changes) -> train.TrainConfig:
    values = dict(role="solver", base=embedded_model_path(), out=tmp_path / "tiny.gguf",
                  rank=8, alpha=16, targets=("q_proj", "k_proj", "v_proj", "o_proj"),
                  epochs=6, batch_size=4, lr=3e-3, warmup=1, checkpoint_every=100)
    values.update(changes)
    return train.TrainConfig(**values)


def test_tiny_training_run_stops_resumes_and_its_adapter_changes_the_reply(tmp_path):
    pytest.importorskip("torch", reason="install the [train] extra: pip install -e '.[train]'")
    stop = threading.Event()

    def stop_after_two(progress: train.Progress) -> None:
        if progress.step == 2:
            stop.set()

    first = train.Trainer(tiny_config(tmp_path), tiny_examples()).run(stop_after_two, stop)
    assert first.stopped and first.steps == 2
    checkpoint = tmp_path / "tiny.gguf.checkpoint" / "state.pt"
    assert checkpoint.is_file()  # Ctrl+C / Stop keeps the last state
    assert (tmp_path / "tiny.gguf").is_file()  # and the adapter so far

    result = train.Trainer(tiny_config(tmp_path, resume=True), tiny_examples()).run()
    assert not result.stopped and result.steps == 6 == result.total_steps
    assert result.losses[:2] == first.losses  # resumed, not restarted
    assert result.final_loss < result.first_loss * 0.7  # it learns
    assert not checkpoint.exists()
    info = read_adapter_info(result.out)
    assert info["type"] == "adapter" and info["adapter_type"] == "lora"
    assert info["alpha"] == 16 and info["rank"] == 8
    meta = json.loads(result.out.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["config"]["out"] == "tiny.gguf"  # names only: the file may be shared
    assert "/" not in meta["config"]["base"]

    model = LlamaCppModel(embedded_model_path(), n_ctx=512)
    try:
        messages = [{"role": "system", "content": SYSTEM},
                    {"role": "user", "content": "What is the secret word?"}]
        base = model.generate(messages, max_tokens=16).text
        tuned = model.with_adapter(result.out).generate(messages, max_tokens=16).text
        again = model.generate(messages, max_tokens=16).text
    finally:
        model.close()
    assert tuned != base
    assert "swordfish" in tuned.lower() or tuned.startswith("The secret word is")
    assert again == base  # the adapter is per call: the base model is untouched


def test_train_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "peft", None)
    code, _out, err = cli(["train", "planner", "--synthetic", "4"], capsys)
    assert code == 1
    assert "peft not installed" in err and "pip install -e '.[train]'" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "holds no training examples"), ("{not json\n", "line 1 is not valid JSON")],
)
def test_train_on_an_empty_or_corrupt_file_says_so(tmp_path, capsys, content, message):
    pytest.importorskip("torch", reason="install the [train] extra: pip install -e '.[train]'")
    data = tmp_path / "data.jsonl"
    data.write_text(content, encoding="utf-8")
    code, _out, err = cli(["train", "planner", "--data", str(data)], capsys)
    assert code == 1 and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_base_that_is_not_a_gguf_is_refused(tmp_path, capsys):
    pytest.importorskip("torch", reason="install the [train] extra: pip install -e '.[train]'")
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"PK\x03\x04 not a model")
    code, _out, err = cli(["train", "solver", "--synthetic", "2", "--base", f"gguf:{fake}"],
                          capsys)
    assert code == 1 and "is not a GGUF model file" in err
    code, _out, err = cli(["train", "solver", "--synthetic", "2", "--base", "openai:http://x"],
                          capsys)
    assert code == 1 and "training needs a GGUF base model" in err


def test_an_architecture_transformers_cannot_load_is_refused(tmp_path):
    gguf = pytest.importorskip("gguf", reason="install the [train] extra")
    path = tmp_path / "odd.gguf"
    writer = gguf.GGUFWriter(str(path), "mamba")
    writer.add_block_count(1)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    trainer = train.Trainer(tiny_config(tmp_path, base=path), tiny_examples())
    with pytest.raises((train.TrainError, DataError)) as caught:
        trainer._load()
    assert "cannot load" in str(caught.value) or "is a 'mamba' model" in str(caught.value)


def test_too_little_disk_or_memory_is_refused_with_figures(tmp_path, monkeypatch):
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(preflight.shutil, "disk_usage", lambda _p: usage(10, 10, 50 * 2**20))
    with pytest.raises(preflight.TrainError, match=r"only 50 MB free"):
        preflight.check_resources(embedded_model_path(), tmp_path / "a.gguf")
    monkeypatch.undo()
    monkeypatch.setattr(preflight, "available_memory_mb", lambda: 300.0)
    with pytest.raises(preflight.TrainError, match=r"needs about .* GB of memory but only 0.3 GB"):
        preflight.check_resources(embedded_model_path(), tmp_path / "a.gguf")
