"""Just enough of the GGUF format to check a file and read its metadata without loading it.

Imports check the magic before copying; the hardware fit reads the layer count and the
attention shape to size the KV cache and to suggest ``n_gpu_layers``. The header is read
with plain ``struct`` calls, so no model library is needed (and nothing is mapped).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO

MAGIC = b"GGUF"

_SCALARS = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i",
    6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d",
}  # fmt: skip
_STRING, _ARRAY = 8, 9


class GGUFError(ValueError):
    """The file is not GGUF, or its header is damaged."""


def is_gguf(path: str | Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == MAGIC
    except OSError:
        return False


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The header's key/value metadata; arrays (the vocabulary) are skipped, not kept."""
    with open(path, "rb") as handle:
        if handle.read(4) != MAGIC:
            raise GGUFError(f"{Path(path).name} is not a GGUF file")
        (version,) = _read(handle, "<I")
        if version < 2:
            raise GGUFError(f"{Path(path).name} uses GGUF version {version}, which is too old")
        _read(handle, "<Q")  # tensor count
        (count,) = _read(handle, "<Q")
        metadata: dict[str, Any] = {}
        for _ in range(count):
            key = _string(handle)
            (kind,) = _read(handle, "<I")
            metadata[key] = _value(handle, kind)
        return metadata


def model_shape(metadata: dict[str, Any]) -> dict[str, int]:
    """Layers, context length and the KV width of a model, where its metadata says them."""
    arch = metadata.get("general.architecture", "")
    shape: dict[str, int] = {}
    for name, key in (
        ("layers", "block_count"),
        ("context_length", "context_length"),
        ("embedding", "embedding_length"),
        ("heads", "attention.head_count"),
        ("kv_heads", "attention.head_count_kv"),
    ):
        value = metadata.get(f"{arch}.{key}")
        if isinstance(value, int) and not isinstance(value, bool):
            shape[name] = value
    return shape


def _read(handle: BinaryIO, fmt: str) -> tuple[Any, ...]:
    size = struct.calcsize(fmt)
    data = handle.read(size)
    if len(data) != size:
        raise GGUFError("the GGUF header ends early (the file is truncated or damaged)")
    return struct.unpack(fmt, data)


def _string(handle: BinaryIO) -> str:
    (length,) = _read(handle, "<Q")
    if length > 1 << 24:
        raise GGUFError("the GGUF header has an implausible string length")
    data = handle.read(length)
    if len(data) != length:
        raise GGUFError("the GGUF header ends early (the file is truncated or damaged)")
    return data.decode("utf-8", errors="replace")


def _value(handle: BinaryIO, kind: int) -> Any:
    if kind in _SCALARS:
        return _read(handle, _SCALARS[kind])[0]
    if kind == _STRING:
        return _string(handle)
    if kind == _ARRAY:
        (item_kind,) = _read(handle, "<I")
        (count,) = _read(handle, "<Q")
        if item_kind in _SCALARS:
            handle.seek(struct.calcsize(_SCALARS[item_kind]) * count, 1)
        else:
            for _ in range(count):
                _value(handle, item_kind)
        return None
    raise GGUFError(f"the GGUF header has an unknown value type {kind}")
