"""Declaring a function family: parameters, templates, checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .samplers import Sampler, spoken

# ---------------------------------------------------------------------------- family specs


@dataclass(frozen=True)
class Param:
    """One argument of a family's function: its schema, how values are drawn and said."""

    key: str  # the slot name in the family's templates
    type: str
    description: str
    sample: Sampler
    names: tuple[str, ...]  # synonyms; one naming style is picked per tool variant
    required: bool = True
    default: Any = None
    enum: tuple[str, ...] = ()
    items: str = ""  # the item type of an array
    present: float = 1.0  # how often an optional parameter exists at all in a variant


def req(key: str, type_: str, description: str, sample: Sampler, *names: str) -> Param:
    """A required parameter; ``type_`` is a JSON type, "array:<item type>" for lists."""
    kind, _, items = type_.partition(":")
    return Param(key, kind, description, sample, names or (key,), items=items)


def opt(
    key: str, type_: str, description: str, sample: Sampler, *names: str,
    default: Any = None, present: float = 1.0,
) -> Param:
    """An optional parameter; it is in the arguments only when the request mentions it."""
    base = req(key, type_, description, sample, *names)
    return replace(base, required=False, default=default, present=present)


def enum(
    key: str, description: str, options: Mapping[str, Sequence[str]], *names: str,
    required: bool = True, default: str | None = None, present: float = 1.0,
) -> Param:
    """A string enum; the request may say a value naturally ("in Fahrenheit")."""
    sample = spoken(options)
    return Param(
        key, "string", description, sample, names or (key,), required, default,
        tuple(options), "", present,
    )


@dataclass(frozen=True)
class Family:
    """One kind of function with its naming variants and the requests that call it."""

    names: tuple[str, ...]
    descriptions: tuple[str, ...]
    params: tuple[Param, ...]
    plans: tuple[str, ...]
    train: tuple[str, ...]
    eval: tuple[str, ...]
    check: Callable[[dict[str, Any]], bool] | None = None  # values that make sense together

    def templates(self, split: str) -> tuple[str, ...]:
        return self.eval if split == "eval" else self.train


def fam(
    names: str, descriptions: str, params: Sequence[Param], plans: str, train: str, eval_: str,
    check: Callable[[dict[str, Any]], bool] | None = None,
) -> Family:
    """A family from compact text: names split on spaces, alternatives on " | ", one
    template per line."""

    def lines(block: str) -> tuple[str, ...]:
        return tuple(line.strip() for line in block.strip().splitlines() if line.strip())

    return Family(
        tuple(names.split()), tuple(descriptions.split(" | ")), tuple(params),
        tuple(plans.split(" | ")), lines(train), lines(eval_), check,
    )


def _differ(a: str, b: str) -> Callable[[dict[str, Any]], bool]:
    return lambda values: a not in values or b not in values or values[a] != values[b]


def _less(a: str, b: str) -> Callable[[dict[str, Any]], bool]:
    return lambda values: a not in values or b not in values or values[a] < values[b]
