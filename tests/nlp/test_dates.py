"""Publication dates found in text, and statement dates resolved against them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.nlp.dates import publication_date, resolve_expression
from tests.nlp.conftest import Extract

SEED = (Path(__file__).resolve().parents[1] / "data" / "seed_article.txt").read_text("utf-8")
THURSDAY = dt.date(2024, 11, 7)


def test_date_under_the_byline_wins_over_the_page_header() -> None:
    assert publication_date(SEED) == THURSDAY


def test_no_date_in_the_header_means_none() -> None:
    assert publication_date("Fishermen closed the harbour on Monday 20 January.\n\nThey said so.") is None


def test_labelled_publication_date() -> None:
    assert publication_date("Headline\nPublished: 3 March 2021\n\nBody text.") == dt.date(2021, 3, 3)


def test_weekday_is_the_latest_such_day_up_to_publication() -> None:
    assert resolve_expression("Thursday", THURSDAY).value == THURSDAY  # type: ignore[union-attr]
    assert resolve_expression("on Tuesday", THURSDAY).value == dt.date(2024, 11, 5)  # type: ignore[union-attr]


def test_relative_days() -> None:
    assert resolve_expression("a day ago", THURSDAY).value == dt.date(2024, 11, 6)  # type: ignore[union-attr]
    assert resolve_expression("yesterday", THURSDAY).value == dt.date(2024, 11, 6)  # type: ignore[union-attr]
    assert resolve_expression("two weeks ago", THURSDAY).value == dt.date(2024, 10, 24)  # type: ignore[union-attr]


def test_explicit_date_without_year_takes_the_publication_year() -> None:
    resolved = resolve_expression("November 5", THURSDAY)
    assert resolved is not None and resolved.value == dt.date(2024, 11, 5) and resolved.source == "explicit"
    december = resolve_expression("December 27", dt.date(2008, 1, 16))
    assert december is not None and december.value == dt.date(2007, 12, 27)


def test_month_level_expression_names_no_day() -> None:
    resolved = resolve_expression("Last month", THURSDAY)
    assert resolved is not None and resolved.value is None and resolved.source == "relative"


def test_statement_dates_in_the_seed(extract: Extract) -> None:
    result = extract(SEED, None)
    assert result.published_at == THURSDAY and result.published_at_source == "text"
    by_text = {c.text[:30]: c for c in result.claims}
    asif = next(c for t, c in by_text.items() if t.startswith("We don't think Trump"))
    assert asif.date.value == dt.date(2024, 11, 6) and asif.date.source == "relative"
    hasan = next(c for t, c in by_text.items() if t.startswith("the party had never hoped"))
    assert hasan.date.value == dt.date(2024, 11, 6)  # "during the same transmission"
    kugelman = next(c for c in result.claims if c.speaker.name == "Micheal Kugelman")
    assert kugelman.date.value is None  # "had also opined", no date given


def test_plain_past_is_dated_to_publication(extract: Extract) -> None:
    result = extract(
        "City spokeswoman Dana Whitlow told the Courier the council acted within the law.", "2008-01-16"
    )
    assert result.claims[0].date.value == dt.date(2008, 1, 16)
    assert result.claims[0].date.source == "published"
    assert result.published_at_source == "request"


def test_last_month_statement_has_no_day(extract: Extract) -> None:
    result = extract("Last month Halvorsen said the quota talks could drag on into the spring.", "2007-06-07")
    assert result.claims[0].date.value is None


def test_an_age_is_not_a_date(extract: Extract) -> None:
    result = extract('Maria Bellini lost in Paris. "We will not back down," insisted the 58-year-old.')
    assert [(c.speaker.name, c.date.value) for c in result.claims] == [("Maria Bellini", THURSDAY)]


def test_the_current_year_does_not_date_a_statement(extract: Extract) -> None:
    result = extract("The chief executive, Anna Berg, ruled out further job cuts this year.")
    assert [c.date.value for c in result.claims] == [THURSDAY]


def test_the_day_a_statement_was_released_dates_its_claims(extract: Extract) -> None:
    result = extract("In a statement released on Monday, Swiftdrop said it would cut 200 jobs.")
    assert [(c.date.value, c.date.source) for c in result.claims] == [(dt.date(2024, 11, 4), "relative")]
