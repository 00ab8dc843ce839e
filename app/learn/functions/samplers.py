"""Value samplers: a parameter's value and how a person would say it."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

SPLITS = ("train", "eval")
PRODUCT_SHARE = 0.25  # share of cases that call one of the product's own tools
MENTION = 0.5  # chance that a template's optional segment is said
Sampler = Callable[[random.Random, str], tuple[Any, str]]  # (value, how the request says it)


# ---------------------------------------------------------------------------- value samplers

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve".split()
)


def say_int(value: int, rng: random.Random) -> str:
    """An integer as a request says it: mostly digits, small ones now and then in words."""
    if 0 <= value <= 12 and rng.random() < 0.15:
        return _NUMBER_WORDS[value]
    if abs(value) >= 10_000 and rng.random() < 0.3:
        return f"{value:,}"
    return str(value)


def held_out(pool: Sequence[Any], split: str) -> Sequence[Any]:
    """Every fifth item of a pool is kept for eval; pools under five items are shared."""
    if len(pool) < 5:
        return pool
    return [item for i, item in enumerate(pool) if (i % 5 == 4) == (split == "eval")]


def integer(lo: int, hi: int, *, plain: bool = False) -> Sampler:
    """Integers in [lo, hi]; ``plain`` for ids and years, which are never words or commas."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = rng.randint(lo, hi)
        return value, str(value) if plain else say_int(value, rng)

    return sample


def decimal(lo: float, hi: float, places: int = 2, *, whole: float = 0.3) -> Sampler:
    """Numbers in [lo, hi] with up to ``places`` decimals; ``whole`` of them integers."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        if rng.random() < whole and math.ceil(lo) <= math.floor(hi):
            value = rng.randint(math.ceil(lo), math.floor(hi))
            return value, say_int(value, rng)
        number = round(rng.uniform(lo, hi), places) + 0.0
        if number == int(number):
            return int(number), str(int(number))
        shown = f"{number:,.{places}f}" if abs(number) >= 10_000 and rng.random() < 0.3 else (
            f"{number:.{places}f}"
        )
        if rng.random() < 0.5 or "." not in shown:
            return number, shown
        return number, shown.rstrip("0").rstrip(".")

    return sample


def choose(values: Sequence[Any]) -> Sampler:
    """One of a few fixed numbers (dice sides, gravities), said as digits."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = rng.choice(values)
        return value, f"{value:f}".rstrip("0").rstrip(".") if isinstance(value, float) else (
            str(value)
        )

    return sample


def spoken(mapping: Mapping[Any, Sequence[str]]) -> Sampler:
    """A value said in words of its own ("monthly" is 12 compoundings a year)."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = rng.choice(list(mapping))
        return value, rng.choice(mapping[value])

    return sample


def text(pool: Sequence[str], *, shared: bool = False) -> Sampler:
    """A string from ``pool``, copied verbatim; ``shared`` pools are not split (planets)."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = rng.choice(pool if shared else held_out(pool, split))
        return value, value

    return sample


def flag(yes: Sequence[str], no: Sequence[str] = (), *, p_yes: float = 0.7) -> Sampler:
    """A boolean said as a phrase ("with the lyrics"); without ``no`` phrases always true."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        if not no or rng.random() < p_yes:
            return True, rng.choice(yes)
        return False, rng.choice(no)

    return sample


def _join(rng: random.Random, shown: list[str], brackets: bool = False) -> str:
    style = rng.randrange(4 if brackets else 3)
    if len(shown) == 1:
        return f"[{shown[0]}]" if style == 3 else shown[0]
    if style == 0 or (style == 2 and len(shown) == 2):
        return ", ".join(shown[:-1]) + " and " + shown[-1]
    if style == 1:
        return ", ".join(shown)
    if style == 2:
        return ", ".join(shown[:-1]) + ", and " + shown[-1]
    return "[" + ", ".join(shown) + "]"


def number_list(lo: float, hi: float, places: int = 0, size: tuple[int, int] = (3, 7)) -> Sampler:
    """A list of numbers as the request lists them ("4, 8.5 and 15")."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        count = rng.randint(*size)
        if places == 0:
            values: list[Any] = [rng.randint(int(lo), int(hi)) for _ in range(count)]
        else:
            values = [round(rng.uniform(lo, hi), places) for _ in range(count)]
            values = [int(v) if v == int(v) else v for v in values]
        return values, _join(rng, [str(v) for v in values], brackets=True)

    return sample


def text_list(pool: Sequence[str], size: tuple[int, int] = (2, 4)) -> Sampler:
    """Distinct strings from ``pool``, listed with commas and "and"."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        items = held_out(pool, split)
        values = rng.sample(list(items), min(rng.randint(*size), len(items)))
        return values, _join(rng, values)

    return sample


_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_RELATIVE_DAYS = (
    "tomorrow", "next Friday", "this Saturday", "Monday", "the day after tomorrow", "next Tuesday",
)


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def iso_date(first: int = 2023, last: int = 2027) -> Sampler:
    """A date written YYYY-MM-DD, for parameters whose description asks for that form."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = f"{rng.randint(first, last)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return value, value

    return sample


def spoken_date() -> Sampler:
    """A date as people write it ("March 3rd", "14 July 2025", "next Friday"); copied as is."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        if rng.random() < 0.15:
            value = rng.choice(_RELATIVE_DAYS)
            return value, value
        year, month, day = rng.randint(2024, 2026), rng.randint(1, 12), rng.randint(1, 28)
        name = _MONTHS[month - 1]
        value = rng.choice((
            f"{year}-{month:02d}-{day:02d}", f"{name} {day}", f"{day} {name} {year}",
            f"{name} {day}, {year}", f"{name} {day}{_ordinal(day)}",
        ))
        return value, value

    return sample


def clock_time() -> Sampler:
    """A time of day in one of the usual forms ("14:30", "7 PM", "6:45 am")."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        hour, minute = rng.randint(0, 23), rng.choice((0, 0, 15, 30, 45, rng.randint(1, 59)))
        twelve = hour % 12 or 12
        value = rng.choice((
            f"{hour}:{minute:02d}", f"{hour:02d}:{minute:02d}",
            f"{twelve}:{minute:02d} {'PM' if hour >= 12 else 'AM'}",
            f"{twelve} {'pm' if hour >= 12 else 'am'}" if minute == 0 else f"{hour}:{minute:02d}",
        ))
        return value, value

    return sample


def code(prefix: str, digits: int) -> Sampler:
    """An identifier such as ORD-482913, copied exactly."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = prefix + "".join(rng.choice("0123456789") for _ in range(digits))
        return value, value

    return sample


def dna(lo: int, hi: int) -> Sampler:
    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = "".join(rng.choice("ACGT") for _ in range(rng.randint(lo, hi)))
        return value, value

    return sample
