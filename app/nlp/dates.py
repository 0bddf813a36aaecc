"""Dates: the article's publication date, and the day each statement was made.

Publication date: the request's, or else a date standing alone on a line near the top (under the
byline, or a dateline "CITY, Nov 7 -"). A page's own "today" header (a weekday date above the headline,
as pages saved from the web carry) is not the publication date: a date after a byline wins over it.

Statement date: a time expression in the attributing words, outside the content ("on Thursday",
"a day ago", "yesterday", "November 7"), resolved against the publication date; a weekday is the latest
such day not after publication. Expressions that name no single day ("last month") give no date. With no
time expression, a statement in the past perfect ("had said") gives no date unless the same speaker's
neighbouring statement is dated, "the same <event>" takes the previous statement's date, and anything
else is dated to the publication day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta
from spacy.tokens import Token

from app.nlp.doc_cache import entities_of
from app.nlp.types import StatementDate

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
MAX_COUNT_DIGITS = 9  # "1000000000 days ago" is no date (and `int` refuses thousands of digits)
UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
VAGUE = re.compile(
    r"\b(last|past|next|this|earlier|later)\s+(month|year|week|decade|summer|winter|spring|"
    r"autumn|fall)\b|\b(months?|years?|recently|decades?)\b",
    re.I,
)
AGE = re.compile(r"\byears?[- ]old\b")
CURRENT_PERIOD = re.compile(r"^(?:this|the current)\s+(?:year|month|season|quarter)$")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_LINE = re.compile(
    rf"^\s*(?:(?:published|updated|posted)(?:\s+on)?:?\s*)?(?:(?:{'|'.join(WEEKDAYS)})[,\s]+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}})(?:[\s,|-]+\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm|a\.m\.|p\.m\.)?\s*\w*)?\s*$",
    re.I,
)
_BYLINE = re.compile(r"^\s*(by|from)\s+[A-Z]", re.I)
_PUBLISHED = re.compile(r"^\s*(published|updated|posted)", re.I)
HEADER_LINES = 15
NOMINAL_DEPS = frozenset({"compound", "amod", "nmod", "poss"})


def count_of(word: str) -> int | None:
    """ "three" or "3" as a number; None for anything else, "²" (a digit `int` refuses) and numbers of
    more than `MAX_COUNT_DIGITS` digits included."""
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    return int(word) if word.isascii() and word.isdigit() and len(word) <= MAX_COUNT_DIGITS else None


def publication_date(text: str) -> dt.date | None:
    """The publication date shown in the text's header, if any."""
    lines = text.splitlines()[:HEADER_LINES]
    after_byline = False
    candidates: list[tuple[int, dt.date]] = []
    for line in lines:
        if _BYLINE.match(line) and len(line.split()) <= 8:
            after_byline = True
            continue
        if _DATE_LINE.match(line):
            parsed = _parse(line)
            if parsed is None:
                continue
            has_weekday = any(w in line.lower() for w in WEEKDAYS)
            rank = 3 if _PUBLISHED.match(line) else 2 if after_byline else 0 if has_weekday else 1
            candidates.append((rank, parsed))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[0])[1]


def _parse(line: str) -> dt.date | None:
    cleaned = re.sub(r"^\s*(published|updated|posted)(\s+on)?:?", "", line, flags=re.I)
    try:
        return date_parser.parse(cleaned, fuzzy=True).date()
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class _Expression:
    """A time expression as the date rules read it."""

    text: str
    lower: str
    words: list[str]
    published: dt.date | None


NO_DAY = "no day"  # a rule's verdict that the expression names no day at all: stop looking
DateRule = Callable[[_Expression], StatementDate | str | None]  # a date, NO_DAY, or None: not this rule


def _explicit_day(e: _Expression) -> StatementDate | str | None:
    """ "14 March", "March 14, 2024", "2024-03-14": the day itself."""
    day = _explicit(e.text, e.published)
    return StatementDate(day, e.text, "explicit") if day is not None else None


def _age_or_current_period(e: _Expression) -> StatementDate | str | None:
    """ "the 58-year-old" is an age; "this year" holds the story's own day, so says nothing."""
    return NO_DAY if AGE.search(e.lower) or CURRENT_PERIOD.search(e.lower) else None


def _no_publication_date(e: _Expression) -> StatementDate | str | None:
    """Without the publication day a relative expression is a time, but no day."""
    if e.published is not None:
        return None
    return StatementDate(None, e.text, "relative") if _is_time(e.words) else NO_DAY


