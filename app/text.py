"""Shortening text for one line of a tree, a table cell, an error message or a notification:
the one copy of these helpers. Each takes its limit as an argument."""

from __future__ import annotations

import html
import re

ELLIPSIS = "…"
_TAG = re.compile(r"<[^>]+>")


def one_line(text: object) -> str:
    """``text`` with every run of white space (line breaks too) made one space."""
    return " ".join(str(text).split())


def elide(text: object, limit: int) -> str:
    """One line of at most ``limit`` characters, cut anywhere and marked with an ellipsis."""
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1] + ELLIPSIS


def clip(text: object, limit: int) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary, marked with an
    ellipsis: for snippets a person reads."""
    line = one_line(text)
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + ELLIPSIS


def truncate(text: str, limit: int) -> str:
    """``text`` as it is (line breaks kept) when short enough, else its first ``limit`` - 1
    characters and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def plain_text(markup: str) -> str:
    """Text of an HTML fragment (search highlights, snippets): tags gone, entities decoded."""
    return one_line(html.unescape(_TAG.sub("", markup)))

