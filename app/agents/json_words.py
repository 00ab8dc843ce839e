"""What is wrong with a model's JSON, in words a person understands.

``json.loads`` says "Invalid control character at: line 1 column 94"; a person reading a
failed step (or a model reading the retry prompt) needs "a quoted text holds a line break
or another control character". The position is kept, as a character count, for whoever
opens the reply to look.
"""

from __future__ import annotations

import json

# the decoder's message (its start) -> what it means
_PROBLEMS = (
    ("Invalid control character", "a quoted text holds a line break or another control character"),
    ("Unterminated string", "a quoted text is never closed"),
    ("Invalid \\escape", "a backslash starts an escape JSON does not have"),
    ("Invalid \\uXXXX escape", "a \\u escape is not four hex digits"),
    ("Expecting property name", "a name is missing or not in double quotes"),
    ("Expecting ':' delimiter", "a name is not followed by ':'"),
    ("Expecting ',' delimiter", "a ',' is missing between two items"),
    ("Expecting value", "a value is missing"),
    ("Extra data", "more text follows the JSON object"),
)


def json_problem(exc: json.JSONDecodeError) -> str:
    """``exc`` in words, with where it is: "a value is missing (at character 12)"."""
    for start, words in _PROBLEMS:
        if exc.msg.startswith(start):
            return f"{words} (at character {exc.pos + 1})"
    return f"it is not valid JSON (at character {exc.pos + 1})"
