"""The one set of text-shortening helpers (app/text.py)."""

from __future__ import annotations

import pytest

from app import text


def test_plain_text_drops_tags_and_decodes_entities():
    markup = '<em class="keyword">Rust</em> &amp; <b>Go</b>\n tips'
    assert text.plain_text(markup) == "Rust & Go tips"


def test_clip_cuts_at_a_word_boundary():
    assert text.clip("short", 10) == "short"
    clipped = text.clip("one two three four five", 12)
    assert clipped == "one two…"
    assert len(clipped) <= 12


def test_elide_and_truncate_cut_anywhere_and_keep_what_they_should():
    assert text.elide("a\n b  c", 10) == "a b c"
    assert text.elide("abcdefghij", 5) == "abcd…"
    assert text.truncate("line one\nline two", 100) == "line one\nline two"
    assert text.truncate("line one\nline two", 10) == "line one…"


@pytest.mark.parametrize("shorten", [text.elide, text.clip, text.truncate])
def test_no_helper_goes_past_its_limit(shorten):
    long = "word " * 100
    for limit in (1, 2, 5, 17, 80):
        assert len(shorten(long, limit)) <= limit
    assert shorten("short", 80) == "short"


def test_one_line_takes_any_value():
    assert text.one_line(" a\n\tb ") == "a b"
    assert text.one_line(42) == "42"
