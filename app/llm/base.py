"""The small model interface every backend implements.

``Model.generate(messages, constraint=...)`` returns a ``Generation``: an iterator of text
pieces that, once drained, knows its full text and its ``Usage`` (tokens and seconds).
Backends declare what they can constrain (``supports_grammar``, ``supports_json_schema``);
the agent falls back to parse-and-retry where they cannot.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": str}


@dataclass(frozen=True)
class Grammar:
    """A llama.cpp GBNF grammar."""

    text: str


@dataclass(frozen=True)
class JsonSchema:
    """Output must be one JSON value valid against ``schema``."""

    schema: dict[str, Any]


Constraint = Grammar | JsonSchema


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    first_token_seconds: float | None = None

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.seconds += other.seconds
        if self.first_token_seconds is None:
            self.first_token_seconds = other.first_token_seconds

    def to_dict(self) -> dict[str, float]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "seconds": round(self.seconds, 4),
        }


@dataclass
class Generation:
    """Text pieces as the model writes them; ``text``/``usage`` are complete once drained.

    Stopping early (``close()``, or leaving a ``for`` loop and dropping it) stops the
    backend between tokens.
    """

    pieces: Iterator[str]
    usage: Usage = field(default_factory=Usage)
    _parts: list[str] = field(default_factory=list)
    _done: bool = False

    def __iter__(self) -> Iterator[str]:
        if self._done:
            return
        start = time.perf_counter()
        try:
            for piece in self.pieces:
                if self.usage.first_token_seconds is None:
                    self.usage.first_token_seconds = time.perf_counter() - start
                self._parts.append(piece)
                yield piece
        finally:
            self._done = True
            self.close()

    @property
    def text(self) -> str:
        """The whole reply (generating the rest first)."""
        for _ in self:
            pass
        return self.received

    @property
    def received(self) -> str:
        """What has been generated so far."""
        return "".join(self._parts)

    def close(self) -> None:
        close = getattr(self.pieces, "close", None)
        if close is not None:
            close()


class Model(ABC):
    """A loaded model. Calls are serialised by ``lock``: backends are not re-entrant."""

    id: str = "model"
    supports_grammar: bool = False
    supports_json_schema: bool = False
    adapter: str | None = None  # the LoRA adapter this model runs with, if any

    def __init__(self) -> None:
        self.lock = threading.RLock()

    @abstractmethod
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
        """Start generating a reply to ``messages``."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to free
        """Free what the model holds (weights, connections)."""

    def without_adapter(self) -> Model:
        """The plain model under any LoRA adapter (the ``llm`` tool asks it directly)."""
        return self


class StreamingModel(Model):
    """A backend whose reply is one generator: ``_stream`` writes the pieces and fills usage."""

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
        usage = Usage()
        return Generation(
            self._stream(messages, constraint, max_tokens, temperature, stop, cancel, usage),
            usage,
        )

    @abstractmethod
    def _stream(
        self,
        messages: list[Message],
        constraint: Constraint | None,
        max_tokens: int,
        temperature: float,
        stop: tuple[str, ...],
        cancel: threading.Event | None,
        usage: Usage,
    ) -> Iterator[str]:
        """Yield the reply's pieces (holding ``self.lock``), accounting into ``usage``."""
