"""How a statement's result is written for the model: a bounded Markdown table.

The bounds are a ``Limits`` passed in by the caller (tests pass small ones), never module
globals to swap.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from app.errors import NeedsApproval
from app.text import elide, one_line


@dataclass(frozen=True)
class Limits:
    """How long a statement may run and how much of its result is shown."""

    query_seconds: float = 20.0  # the engine stops a statement after this long
    connect_seconds: int = 5
    row_cap: int = 50
    byte_cap: int = 8000
    cell_cap: int = 200
    count_cap: int = 100_000  # rows beyond the shown ones that are counted before giving up


LIMITS = Limits()


def result_table(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], limits: Limits = LIMITS
) -> str:
    """A Markdown table of at most ``row_cap`` rows and about ``byte_cap`` bytes, and a count
    line.

    Rows past the caps are counted (up to ``count_cap``) so the reader knows what is missing.
    """
    lines = [_table_line(columns, limits.cell_cap), "|" + "---|" * len(columns)]
    size = sum(len(line.encode()) + 1 for line in lines)
    shown = 0
    iterator = iter(rows)
    for row in iterator:
        line = _table_line(row, limits.cell_cap)
        if shown >= limits.row_cap or size + len(line.encode()) + 1 > limits.byte_cap:
            more = _count(itertools.chain([row], iterator), limits.count_cap)
            lines.append(_more_note(more, shown, limits.count_cap))
            return "\n".join(lines)
        lines.append(line)
        size += len(line.encode()) + 1
        shown += 1
    lines.append(f"({shown:,} row{'s' if shown != 1 else ''})")
    return "\n".join(lines)


def affected_text(count: int) -> str:
    count = max(count, 0)
    return f"{count:,} row{'s' if count != 1 else ''} affected"


def _count(rows: Iterator[Any], cap: int) -> int | None:
    """How many ``rows`` there are, or None past ``cap`` (counting has a price)."""
    seen = 0
    for _ in rows:
        seen += 1
        if seen > cap:
            return None
    return seen


def _more_note(more: int | None, shown: int, cap: int) -> str:
    amount = f"more than {cap:,}" if more is None else f"{more:,}"
    return f"… {amount} more row{'s' if more != 1 else ''} not shown ({shown:,} shown)"


def _table_line(values: Sequence[Any], cell_cap: int) -> str:
    return "| " + " | ".join(_cell(value, cell_cap) for value in values) + " |"


def _cell(value: Any, cap: int) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value)):,} bytes>"
    return elide(one_line(value).replace("|", "\\|"), cap)


def refused(name: str, detail: str) -> NeedsApproval:
    """The engine refused a write: ask the person, saying what the engine said."""
    return NeedsApproval(f"this SQL would change the database '{name}': {one_line(detail)}")
