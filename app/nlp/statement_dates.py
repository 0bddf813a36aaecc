"""The day each statement was made, worked out from the words around its cue.

Rules, in order, for one claim:
1. a time expression among the attributing words (outside the content and its quotation marks):
   "on Thursday", "a day ago", "November 7" (see `dates.resolve_expression`);
2. the cue sits inside a dated event, or is a participle beside it spoken by the event's owner, "two
   weeks after Pakistan's reaction ..., terming the move ...": the article's time moved by that span;
3. a past-perfect cue ("had said") refers back: to an event the article dated before ("Reacting to the
   move, X had said" after "two weeks after Pakistan's reaction"), matched by word stem; else to the
   same speaker's next statement if that one is dated; else the day is unknown (null);
4. "during the same transmission": the previous statement's day;
5. otherwise the publication day (the statement is reported as news of the day).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from app.nlp.assembly import Draft
from app.nlp.attribution import governing_cue
from app.nlp.dates import (
    UNIT_DAYS,
    count_of,
    is_past_perfect,
    resolve_expression,
    shift,
    time_expressions,
)
from app.nlp.doc_cache import sentence_of
from app.nlp.lexicon import sources
from app.nlp.types import StatementDate

SUFFIXES = ("ment", "ing", "ion", "ed", "es", "s")
MIN_STEM = 4


@dataclass(frozen=True)
class DatedEvent:
    """An event the article places in time relative to its own: "two weeks after <event>"."""

    stem: str
    date: dt.date
    text: str
    start: int  # token range of the event phrase
    end: int
    anchor: int  # the verb the "after" phrase hangs from
    owner: int | None  # entity key of whose event it is ("Pakistan's reaction")


def statement_dates(doc: Doc, drafts: list[Draft], published: dt.date | None) -> None:
    """Set each claim's `date`, in claim order (a rule may read the dates of the claims before)."""
    events = dated_events(doc, published) if published else []
    dates: list[StatementDate] = []
    for i, draft in enumerate(drafts):
        draft.date = _date_of(doc, drafts, i, published, events, dates)
        dates.append(draft.date)


@dataclass(frozen=True)
class _Claim:
    """One claim as the statement-date rules read it, with the dates of the claims before it."""

    doc: Doc
    drafts: list[Draft]
    i: int
    published: dt.date | None
    events: list[DatedEvent]
    earlier: list[StatementDate]
    outside: list[Token]  # the attributing words, outside the content

    @property
    def cue(self) -> Token:
        return self.drafts[self.i].cue[0]


StatementRule = Callable[[_Claim], StatementDate | None]


def _time_in_attribution(c: _Claim) -> StatementDate | None:
    """ "said on Thursday", "told VOA yesterday": a time expression outside the content."""
    return _first_resolved(c.outside, c.published)


def _at_a_dated_event(c: _Claim) -> StatementDate | None:
    """A statement made at, or described as, an event the article dates ("two weeks after the vote")."""
    event = next((e for e in c.events if e.start <= c.cue.i < e.end or _describes(c.drafts[c.i], e)), None)
    return StatementDate(event.date, event.text, "relative") if event is not None else None


def _past_perfect(c: _Claim) -> StatementDate | None:
    """ "had said": the event it refers to, else the same speaker's neighbouring dated statement."""
    if not is_past_perfect(c.cue, governing_cue(c.cue)):
        return None
    event = _event_referred_to(c.outside, c.events)
    if event is not None:
        return StatementDate(event.date, event.text, "relative")
    return _next_dated_statement(c.doc, c.drafts, c.i, c.published)


def _the_same_occasion(c: _Claim) -> StatementDate | None:
    """ "at the same briefing": the previous statement's date."""
    if (
        re.search(r"\bthe same\b", " ".join(t.lower_ for t in c.outside))
        and c.earlier
        and c.earlier[-1].value
    ):
        previous = c.earlier[-1]
        return StatementDate(previous.value, previous.text, "relative")
    return None


def _publication_day(c: _Claim) -> StatementDate | None:
    """Anything else: the day the article was published."""
    return StatementDate(c.published, None, "published") if c.published else StatementDate(None, None, None)


# The statement-date rules in the order they are tried: the first with a date decides (the last always has).
STATEMENT_RULES: tuple[StatementRule, ...] = (
    _time_in_attribution,
    _at_a_dated_event,
    _past_perfect,
    _the_same_occasion,
    _publication_day,
)


