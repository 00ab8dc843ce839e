"""How a plan step's ``#E<k>`` references reach its tool: as text, or as data for code.

Evidence is untrusted: a web page can hold ``'''); import socket …``. Spliced into code it
would close a string literal and run, so code tools never get it spliced:

- ``text`` (most tools, whose input is data already): ``#E1`` is replaced by the evidence.
- ``python``: ``#E1`` becomes the variable ``E1``, which the python tool defines from
  ``ToolContext.evidence``. A literal that holds only the reference (``'''#E1'''``) becomes
  the variable itself; a longer one becomes an f-string around it (``f"Title: {E1}"``).
- ``sql``: ``#E1`` becomes the named parameter ``:E1``, bound by the SQL tool from
  ``ToolContext.evidence``; ``'#E1'`` becomes ``:E1`` and ``'%#E1%'`` becomes
  ``CONCAT('%', :E1, '%')``.

The scanners below only find literals and comments well enough to place names; a wrong
guess can misplace a name, never put evidence text into code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Literal

from app.plan import REFERENCE, substitute

EvidenceAs = Literal["text", "python", "sql"]

_PY_STRING = re.compile(r"(?<![\w.])([rRbBuUfF]{0,2})('''|\"\"\"|'|\")")
_SQL_PARAMETER = re.compile(r":(E\d+)\b")


def tool_input(text: str, evidence: Mapping[str, str], evidence_as: EvidenceAs) -> str:
    """The input a step hands its tool, with references placed as ``evidence_as`` says."""
    if evidence_as == "python":
        return python_input(text)
    if evidence_as == "sql":
        return sql_input(text)
    return substitute(text, evidence)


def _names(text: str, template: str = "E{}") -> str:
    return REFERENCE.sub(lambda m: template.format(m.group(1)), text)


# -- Python -------------------------------------------------------------------------------


def python_input(code: str) -> str:
    """``code`` with each ``#E<k>`` turned into the variable ``E<k>`` (see the module doc)."""
    out: list[str] = []
    i = 0
    while i < len(code):
        reference = REFERENCE.match(code, i)
        string = _PY_STRING.match(code, i)
        if reference:
            out.append(f"E{reference.group(1)}")
            i = reference.end()
        elif code[i] == "#":  # a comment: to the end of the line
            end = code.find("\n", i)
            end = len(code) if end < 0 else end
            out.append(_names(code[i:end]))
            i = end
        elif string:
            prefix, quote = string.group(1), string.group(2)
            end, closed = _string_end(code, string.end(), quote)
            body = code[string.end() : end]
            out.append(_python_literal(prefix, quote, body, closed))
            i = end + (len(quote) if closed else 0)
        else:
            out.append(code[i])
            i += 1
    return "".join(out)


def _string_end(code: str, start: int, quote: str) -> tuple[int, bool]:
    """Where the literal's body ends, and whether a closing quote follows."""
    i = start
    while i < len(code):
        if code[i] == "\\":
            i += 2
            continue
        if code.startswith(quote, i):
            return i, True
        if len(quote) == 1 and code[i] == "\n":
            return i, False
        i += 1
    return len(code), False


def _python_literal(prefix: str, quote: str, body: str, closed: bool) -> str:
    close = quote if closed else ""
    refs = REFERENCE.findall(body)
    if not refs:
        return f"{prefix}{quote}{body}{close}"
    lower = prefix.lower()
    alone = REFERENCE.fullmatch(body.strip())
    if alone and closed:
        name = f"E{alone.group(1)}"
        return f"{name}.encode()" if "b" in lower else name
    if "b" in lower:  # a bytes literal cannot hold a str; the name is inert text here
        return f"{prefix}{quote}{_names(body)}{close}"
    if "f" in lower:
        return f"{prefix}{quote}{_fstring_body(body)}{close}"
    prefix = "f" + prefix.replace("u", "").replace("U", "")
    body = body.replace("{", "{{").replace("}", "}}")
    return f"{prefix}{quote}{_names(body, '{{E{}}}')}{close}"


