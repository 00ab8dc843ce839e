"""The GBNF grammar of a JSON schema, with strings that JSON can actually parse.

llama-cpp-python's converter (0.3.x) lets a string character be anything but ``"`` and
``\\``, so a model under the grammar could write a raw line break or tab inside a quoted
text, and ``json.loads`` then refused the "constrained" reply ("Invalid control character
at: line 1 column 94", issue 15). JSON forbids U+0000–U+001F unescaped; llama.cpp's own
grammars also leave out U+007F. Here the character rule excludes them, so a line break
must be written ``\\n``.
"""

from __future__ import annotations

import json
import re
from typing import Any

# the converter's string character, and the same without control characters
_LOOSE_CHAR = '[^"\\\\]'
STRICT_CHAR = '[^"\\\\\\x7F\\x00-\\x1F]'
_CHAR_RULE = re.compile(r"^char ::= .*$", re.M)


def json_schema_grammar(schema: dict[str, Any]) -> str:
    """GBNF for one JSON value valid against ``schema``, control characters escaped."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    # keys sorted, as the grammars the shipped adapters were used with were made
    grammar = json_schema_to_gbnf(json.dumps(schema, sort_keys=True))
    return _CHAR_RULE.sub(lambda rule: strict(rule.group(0)), grammar)


def strict(rule: str) -> str:
    """A ``char ::= …`` rule whose unescaped characters exclude U+0000–U+001F and U+007F."""
    if STRICT_CHAR in rule:
        return rule  # a converter that already excludes them
    return rule.replace(_LOOSE_CHAR, STRICT_CHAR, 1)  # a test pins that it does here