def _date_of(
    doc: Doc,
    drafts: list[Draft],
    i: int,
    published: dt.date | None,
    events: list[DatedEvent],
    earlier: list[StatementDate],
) -> StatementDate:
    claim = _Claim(doc, drafts, i, published, events, earlier, _attributing_words(drafts[i]))
    for rule in STATEMENT_RULES:
        found = rule(claim)
        if found is not None:
            return found
    raise AssertionError("the publication-day rule always decides")


def _describes(draft: Draft, event: DatedEvent) -> bool:
    """`came two weeks after Pakistan's reaction, terming the move ...`: a participle beside the event
    phrase, spoken by the event's owner, describes that event."""
    cue, speaker = draft.cue[0], draft.source.entity
    return (
        cue.tag_ == "VBG"
        and cue.head.i == event.anchor
        and speaker is not None
        and speaker.key == event.owner
    )


def _attributing_words(draft: Draft) -> list[Token]:
    """The cue's sentence without the content, its quotations, and clauses describing someone
    ("X, who took office in January, said"), but with those describing the statement's medium."""
    content = {t.i for t in draft.content}
    quoted = [(s.start, s.end) for s in draft.spans]
    sentence = sentence_of(draft.cue[0])
    described = {
        t.i
        for t in sentence
        if t.dep_ in ("relcl", "acl", "appos") and not _is_medium(t.head)
        for t in t.subtree
    }
    return [
        t
        for t in sentence
        if t.i not in content and t.i not in described and not any(a <= t.idx < b for a, b in quoted)
    ]


def _is_medium(noun: Token) -> bool:
    """A statement, letter or interview through which the claim was made: when it was released or given
    is when the claim was made ("in a statement released on Monday")."""
    lemma = noun.lemma_.lower()
    return lemma in sources().documents or lemma in sources().evidence or lemma in sources().media


def dated_events(doc: Doc, published: dt.date) -> list[DatedEvent]:
    """Events placed by "<span> after/before <event>" relative to the article's own time."""
    index = doc._.entity_index
    events = []
    for token in doc:
        if token.lower_ not in ("after", "before") or token.dep_ != "prep":
            continue
        span = next((c for c in token.children if c.dep_ == "npadvmod"), None)
        event = next((c for c in token.children if c.dep_ == "pobj"), None)
        days = _span_days(span) if span is not None else None
        if event is None or days is None:
            continue
        date = shift(published, -days if token.lower_ == "after" else days)
        if date is None:  # past the calendar's ends: no event date rather than a 500
            continue
        text = doc[span.left_edge.i : event.i + 1].text  # type: ignore[union-attr]
        owner = next((index.at(c) for c in event.children if c.dep_ == "poss"), None)
        events.append(
            DatedEvent(
                stem(event.lemma_),
                date,
                text,
                event.left_edge.i,
                event.right_edge.i + 1,
                token.head.i,
                owner.entity.key if owner is not None else None,
            )
        )
    return events


def _span_days(span: Token) -> int | None:
    """`two weeks`, `3 days`: a span of whole days, or None."""
    unit = span.lower_
    count_token = next((c for c in span.children if c.dep_ in ("nummod", "det")), None)
    if unit not in UNIT_DAYS or count_token is None:
        return None
    word = count_token.lower_
    count = count_of(word)
    return count * UNIT_DAYS[unit] if count else None


def stem(word: str) -> str:
    """A crude derivational stem, enough to see "reacting" and "reaction" as one event."""
    word = word.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > MIN_STEM else word


def _event_referred_to(words: list[Token], events: list[DatedEvent]) -> DatedEvent | None:
    """A dated event named again, by the same stem, in the attributing words ("Reacting to ...")."""
    position = words[0].i if words else 0
    for event in reversed(events):
        if event.start < position and any(stem(t.lemma_) == event.stem for t in words if t.is_alpha):
            return event
    return None


def _next_dated_statement(doc: Doc, drafts: list[Draft], i: int, published: dt.date | None) -> StatementDate:
    """A past-perfect statement takes the date of the same speaker's next statement, if that one is dated."""
    draft = drafts[i]
    for other in drafts[i + 1 : i + 3]:
        if other.source.name == draft.source.name and other.paragraph - draft.paragraph <= 1:
            resolved = _first_resolved(_attributing_words(other), published, need_day=True)
            if resolved is not None:
                return resolved
    return StatementDate(None, None, None)


def _first_resolved(
    words: list[Token], published: dt.date | None, need_day: bool = False
) -> StatementDate | None:
    """The first time expression among the words that resolves (to a day, with `need_day`)."""
    for expression in time_expressions(words):
        resolved = resolve_expression(expression, published)
        if resolved is not None and (resolved.value is not None or not need_day):
            return resolved
    return None