def _fstring_body(body: str) -> str:
    """An f-string's body: a reference inside ``{…}`` is a name, one in the text a field."""
    out: list[str] = []
    depth = i = 0
    while i < len(body):
        reference = REFERENCE.match(body, i)
        if reference:
            name = f"E{reference.group(1)}"
            out.append(name if depth else "{" + name + "}")
            i = reference.end()
            continue
        if depth == 0 and body.startswith(("{{", "}}"), i):
            out.append(body[i : i + 2])
            i += 2
            continue
        depth += {"{": 1, "}": -1 if depth else 0}.get(body[i], 0)
        out.append(body[i])
        i += 1
    return "".join(out)


# -- SQL ----------------------------------------------------------------------------------


def sql_input(sql: str) -> str:
    """``sql`` with each ``#E<k>`` turned into the bound parameter ``:E<k>``."""
    return _scan_sql(sql, code=lambda text: _names(text, ":E{}"), literal=_sql_literal)


def _sql_literal(literal: str) -> str:
    quote, body = literal[0], literal[1:-1] if len(literal) > 1 else ""
    if not REFERENCE.search(body) or quote == "`":
        return literal
    alone = REFERENCE.fullmatch(body)
    if alone:
        return f":E{alone.group(1)}"
    pieces: list[str] = []
    last = 0
    for match in REFERENCE.finditer(body):
        if match.start() > last:
            pieces.append(f"{quote}{body[last : match.start()]}{quote}")
        pieces.append(f":E{match.group(1)}")
        last = match.end()
    if last < len(body):
        pieces.append(f"{quote}{body[last:]}{quote}")
    return f"CONCAT({', '.join(pieces)})"


def sql_parameters(sql: str) -> list[str]:
    """The ``:E<k>`` parameters the statement uses, outside literals and comments, in order."""
    found: list[str] = []

    def collect(text: str) -> str:
        for name in _SQL_PARAMETER.findall(text):
            if name not in found:
                found.append(name)
        return text

    _scan_sql(sql, code=collect, literal=lambda text: text)
    return found


def pyformat_sql(sql: str) -> str:
    """``sql`` for a pyformat driver (PyMySQL): ``:E1`` as ``%(E1)s``, every other ``%`` doubled."""
    return _scan_sql(
        sql.replace("%", "%%"),
        code=lambda text: _SQL_PARAMETER.sub(r"%(\1)s", text),
        literal=lambda text: text,
    )


def _scan_sql(sql: str, code: Callable[[str], str], literal: Callable[[str], str]) -> str:
    """Rebuild ``sql``, passing code stretches through ``code`` and literals through ``literal``.

    Literals are '…', "…" and `…` (a doubled quote or a backslash escapes); comments
    (``--``, ``/* */``) are kept as they are.
    """
    out: list[str] = []
    i = start = 0
    while i < len(sql):
        char = sql[i]
        if char in "'\"`" or sql.startswith(("--", "/*"), i):
            out.append(code(sql[start:i]))
            if char in "'\"`":
                end = _sql_string_end(sql, i)
                out.append(literal(sql[i:end]))
            else:
                closer = "\n" if sql.startswith("--", i) else "*/"
                found = sql.find(closer, i + 2)
                end = len(sql) if found < 0 else found + len(closer)
                out.append(sql[i:end])
            i = start = end
        else:
            i += 1
    out.append(code(sql[start:]))
    return "".join(out)


def _sql_string_end(sql: str, start: int) -> int:
    quote = sql[start]
    i = start + 1
    while i < len(sql):
        if sql[i] == "\\" and quote != "`":
            i += 2
        elif sql[i] == quote:
            if sql.startswith(quote * 2, i):
                i += 2
            else:
                return i + 1
        else:
            i += 1
    return len(sql)
