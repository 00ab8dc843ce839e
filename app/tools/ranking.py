"""Which tools a small planner gets to see when there are many (MCP servers add dozens).

Up to ``LIMIT`` tools the registry is used as it is, so the planner and caller prompts stay
byte-for-byte those the shipped adapters were trained on. Beyond it, the run sees the
pinned tools (the built-ins the adapters know), every tool the task names, and the best
of the rest by BM25 over each tool's name and description, up to ``LIMIT`` in all (named
tools may take it past). The registry's order is kept.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Collection

from app.tools.registry import Tool, ToolRegistry

LIMIT = 12
K1, B = 1.2, 0.75
_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# words that say nothing about which tool a task needs
_STOP = frozenset(
    "a an and are as at be by do for from get give i in is it me my of on or please show "
    "tell that the this to what which with you your".split()
)


@functools.cache
def builtin_names() -> frozenset[str]:
    """The built-in tools' names: the tools the shipped adapters were trained on."""
    from app.tools.builtin import builtin_tools

    return frozenset(builtin_tools().names)


def words(text: str) -> list[str]:
    """Lower-case words of ``text``; names split at ``_`` and camelCase; crude plurals cut."""
    out = []
    for word in _WORD.findall(_CAMEL.sub(" ", text).replace("_", " ").lower()):
        if word in _STOP:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


def named(tool: Tool, task: str) -> bool:
    """Whether ``task`` names ``tool`` (``notes__add_note``, or just ``add_note``)."""
    lowered = task.lower()
    short = tool.name.rsplit("__", 1)[-1].lower()
    return tool.name.lower() in lowered or ("_" in short and short in lowered)


def bm25(tools: list[Tool], query: str) -> dict[str, float]:
    """BM25 score of each tool's name + description against ``query``."""
    docs = {t.name: words(f"{t.name} {t.name} {t.description}") for t in tools}
    if not docs:
        return {}
    mean = sum(len(d) for d in docs.values()) / len(docs)
    frequency = Counter(w for d in docs.values() for w in set(d))
    terms = set(words(query))
    scores = {}
    for name, doc in docs.items():
        counts = Counter(doc)
        score = 0.0
        for term in terms:
            tf = counts.get(term, 0)
            if not tf:
                continue
            idf = math.log(1 + (len(docs) - frequency[term] + 0.5) / (frequency[term] + 0.5))
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(doc) / (mean or 1)))
        scores[name] = score
    return scores


def relevant_tools(
    tools: ToolRegistry, task: str, pinned: Collection[str] = (), limit: int | None = None
) -> ToolRegistry:
    """The tools a run of ``task`` offers its planner: all of them up to ``limit``
    (``LIMIT`` when None, read at each call so a benchmark can turn ranking off)."""
    limit = LIMIT if limit is None else limit
    if len(tools) <= limit:
        return tools
    everything = list(tools)
    keep = {t.name for t in everything if t.name in pinned or named(t, task)}
    scores = bm25([t for t in everything if t.name not in keep], task)
    for name in sorted(scores, key=lambda n: -scores[n]):
        if len(keep) >= limit or scores[name] <= 0:
            break
        keep.add(name)
    return ToolRegistry(t for t in everything if t.name in keep)
