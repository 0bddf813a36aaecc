"""Find quotations in raw text, character by character.

A tokenizer cannot tell an opening straight quote from a closing one, nor an apostrophe from a single
quote, so quotations are found on the text itself: a mark opens where it follows a space or the start of
a paragraph, and closes where it follows a word. Newspaper style lets a quotation run on over several
paragraphs: the paragraph is left open and the next one starts with a new opening mark. A mark that never
closes (and does not run on) is dropped, so one stray mark costs one quotation, never the article.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.nlp.paragraphs import paragraph_spans

DOUBLE_OPEN = "\u201c\u201e\u00ab"
DOUBLE_CLOSE = "\u201d\u00bb"
SINGLE_OPEN = "\u2018"
SINGLE_CLOSE = "\u2019"
OPENING_CONTEXT = " \t([{\u2014\u2013-:;/"


@dataclass(frozen=True)
class Quotation:
    """The words inside one pair of marks, `[start, end)`, within one paragraph."""

    start: int
    end: int
    paragraph: int
    runs_on: bool = False  # no closing mark: it continues in the next paragraph
    continues: bool = False  # this paragraph opens by continuing the previous one's quotation


def find_quotations(text: str) -> list[Quotation]:
    """All top-level quotations, in text order; nested quotations stay inside their parent."""
    paragraphs = paragraph_spans(text)
    found: list[Quotation] = []
    carried = False
    for index, (start, end) in enumerate(paragraphs):
        next_opens = index + 1 < len(paragraphs) and _opens_with_quote(text, paragraphs[index + 1][0])
        spans, open_at = _scan(text, start, end)
        for n, (q_start, q_end) in enumerate(spans):
            found.append(
                Quotation(q_start, q_end, index, continues=carried and n == 0 and _first(text, start))
            )
        carried = False
        if open_at is not None and next_opens:
            q_start, q_end = _trim(text, open_at, end)
            if q_end > q_start:
                continues = not spans and _first(text, start) and bool(found) and found[-1].runs_on
                found.append(Quotation(q_start, q_end, index, runs_on=True, continues=continues))
                carried = True
    return found


def _first(text: str, start: int) -> bool:
    return _opens_with_quote(text, start)


def _opens_with_quote(text: str, start: int) -> bool:
    stripped = text[start:].lstrip(" \t")
    return bool(stripped) and (stripped[0] in DOUBLE_OPEN or stripped[0] == '"')


def _scan(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quotations in one paragraph, and where a still-open double quotation began."""
    spans: list[tuple[int, int]] = []
    double_at: int | None = None
    single_at: int | None = None
    for i in range(start, end):
        ch = text[i]
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if double_at is None and single_at is None:
            if ch in DOUBLE_OPEN or (ch == '"' and before in OPENING_CONTEXT):
                double_at = i + 1
            elif (ch == SINGLE_OPEN or ch == "'") and before in OPENING_CONTEXT and after.isalnum():
                single_at = i + 1
        elif double_at is not None:
            if ch in DOUBLE_CLOSE or (ch == '"' and not before.isspace()):
                spans.append(_trim(text, double_at, i))
                double_at = None
            elif ch == '"' and before.isspace():
                double_at = i + 1  # a second opening mark: the first one was stray
        elif (
            single_at is not None
            and ch in (SINGLE_CLOSE, "'")
            and not after.isalnum()
            and not before.isspace()
        ):
            if not (before in "sS" and after == " " and _looks_possessive(text, i)):
                spans.append(_trim(text, single_at, i))
                single_at = None
    return [s for s in spans if s[1] > s[0] and any(c.isalpha() for c in text[s[0] : s[1]])], double_at


def _looks_possessive(text: str, i: int) -> bool:
    """`lawmakers' move`: a plural possessive, not the end of a single-quoted phrase."""
    follower = text[i + 2 : i + 3]
    return bool(follower) and follower.islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
