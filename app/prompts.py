"""Prompt templates: plain text files with named ``{placeholders}``.

Templates ship in ``app/prompts/``; a file of the same name in the config directory's
``prompts/`` folder overrides the shipped one. An override that lacks a placeholder the
shipped template uses is a clear error rather than a silently worse prompt.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from app.errors import SettingsError
from app.paths import Paths

SHIPPED = Path(__file__).with_name("prompts")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str
    source: Path

    def render(self, **values: object) -> str:
        missing = placeholders(self.text) - values.keys()
        if missing:
            raise SettingsError(
                f"prompt {self.name} needs values for: {', '.join(sorted(missing))}"
            )
        return self.text.format(**values)


class Prompts:
    def __init__(self, paths: Paths | None = None):
        self.paths = paths or Paths.from_env()
        self._cache: dict[str, Prompt] = {}

    def names(self) -> list[str]:
        return sorted(p.stem for p in SHIPPED.glob("*.txt"))

    def get(self, name: str) -> Prompt:
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def _load(self, name: str) -> Prompt:
        shipped = SHIPPED / f"{name}.txt"
        if not shipped.is_file():
            raise SettingsError(f"no prompt template named {name}")
        base = shipped.read_text(encoding="utf-8")
        override = self.paths.prompts_dir / f"{name}.txt"
        if override.is_file():
            try:
                text = override.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise SettingsError(f"prompt override {override} cannot be read: {exc}") from None
            try:
                missing = placeholders(base) - placeholders(text)
            except ValueError as exc:
                raise SettingsError(f"prompt override {override} is malformed: {exc}") from None
            if missing:
                raise SettingsError(
                    f"prompt override {override} lacks placeholder(s) "
                    + ", ".join("{" + m + "}" for m in sorted(missing))
                )
            return Prompt(name, text, override)
        return Prompt(name, base, shipped)
