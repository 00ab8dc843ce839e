"""replay:PATH — a JSON array of strings, one per model call, in order.

Makes unit tests and demos reproducible: the same script gives the same run. It cannot
constrain its output, so the agent takes its parse-and-retry path with it.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

from app.errors import ModelError
from app.llm.base import Constraint, Generation, Message, Model, Usage

_PIECE = re.compile(r"\S+\s*|\s+")


class ReplayModel(Model):
    def __init__(self, path: str | Path):
        super().__init__()
        self.path = Path(path)
        self.id = f"replay:{self.path.name}"
        try:
            script = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelError(f"replay script not found: {self.path}") from None
        except (OSError, ValueError) as exc:
            raise ModelError(f"replay script {self.path} cannot be read: {exc}") from None
        if not isinstance(script, list) or not all(isinstance(s, str) for s in script):
            raise ModelError(f"replay script {self.path} must be a JSON array of strings")
        self._script: list[str] = script
        self._next = 0
        self._counter_lock = threading.Lock()

    @property
    def calls(self) -> int:
        return self._next

    def generate(
        self,
        messages: list[Message],
        *,
        constraint: Constraint | None = None,
        max_tokens: int = 512,
        temperature: float = 0.0,
        stop: tuple[str, ...] = (),
        cancel: threading.Event | None = None,
    ) -> Generation:
        with self._counter_lock:
            index = self._next
            if index >= len(self._script):
                raise ModelError(
                    f"replay script {self.path.name} has no answer left for call {index + 1} "
                    f"(it holds {len(self._script)})"
                )
            self._next += 1
        text = self._script[index]
        usage = Usage(prompt_tokens=sum(len(m["content"]) for m in messages) // 4)
        return Generation(self._pieces(text, usage, max_tokens, cancel), usage)

    @staticmethod
    def _pieces(
        text: str, usage: Usage, max_tokens: int, cancel: threading.Event | None
    ) -> Iterator[str]:
        """Word-sized pieces, stopping at ``max_tokens`` as a real model would."""
        for match in _PIECE.finditer(text):
            if (cancel is not None and cancel.is_set()) or usage.completion_tokens >= max_tokens:
                return
            usage.completion_tokens += 1
            yield match.group(0)
