"""Date arithmetic at the calendar's ends (years 1 and 9999) gives no date, never an exception (a 500)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.nlp.dates import resolve_expression
from tests.nlp.conftest import Extract, claim_with

FIRST, LAST = dt.date(1, 1, 1), dt.date(9999, 12, 31)  # 0001-01-01 is a Monday


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        ("yesterday", FIRST, None),
        ("a day ago", FIRST, None),
        ("two weeks ago", dt.date(1, 1, 10), None),
        ("on Tuesday", FIRST, None),  # the Tuesday before: in year 0
        ("last Monday", FIRST, None),
        ("on Monday", FIRST, FIRST),  # the day itself is fine
        ("December 25", FIRST, None),  # a day after publication is last year's: year 0
        ("1000000000 days ago", dt.date(2024, 11, 7), None),  # more days than a timedelta holds
        ("999999 weeks ago", dt.date(2024, 11, 7), None),
        ("\u00b2 days ago", dt.date(2024, 11, 7), None),  # a digit to str.isdigit, not to int()
        ("9" * 5000 + " days ago", dt.date(2024, 11, 7), None),  # more digits than int() converts
        ("3 days ago", dt.date(2024, 11, 7), dt.date(2024, 11, 4)),
        ("yesterday", LAST, dt.date(9999, 12, 30)),
        ("December 30", LAST, dt.date(9999, 12, 30)),  # compared with a week after publication: year 10000
        ("tomorrow", LAST, None),
        ("next week", LAST, None),
    ],
)
def test_a_day_past_the_calendars_ends_is_no_day(
    expression: str, published: dt.date, expected: dt.date | None
) -> None:
    resolved = resolve_expression(expression, published)

    assert (resolved.value if resolved is not None else None) == expected


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ('Ali Khan said yesterday that "the bridge will open in May."', "0001-01-01"),
        ('Two weeks after the vote, Ali Khan said "the bridge will open in May."', "0001-01-01"),
        ('Ali Khan said on December 30 that "the bridge will open in May."', "9999-12-31"),
        ('Ali Khan said 1000000000 days ago that "the bridge will open in May."', "2024-11-07"),
        ('Ali Khan said \u00b2 days ago that "the bridge will open in May."', "2024-11-07"),
    ],
)
def test_a_statement_dated_past_the_calendars_ends_keeps_its_claim_without_a_date(
    extract: Extract, text: str, published: str
) -> None:
    result = extract(text, published)

    claim = claim_with(result, "the bridge will open")
    assert claim.date.value is None or claim.date.value.year in (1, 9999)