def _yesterday(e: _Expression) -> StatementDate | str | None:
    return (
        StatementDate(shift(e.published, -1), e.text, "relative")
        if e.published and "yesterday" in e.words
        else None
    )


def _today(e: _Expression) -> StatementDate | str | None:
    today = (
        any(w in e.words for w in ("today", "tonight"))
        or "this morning" in e.lower
        or "this afternoon" in e.lower
    )
    return StatementDate(e.published, e.text, "relative") if e.published and today else None


def _ago(e: _Expression) -> StatementDate | str | None:
    """ "two days ago", "3 weeks ago"."""
    ago = re.search(r"\b(\w+)\s+(days?|weeks?)\s+ago\b", e.lower)
    count = count_of(ago.group(1)) if ago else None
    if not e.published or not ago or not count:
        return None
    return StatementDate(shift(e.published, -count * UNIT_DAYS[ago.group(2)]), e.text, "relative")


def _weekday(e: _Expression) -> StatementDate | str | None:
    """ "on Tuesday": the latest such day not after publication ("last Tuesday" a week before, on one)."""
    weekday = next((w for w in e.words if w in WEEKDAYS), None)
    if weekday is None or e.published is None:
        return None
    back = (e.published.weekday() - WEEKDAYS.index(weekday)) % 7
    if "last" in e.words and back == 0:
        back = 7
    return StatementDate(shift(e.published, -back), e.text, "relative")


def _vague(e: _Expression) -> StatementDate | str | None:
    """ "last month", "recently", "at 3 pm": a time, but no single day."""
    return StatementDate(None, e.text, "relative") if VAGUE.search(e.lower) or _is_time(e.words) else None


# The date rules in the order they are tried: the first with a verdict decides.
DATE_RULES: tuple[DateRule, ...] = (
    _explicit_day,
    _age_or_current_period,
    _no_publication_date,
    _yesterday,
    _today,
    _ago,
    _weekday,
    _vague,
)


def resolve_expression(text: str, published: dt.date | None) -> StatementDate | None:
    """The day a time expression names, relative to the publication date; None if it is no time."""
    lower = text.lower().strip()
    words = re.findall(r"[a-z]+|\d+", lower)
    if not words:
        return None
    expression = _Expression(text, lower, words, published)
    for rule in DATE_RULES:
        verdict = rule(expression)
        if verdict is not None:
            return verdict if isinstance(verdict, StatementDate) else None
    return None


def _is_time(words: list[str]) -> bool:
    return any(
        w in WEEKDAYS or w in MONTHS or w in ("yesterday", "today", "ago", "week", "month", "year")
        for w in words
    )


def _explicit(text: str, published: dt.date | None) -> dt.date | None:
    """`November 7, 2024`, `7 Nov`, `Tuesday 19 May`: a month with a day number."""
    match = re.search(
        rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}", text, re.I
    )
    if not match:
        return None
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
    if year is None and published is None:
        return None
    default = dt.datetime(int(year.group(1)) if year else published.year, 1, 1)  # type: ignore[union-attr]
    try:
        day = date_parser.parse(match.group(0), default=default, fuzzy=True).date()
    except (ValueError, OverflowError):
        return None
    week_on = shift(published, 7) if published is not None else None
    if year is None and week_on is not None and day > week_on:
        try:
            day = day - relativedelta(years=1)
        except ValueError:  # the year before year 1
            return None
    return day


def shift(day: dt.date, days: int) -> dt.date | None:
    """`day` moved by `days`, or None past the calendar's ends (years 1 and 9999): no date, not a 500."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:  # "yesterday" on 0001-01-01, "1000000000 days ago"
        return None


def is_past_perfect(verb: Token, outer: Token | None = None) -> bool:
    """`had said`, `had also opined`: the statement came before the story's own time.

    A participle cue ("..., adding that") has the tense of the cue it hangs from (`outer`)."""
    token = outer if outer is not None and verb.tag_ == "VBG" else verb
    return token.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ == "had" for c in token.children)


def time_expressions(tokens: Sequence[Token]) -> list[str]:
    """Adverbial DATE and TIME expressions among tokens, in order.

    A date that modifies a noun ("the December 27 elections", "last month's vote") says when that thing
    happened, not when anyone spoke, so it is left out."""
    if not tokens:
        return []
    wanted = {t.i for t in tokens}
    seen: list[str] = []
    for ent in entities_of(tokens[0].doc):
        if ent.label_ in ("DATE", "TIME") and ent.start in wanted and ent.root.dep_ not in NOMINAL_DEPS:
            seen.append(ent.text)
    return seen
