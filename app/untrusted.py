"""Showing text that came from a model, a tool or a web page, so it cannot act as it is shown.

Such text may carry terminal control sequences (``ESC[8m`` hides what follows, OSC 52
writes the clipboard, ``\\r`` draws over a line) or bidi overrides that show code in an
order other than the one it runs in. ``visible`` turns every such character into a visible
stand-in, so a sequence cannot even start: ``ESC`` becomes ``␛``, U+202E becomes
``<U+202E>``. ``code_warnings`` names what in a piece of code deserves a second look before
it is approved, and ``readable_arguments`` lays a call's arguments out with real line
breaks instead of JSON's ``\\n``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.text import elide

if TYPE_CHECKING:
    from app.tools.approval import ApprovalRequest
    from app.tools.registry import Tool

# The bidi marks, embeddings, overrides and isolates that reorder how text is drawn.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls but \t and \n, DEL, C1 controls (8-bit CSI/OSC/ST among them), bidi.
_HIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_JSON_HIDDEN = re.compile(f"[\x7f-\x9f{_BIDI}]")  # JSON escapes C0 itself
_NAME_HIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")  # in a name, \t and \n too


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ ␍ ␇ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: object) -> str:
    """``text`` with every control, escape and bidi character made visible and inert.

    Line ends stay line ends (``\\r\\n`` becomes ``\\n``); a lone ``\\r`` is shown as ``␍``.
    """
    return _HIDDEN.sub(_stand_in, str(text).replace("\r\n", "\n"))


def has_hidden(text: str) -> bool:
    """Whether ``text`` holds a character that ``visible`` would replace."""
    return _HIDDEN.search(text.replace("\r\n", "\n")) is not None


def hidden_in_name(name: str) -> list[str]:
    """The control and bidi characters in a name (tab and line breaks included), as U+XXXX."""
    return sorted({f"U+{ord(c):04X}" for c in _NAME_HIDDEN.findall(name)})


def visible_name(name: str) -> str:
    """A name with every control and bidi character, tab and line breaks too, made visible."""
    return _NAME_HIDDEN.sub(_stand_in, name)


def json_line(text: str) -> str:
    """A JSON text with the characters JSON leaves raw (C1, bidi) written as ``\\uXXXX``.

    They can only occur inside strings, so the result parses to the same value.
    """
    return _JSON_HIDDEN.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


# -- what to look at twice before approving code ---------------------------------------------

_PYTHON_RISKS = (
    (re.compile(r"\b(?:exec|eval|compile|__import__)\s*\("), "runs code built while it runs"),
    (re.compile(r"\bimportlib\b"), "imports modules by name while it runs"),
    (
        re.compile(r"\b(?:base64|b64decode|b32decode|b85decode|a85decode|codecs|binascii)\b"),
        "decodes hidden data (base64/codecs)",
    ),
    (
        re.compile(
            r"\b(?:socket|urllib\d?|requests|httpx|aiohttp|http\.client|ftplib|smtplib|"
            r"telnetlib|asyncio\.open_connection)\b"
        ),
        "uses the network",
    ),
    (
        re.compile(r"\b(?:subprocess|os\.system|os\.popen|os\.exec\w*|os\.spawn\w*|pty)\b"),
        "starts other programs",
    ),
    (re.compile(r"\b(?:ctypes|cffi)\b"), "calls native code (ctypes)"),
)


def code_warnings(tool: Tool, arguments: Mapping[str, Any]) -> list[str]:
    """Plain reasons to read this call twice; empty when nothing stands out.

    A Python tool's code (the argument its plan input fills) is scanned for building code
    at run time, decoding, network, processes and native calls; every text argument for
    hidden control or bidi characters.
    """
    code = tool.fast_path_argument if tool.evidence_as == "python" else None
    found: list[str] = []
    for name, value in arguments.items():
        if not isinstance(value, str):
            continue
        if name == code:
            found += [reason for pattern, reason in _PYTHON_RISKS if pattern.search(value)]
        if has_hidden(value):
            found.append(f"its {name} holds hidden control or bidi characters (shown as ␛, <U+…>)")
    return found


def approval_warnings(request: ApprovalRequest) -> list[str]:
    """For an approval prompt: the gate's warning (no sandbox, network), then the code's."""
    found = [request.warning] if request.warning else []
    reasons = code_warnings(request.tool, request.arguments)
    if reasons:
        found.append(f"This {request.tool.name} call " + "; ".join(reasons) + ".")
    return found


def readable_arguments(arguments: Mapping[str, Any]) -> str:
    """Each argument on its own: a text with line breaks as an indented block, others as JSON.

    Everything is passed through ``visible``.
    """
    parts: list[str] = []
    for name, value in arguments.items():
        if isinstance(value, str) and ("\n" in value or len(value) > 60):
            body = "\n".join("    " + line for line in visible(value).split("\n"))
            parts.append(f"{name}:\n{body}")
        else:
            parts.append(f"{name}: {visible(json.dumps(value, ensure_ascii=False))}")
    return "\n".join(parts)


def excerpt(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text`` on one line, made visible."""
    return elide(visible(text), limit)
