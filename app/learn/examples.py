"""One training example: the messages the product sends to a role, and the reply it wants.

Stored as JSONL, one object per line::

    {"role": "planner", "messages": [{"role": "system", "content": ...}, ...],
     "response": "Plan: ...\\n#E1 = tool[input]\\n", "source": "synthetic"}

``messages`` are exactly what the agent sends at inference (built by
``app.agents.rewoo_messages``), so training and use match; the loss is taken on
``response`` and the end-of-turn token only (the prompt loss mask).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import SmartAgentError
from app.llm.base import Message

ROLES = ("planner", "caller", "solver")
_MESSAGE_ROLES = ("system", "user", "assistant")


class DataError(SmartAgentError):
    """A training data file is missing, empty or not in the expected format."""


@dataclass(frozen=True)
class Example:
    role: str  # "planner" | "caller" | "solver"
    messages: list[Message]
    response: str
    source: str = "synthetic"  # "synthetic" | "history" | a file name
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "role": self.role,
            "messages": self.messages,
            "response": self.response,
            "source": self.source,
        }
        if self.meta:
            data["meta"] = self.meta
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str = "") -> Example:
        """Checked conversion; ``DataError`` naming ``where`` for anything malformed."""
        at = f" ({where})" if where else ""
        if not isinstance(data, dict):
            raise DataError(f"a training example must be a JSON object{at}")
        role = data.get("role")
        if role not in ROLES:
            raise DataError(f"unknown role {role!r}{at}; expected one of {', '.join(ROLES)}")
        messages = data.get("messages")
        if not isinstance(messages, list) or not messages:
            raise DataError(f"'messages' must be a non-empty list{at}")
        for message in messages:
            if (
                not isinstance(message, dict)
                or message.get("role") not in _MESSAGE_ROLES
                or not isinstance(message.get("content"), str)
            ):
                raise DataError(f"each message needs a role and a text content{at}")
        response = data.get("response")
        if not isinstance(response, str) or not response.strip():
            raise DataError(f"'response' must be a non-empty text{at}")
        meta = data.get("meta") or {}
        return cls(
            role=str(role),
            messages=[{"role": m["role"], "content": m["content"]} for m in messages],
            response=response,
            source=str(data.get("source") or "file"),
            meta=meta if isinstance(meta, dict) else {},
        )


def write_jsonl(examples: Iterable[Example], path: Path) -> int:
    """Write ``examples`` to ``path`` (atomically); returns how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".part")
    count = 0
    with temp.open("w", encoding="utf-8") as out:
        for example in examples:
            out.write(json.dumps(example.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    temp.replace(path)
    return count


def read_jsonl(path: Path, role: str | None = None) -> list[Example]:
    """Every example in ``path``; ``DataError`` for a missing, empty or corrupt file."""
    return list(iter_jsonl(path, role))


def iter_jsonl(path: Path, role: str | None = None) -> Iterator[Example]:
    if not path.is_file():
        raise DataError(f"training data file not found: {path}")
    count = 0
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(
                        f"{path.name} line {number} is not valid JSON ({exc.msg})"
                    ) from None
                example = Example.from_dict(data, f"{path.name} line {number}")
                if role is not None and example.role != role:
                    raise DataError(
                        f"{path.name} line {number} is a {example.role} example, not {role}"
                    )
                count += 1
                yield example
    except UnicodeDecodeError:
        raise DataError(f"{path.name} is not a UTF-8 text file") from None
    if count == 0:
        raise DataError(f"{path.name} holds no training examples")
