"""Publication dates found in text, and statement dates resolved against them; the dates of extracted
claims are one table, one row a case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.nlp.dates import publication_date, resolve_expression
from tests.nlp.cases import Case, check, table
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


STATEMENT_DATES = [
    Case(
        "statement-dates-in-the-seed-a-day-ago",
        SEED,
        claim="We don't think Trump",
        expect={
            "article.published_at": THURSDAY,
            "article.published_at_source": "text",
            "date.value": dt.date(2024, 11, 6),
            "date.source": "relative",
        },
        published=None,
    ),
    # "during the same transmission"
    Case(
        "statement-dates-in-the-seed-the-same-transmission",
        SEED,
        claim="the party had never hoped",
        expect={"date.value": dt.date(2024, 11, 6)},
        published=None,
    ),
    # "had also opined", no date given
    Case(
        "statement-dates-in-the-seed-past-perfect",
        SEED,
        claim="high on his list of priorities",
        expect={"speaker.name": "Micheal Kugelman", "date.value": None},
        published=None,
    ),
    Case(
        "plain-past-is-dated-to-publication",
        "City spokeswoman Dana Whitlow told the Courier the council acted within the law.",
        claim=None,
        expect={
            "date.value": [dt.date(2008, 1, 16)],
            "date.source": ["published"],
            "article.published_at_source": "request",
        },
        published="2008-01-16",
    ),
    Case(
        "last-month-statement-has-no-day",
        "Last month Halvorsen said the quota talks could drag on into the spring.",
        claim=None,
        expect={"date.value": [None]},
        published="2007-06-07",
    ),
    Case(
        "an-age-is-not-a-date",
        'Maria Bellini lost in Paris. "We will not back down," insisted the 58-year-old.',
        claim=None,
        expect={"speaker.name": ["Maria Bellini"], "date.value": [THURSDAY]},
    ),
    Case(
        "the-current-year-does-not-date-a-statement",
        "The chief executive, Anna Berg, ruled out further job cuts this year.",
        claim=None,
        expect={"date.value": [THURSDAY]},
    ),
    Case(
        "the-day-a-statement-was-released-dates-its-claims",
        "In a statement released on Monday, Swiftdrop said it would cut 200 jobs.",
        claim=None,
        expect={"date.value": [dt.date(2024, 11, 4)], "date.source": ["relative"]},
    ),
    Case(
        "statement-dated-two-weeks-before-and-recalled-later",
        "This statement came two weeks after Pakistan's strong reaction to the lawmakers' letter, terming "
        'the move "contrary to diplomatic norms".\n\n'
        'Reacting to the move, Baloch had said: "Pakistan values its relations with the United States."',
        claim=None,
        expect={
            "text": [
                'the move "contrary to diplomatic norms"',
                "Pakistan values its relations with the United States.",
            ],
            "type": ["mixed_quote", "direct_quote"],
            "date.value": [dt.date(2024, 10, 24), dt.date(2024, 10, 24)],
            "date.source": ["relative", "relative"],
        },
    ),
    Case(
        "past-perfect-without-a-date-is-unknown",
        "Micheal Kugelman had argued in his article that Pakistan was no priority for Trump.",
        claim="Pakistan was no priority",
        expect={"date.value": None},
    ),
    Case(
        "yesterday-and-weekdays",
        "Port spokesman Kwesi Adomako told Radio Harbour yesterday the strikes were illegal.\n\n"
        "On Tuesday Adomako said the guards acted lawfully.",
        claim=None,
        expect={
            "text": ["the strikes were illegal", "the guards acted lawfully"],
            "date.value": [dt.date(2024, 11, 6), dt.date(2024, 11, 5)],
        },
    ),
]


@table(STATEMENT_DATES)
def test_statement_dates(extract: Extract, case: Case) -> None:
    check(case, extract)
