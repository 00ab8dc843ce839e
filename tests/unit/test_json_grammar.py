"""Constrained JSON cannot hold a raw control character, and a reply that still does not
parse is described in words, never as the decoder's message (issue 15)."""

from __future__ import annotations

import json

import pytest

from app.agents.autogpt import parse_reply, reply_schema
from app.agents.json_words import json_problem
from app.agents.rewoo import call_schema, parse_call
from app.errors import PlanError, ToolError
from app.llm.json_grammar import STRICT_CHAR, json_schema_grammar
from app.tools.builtin import builtin_tools

pytest.importorskip("llama_cpp")


def schemas() -> list[dict]:
    tools = list(builtin_tools())
    return [call_schema(t) for t in tools] + [
        reply_schema(tools, finish_only=False),
        reply_schema(tools, finish_only=True),
    ]


@pytest.mark.parametrize("schema", schemas(), ids=lambda s: str(len(json.dumps(s))))
def test_only_the_string_character_rule_changes(schema):
    """The grammars the adapters ran under, but for U+0000–U+001F and U+007F in strings."""
    from llama_cpp.llama_grammar import LlamaGrammar, json_schema_to_gbnf

    loose = json_schema_to_gbnf(json.dumps(schema, sort_keys=True)).splitlines()
    strict = json_schema_grammar(schema).splitlines()
    changed = [(a, b) for a, b in zip(loose, strict, strict=True) if a != b]
    assert len(changed) == 1
    before, after = changed[0]
    assert before.startswith('char ::= [^"\\\\] |')
    assert after == before.replace('[^"\\\\]', STRICT_CHAR)
    LlamaGrammar.from_string("\n".join(strict), verbose=False)  # llama.cpp reads it


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"a": "two\nlines"}', "a quoted text holds a line break or another control character"),
        ('{"a": "never closed}', "a quoted text is never closed"),
        ('{"a": 1,}', "a name is missing or not in double quotes"),
        ('{"a" 1}', "a name is not followed by ':'"),
        ('{"a": 1 "b": 2}', "a ',' is missing between two items"),
        ('{"a": }', "a value is missing"),
        ('{"a": "\\q"}', "a backslash starts an escape JSON does not have"),
    ],
)
def test_decoder_messages_in_words(text, words):
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    assert json_problem(caught.value) == f"{words} (at character {caught.value.pos + 1})"


def test_the_issue_reply_reads_as_words_in_autogpt_and_the_caller():
    thoughts = '{"text": "I will look\nat a clock", "reasoning": "", "plan": "", "criticism": ""}'
    reply = f'{{"thoughts": {thoughts}, "command": {{"name": "finish", "arguments": {{}}}}}}'
    with pytest.raises(PlanError) as caught:
        parse_reply(reply, ["finish"])
    message = str(caught.value)
    assert message.startswith("the reply is not valid JSON: a quoted text holds a line break")
    assert "Invalid control character" not in message and "line 1 column" not in message
    clock = next(t for t in builtin_tools() if t.name == "get_current_time")
    with pytest.raises(ToolError) as caught:
        parse_call('{"function": "get_current_time", "arguments": {"tz": "Asia/\tTokyo"}}', clock)
    assert str(caught.value).startswith(
        "the function caller's reply was not a valid call of get_current_time: a quoted text"
    )
