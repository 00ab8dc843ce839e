"""Stop a reply that has fallen into a loop.

Small models, greedy decoding especially, often end an answer by writing the same
paragraph again and again until the token limit: seconds of generation that add nothing.
``LoopGuard`` watches the lines of a streamed reply and reports a loop once the same block
of lines (at least ``min_chars`` long) has been written three times in a row; ``kept``
is the reply with the repeats removed.
"""

from __future__ import annotations


class LoopGuard:
    def __init__(self, min_chars: int = 30, repeats: int = 3):
        self.min_chars = min_chars
        self.repeats = repeats
        self.text = ""
        self._cut: int | None = None  # lines to keep, once a loop is found

    def feed(self, piece: str) -> bool:
        """Add a piece of the reply; True once the reply is looping."""
        self.text += piece
        if self._cut is None and "\n" in piece:
            self._cut = self._find_loop()
        return self._cut is not None

    def _find_loop(self) -> int | None:
        lines = [line.strip() for line in self.text.split("\n")[:-1]]  # complete lines only
        while lines and not lines[-1]:
            lines.pop()
        n = self.repeats
        for period in range(1, len(lines) // n + 1):
            block = lines[len(lines) - period :]
            if sum(len(line) for line in block) < self.min_chars:
                continue
            if all(
                lines[len(lines) - (i + 1) * period : len(lines) - i * period] == block
                for i in range(1, n)
            ):
                return len(lines) - (n - 1) * period
        return None

    def kept(self) -> str:
        """The reply without its repeats (all of it when there was no loop)."""
        if self._cut is None:
            return self.text.strip()
        return "\n".join(self.text.split("\n")[: self._cut]).strip()
