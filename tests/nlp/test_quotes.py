"""Quotation marks found on raw text: straight and curly, split, running on, unbalanced."""

from __future__ import annotations

from app.nlp.quotes import find_quotations


def quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotations(text)]


def test_straight_and_curly_double_quotes() -> None:
    text = 'He said "we will win," and she said \u201cwe will not.\u201d'
    assert quoted(text) == ["we will win,", "we will not."]


def test_apostrophes_and_plural_possessives_are_not_quotes() -> None:
    text = "Reacting to the US lawmakers' move, Baloch said Pakistan's ties don't change."
    assert quoted(text) == []


def test_single_quoted_phrase_in_a_headline() -> None:
    text = "Pakistan stresses ties with US based on 'mutual respect, non-interference'"
    assert quoted(text) == ["mutual respect, non-interference"]


def test_nested_quote_stays_inside_its_parent() -> None:
    text = "\u201cThey called it \u2018a farce\u2019 and left,\u201d she said."
    assert quoted(text) == ["They called it \u2018a farce\u2019 and left,"]


def test_quote_running_on_over_paragraphs() -> None:
    text = "\u201cFirst we marched.\n\n\u201cThen we waited,\u201d he said."
    found = find_quotations(text)
    assert [text[q.start : q.end] for q in found] == ["First we marched.", "Then we waited,"]
    assert found[0].runs_on and found[1].continues


def test_unclosed_mark_at_paragraph_end_skips_only_that_quote() -> None:
    text = 'She said "this never ends.\n\nHe left. "Fine," he said.'
    assert quoted(text) == ["Fine,"]


def test_stray_opening_mark_inside_a_paragraph_is_dropped() -> None:
    text = 'He said "fine and left. Then "ok" was all she said.'
    assert quoted(text) == ["ok"]
