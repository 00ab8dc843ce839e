"""exl2:DIR on a machine without CUDA or without exllamav2: one clear line, never a crash.

(The GPU path itself needs an NVIDIA machine with the ``exllamav2`` extra; these tests run
everywhere and check what people without one see.)
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from app.errors import ModelError
from app.llm import ModelPool
from app.llm.exllama import INSTALL_HINT
from app.settings import Settings


@pytest.fixture
def exl2_folder(tmp_path):
    folder = tmp_path / "Qwen2.5-7B-exl2"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"architectures": ["Qwen2ForCausalLM"]}))
    (folder / "output.safetensors").write_bytes(b"\0" * 64)
    return folder


def expected_line() -> str:
    if importlib.util.find_spec("torch") is None:
        return (
            "EXL2 models need PyTorch with CUDA and exllamav2, which are not installed; "
            f"on a machine with an NVIDIA GPU run `{INSTALL_HINT}`"
        )
    import torch

    if not torch.cuda.is_available():
        return "EXL2 models need an NVIDIA GPU with CUDA, and PyTorch finds none here"
    return f"EXL2 models need exllamav2, which is not installed; run `{INSTALL_HINT}`"


@pytest.mark.skipif(
    importlib.util.find_spec("exllamav2") is not None
    and importlib.util.find_spec("torch") is not None
    and __import__("torch").cuda.is_available(),
    reason="this machine can run EXL2 models",
)
def test_loading_says_what_is_missing_and_how_to_install_it(exl2_folder):
    with pytest.raises(ModelError) as caught:
        ModelPool(Settings()).get(f"exl2:{exl2_folder}")
    message = str(caught.value)
    assert message.startswith(expected_line()) and "\n" not in message
    assert "pip install 'smart-agent[exllamav2]'" in message or "GGUF" in message


def test_a_missing_folder_or_one_without_weights_is_named(tmp_path, exl2_folder):
    with pytest.raises(ModelError, match="EXL2 model folder not found: .*nowhere"):
        ModelPool(Settings()).get(f"exl2:{tmp_path / 'nowhere'}")
    (exl2_folder / "output.safetensors").unlink()
    with pytest.raises(ModelError, match="is not an EXL2 model folder .*config.json and"):
        ModelPool(Settings()).get(f"exl2:{exl2_folder}")


def test_the_core_never_imports_torch_or_exllamav2_until_an_exl2_model_loads():
    code = (
        "import sys, app.llm, app.llm.exllama, app.runtime, app.cli, app.models.catalog\n"
        "print(sorted(m for m in ('torch', 'exllamav2', 'lmformatenforcer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_cli_fails_with_exit_1_and_the_same_line(exl2_folder):
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "run", "hello", "--planner", f"exl2:{exl2_folder}"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )
    assert out.returncode == 1
    errors = [line for line in out.stderr.splitlines() if line.startswith("smart-agent: error:")]
    assert len(errors) == 1 and "EXL2" in errors[0] and "Traceback" not in out.stderr
    if importlib.util.find_spec("torch") is None:
        assert errors[0] == f"smart-agent: error: {expected_line()}"
