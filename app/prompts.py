"""Prompt templates: plain text files with named ``{placeholders}``.

Templates ship in ``app/prompts/``; a file of the same name in the config directory's
``prompts/`` folder overrides the shipped one. An override that lacks a placeholder the
shipped template uses, or uses one the code does not fill, is a clear error rather than a
silently worse prompt (or a failure halfway through a run). ``Prompts.listing`` tells a
person which templates exist, what each needs and where it comes from.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class PromptInfo:
    """One line of ``smart-agent prompts``: a template, its placeholders, its source."""

    name: str
    placeholders: tuple[str, ...]
    source: str  # "package" | "override" | "unused" (an override no template has)
    path: Path
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "placeholders": list(self.placeholders),
            "source": self.source,
            "path": str(self.path),
            "error": self.error,
        }


class Prompts:
    def __init__(self, paths: Paths | None = None):
        self.paths = paths or Paths.from_env()
        self._cache: dict[str, Prompt] = {}

    def names(self) -> list[str]:
        return sorted(p.stem for p in SHIPPED.glob("*.txt"))

    def listing(self) -> list[PromptInfo]:
        """Every template and where it comes from; broken overrides are reported, not raised."""
        infos = []
        for name in self.names():
            shipped = SHIPPED / f"{name}.txt"
            try:
                prompt = self.get(name)
            except SettingsError as exc:
                base = shipped.read_text(encoding="utf-8")
                override = self.paths.prompts_dir / f"{name}.txt"
                infos.append(
                    PromptInfo(
                        name, tuple(sorted(placeholders(base))), "override", override, str(exc)
                    )
                )
                continue
            source = "package" if prompt.source == shipped else "override"
            infos.append(
                PromptInfo(name, tuple(sorted(placeholders(prompt.text))), source, prompt.source)
            )
        known = set(self.names())
        folder = self.paths.prompts_dir
        for extra in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            if extra.stem not in known:
                infos.append(
                    PromptInfo(
                        extra.stem,
                        (),
                        "unused",
                        extra,
                        "no shipped template has this name, so nothing reads this file",
                    )
                )
        return infos

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
                wanted, found = placeholders(base), placeholders(text)
            except ValueError as exc:
                raise SettingsError(f"prompt override {override} is malformed: {exc}") from None
            if wanted - found:
                raise SettingsError(
                    f"prompt override {override} lacks placeholder(s) "
                    + ", ".join("{" + m + "}" for m in sorted(wanted - found))
                )
            if found - wanted:
                raise SettingsError(
                    f"prompt override {override} uses placeholder(s) "
                    + ", ".join("{" + m + "}" for m in sorted(found - wanted))
                    + f" that {name} does not fill (it fills: "
                    + (", ".join("{" + m + "}" for m in sorted(wanted)) or "none")
                    + "; write a literal brace as {{ or }})"
                )
            return Prompt(name, text, override)
        return Prompt(name, base, shipped)
