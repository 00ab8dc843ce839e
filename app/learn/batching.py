"""Examples → token ids with the prompt loss mask, and batches that share a prompt prefix.

The loss mask: every prompt token's label is ``IGNORE`` (-100); the reply and the end-of-turn
token keep theirs. Batches group examples with the same system prompt, so the trainer can run
their common prefix once (``shared_prefix`` never reaches a position that predicts a reply).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.learn.examples import Example

IGNORE = -100


@dataclass(frozen=True)
class Encoded:
    ids: list[int]
    labels: list[int]
    group: str  # examples of one group share their system prompt


def encode(examples: Sequence[Example], tokenizer: Any, max_len: int) -> list[Encoded]:
    """Token ids and masked labels: -100 on the prompt; the reply and end-of-turn count."""
    encoded = []
    for example in examples:
        prompt, _ = tokenizer.tokenize_messages(example.messages)
        reply = tokenizer.tokenize_text(example.response) + [tokenizer.eos]
        ids = prompt + reply
        if len(ids) > max_len:
            continue  # too long to learn from in this run; counted by the caller
        labels = [IGNORE] * len(prompt) + reply
        encoded.append(Encoded(ids, labels, example.messages[0]["content"]))
    return encoded


def batches(items: Sequence[Encoded], size: int, rng: random.Random) -> list[list[Encoded]]:
    """Batches of examples with the same system prompt (shared prefix), in random order."""
    groups: dict[str, list[Encoded]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    out: list[list[Encoded]] = []
    leftovers: list[Encoded] = []
    for members in groups.values():
        rng.shuffle(members)
        whole = len(members) - len(members) % size
        out += [members[i : i + size] for i in range(0, whole, size)]
        leftovers += members[whole:]
    leftovers.sort(key=lambda e: e.group)
    out += [leftovers[i : i + size] for i in range(0, len(leftovers), size)]
    rng.shuffle(out)
    return out


def shared_prefix(batch: Sequence[Encoded]) -> int:
    """Tokens every example of ``batch`` starts with, all of them prompt (masked) tokens."""
    first = batch[0].ids
    n = len(first)
    for item in batch[1:]:
        limit = min(n, len(item.ids))
        k = 0
        while k < limit and item.ids[k] == first[k]:
            k += 1
        n = k
    for item in batch:  # keep at least one prompt token after the prefix: it predicts reply[0]
        first_label = next(i for i, label in enumerate(item.labels) if label != IGNORE)
        n = min(n, first_label - 1)
    return max(n, 0)
