"""A PEFT LoRA adapter written as a GGUF LoRA adapter that llama.cpp loads over its base.

What llama.cpp's ``llama-adapter.cpp`` reads: ``general.type = adapter``,
``adapter.type = lora``, ``adapter.lora.alpha`` (float32) and, for every adapted weight
``<base tensor>``, the pair ``<base tensor>.lora_a`` (PEFT ``lora_A``: rank × in) and
``<base tensor>.lora_b`` (PEFT ``lora_B``: out × rank). llama.cpp scales by alpha / rank,
as PEFT does.

The trap (PITFALLS.md): llama.cpp stores Llama's q/k weights with their rows permuted
(rotary layout), and transformers un-permutes them when it loads a GGUF. A LoRA delta on
q_proj (k_proj) lives in transformers' layout, so its ``lora_b`` rows get the same
permutation (with n_head, resp. n_head_kv) on export; without it the adapter loads and runs,
just wrongly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.learn.examples import DataError

# transformers' Llama module names → llama.cpp's tensor names
_MODULES = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_KEY = re.compile(r"layers\.(\d+)\.(self_attn\.\w+|mlp\.\w+)\.lora_([AB])\.(?:default\.)?weight$")


def permute_rows(weight: Any, n_head: int) -> Any:
    """llama.cpp's rotary row order for a q/k weight (numpy array, rows = outputs)."""
    rows = weight.shape[0]
    return (
        weight.reshape(n_head, 2, rows // n_head // 2, *weight.shape[1:])
        .swapaxes(1, 2)
        .reshape(weight.shape)
    )


def unpermute_rows(weight: Any, n_head: int) -> Any:
    """The inverse of ``permute_rows``: llama.cpp's row order back to transformers'."""
    rows = weight.shape[0]
    return (
        weight.reshape(n_head, rows // n_head // 2, 2, *weight.shape[1:])
        .swapaxes(1, 2)
        .reshape(weight.shape)
    )


def gguf_tensors(state: dict[str, Any], n_head: int, n_head_kv: int) -> dict[str, Any]:
    """PEFT adapter tensors (name → numpy float32) → llama.cpp's names and layout."""
    out: dict[str, Any] = {}
    for key, value in state.items():
        match = _KEY.search(key)
        if match is None:
            continue
        layer, module, which = match.groups()
        base = _MODULES.get(module)
        if base is None:
            raise DataError(f"cannot export a LoRA on {module}: llama.cpp has no such tensor")
        array = value
        if which == "B" and base == "attn_q":
            array = permute_rows(array, n_head)
        elif which == "B" and base == "attn_k":
            array = permute_rows(array, n_head_kv)
        out[f"blk.{layer}.{base}.weight.lora_{which.lower()}"] = array
    if not out:
        raise DataError("the adapter holds no LoRA weights to export")
    return out


def write_adapter(
    path: Path,
    state: dict[str, Any],
    *,
    alpha: float,
    n_head: int,
    n_head_kv: int,
    architecture: str = "llama",
    name: str = "smart-agent adapter",
) -> Path:
    """Write ``state`` (PEFT tensor name → numpy array) as a GGUF LoRA adapter at ``path``."""
    import gguf
    import numpy as np

    if architecture != "llama":
        raise DataError(f"exporting LoRA adapters for '{architecture}' models is not supported")
    tensors = gguf_tensors(state, n_head, n_head_kv)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".part")
    writer = gguf.GGUFWriter(str(temp), architecture)
    writer.add_type("adapter")
    writer.add_name(name)
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(alpha))
    for tensor_name in sorted(tensors):
        writer.add_tensor(tensor_name, np.ascontiguousarray(tensors[tensor_name], dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    temp.replace(path)
    return path


def read_adapter_state(path: Path, n_head: int, n_head_kv: int) -> dict[str, Any]:
    """A GGUF LoRA adapter back as PEFT tensor names → numpy arrays (to train it further)."""
    import gguf
    import numpy as np

    names = {v: k for k, v in _MODULES.items()}
    pattern = re.compile(r"blk\.(\d+)\.(\w+)\.weight\.lora_([ab])$")
    try:
        reader = gguf.GGUFReader(str(path))
    except (ValueError, OSError) as exc:
        raise DataError(f"{path.name} is not a GGUF file ({exc})") from None
    state: dict[str, Any] = {}
    for tensor in reader.tensors:
        match = pattern.match(tensor.name)
        if match is None or match.group(2) not in names:
            continue
        layer, base, which = match.groups()
        # GGUF lists dimensions innermost first: shape (in, r) holds a (r, in) array
        array = np.array(tensor.data, dtype=np.float32).reshape(tuple(reversed(tensor.shape)))
        if which == "b" and base == "attn_q":
            array = unpermute_rows(array, n_head)
        elif which == "b" and base == "attn_k":
            array = unpermute_rows(array, n_head_kv)
        key = f"base_model.model.model.layers.{layer}.{names[base]}.lora_{which.upper()}.weight"
        state[key] = array
    if not state:
        raise DataError(f"{path.name} holds no LoRA tensors")
    return state


def read_adapter_info(path: Path) -> dict[str, Any]:
    """Type, alpha, tensor count and rank of a GGUF adapter (for listings and checks)."""
    import gguf

    try:
        reader = gguf.GGUFReader(str(path))
    except (ValueError, OSError) as exc:
        raise DataError(f"{path.name} is not a GGUF file ({exc})") from None

    def field(name: str) -> Any:
        found = reader.fields.get(name)
        if found is None:
            return None
        value = found.parts[found.data[0]]
        if found.types and found.types[0] == gguf.GGUFValueType.STRING:
            return bytes(value).decode("utf-8")
        return value.tolist()[0] if hasattr(value, "tolist") else value

    rank = 0
    for tensor in reader.tensors:
        if tensor.name.endswith(".lora_a"):
            rank = int(min(tensor.shape))
            break
    return {
        "type": field("general.type"),
        "adapter_type": field("adapter.type"),
        "alpha": field("adapter.lora.alpha"),
        "tensors": len(reader.tensors),
        "rank": rank,
    }
