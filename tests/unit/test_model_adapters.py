"""Model specs with LoRA adapters: parsing, which adapter a role gets, and clear refusals."""

from __future__ import annotations

import pytest

from app.errors import ModelError
from app.llm import ModelPool, shipped_adapter, split_adapter
from app.settings import Settings


def test_a_spec_may_name_an_adapter():
    assert split_adapter("gguf:/m/base.gguf+lora:/a/x.gguf") == ("gguf:/m/base.gguf", "/a/x.gguf")
    assert split_adapter("default") == ("default", None)
    with pytest.raises(ModelError, match="names no adapter"):
        split_adapter("default+lora:")


def test_which_adapter_a_role_gets(tmp_path):
    pool = ModelPool(Settings({"models.caller_adapter": str(tmp_path / "mine.gguf")}))
    assert pool.role_adapter("gguf", "caller") == str(tmp_path / "mine.gguf")  # configured wins
    assert pool.role_adapter("gguf", "planner") is None  # another model: no shipped adapter
    assert pool.role_adapter("default", None) is None  # no role, no adapter
    shipped = shipped_adapter("planner")
    assert pool.role_adapter("default", "planner") == (str(shipped) if shipped else None)
    off = ModelPool(Settings({"models.shipped_adapters": False}))
    assert off.role_adapter("default", "planner") is None


def test_an_adapter_on_a_model_that_cannot_take_one_is_refused(tmp_path):
    script = tmp_path / "r.json"
    script.write_text("[]", encoding="utf-8")
    pool = ModelPool(Settings())
    with pytest.raises(ModelError, match="LoRA adapters need a GGUF model"):
        pool.get(f"replay:{script}+lora:{tmp_path / 'a.gguf'}", "planner")
    # without an adapter the same spec loads, and no role changes that
    assert pool.get(f"replay:{script}", "planner").adapter is None
