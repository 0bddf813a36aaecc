"""An article's text cut into pieces, each with the marks that cover it: the content of each claim, its
speaker and its cue, and its targets coloured by stance, so a template can mark them in place.

Claims carry the character offsets of their content; the speaker's and the cue's words are found as
the occurrence nearest that content (outside it), and the targets' mentions inside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.schemas.claim import ExtractedClaim

NEAR_CHARS = 400  # how far from its content a claim's speaker and cue are looked for


@dataclass(frozen=True)
class Mark:
    """A stretch of the text `[start, end)` that plays a part in claim `claim`: `content`, `speaker`,
    `cue`, or `target` (with the stance toward it)."""

    start: int
    end: int
    claim: int
    part: str
    stance: str | None = None


@dataclass(frozen=True)
class Piece:
    """A run of text and the marks covering all of it (none: plain text)."""

    text: str
    start: int
    marks: tuple[Mark, ...]

    @property
    def claim(self) -> int | None:
        """The claim whose content this piece belongs to, if any (the first, should two overlap)."""
        return next((m.claim for m in self.marks if m.part == "content"), None)

    @property
    def classes(self) -> str:
        """CSS classes: the parts it plays, and a target's stance."""
        names = {m.part for m in self.marks} | {f"stance-{m.stance}" for m in self.marks if m.stance}
        return " ".join(sorted(names))


def marks_of(text: str, claims: Sequence[tuple[int, ExtractedClaim]]) -> list[Mark]:
    """Every mark of every claim, each claim named by its number (a stored claim's id)."""
    marks: list[Mark] = []
    for number, claim in claims:
        spans = [(s.start, s.end) for s in claim.spans if 0 <= s.start < s.end <= len(text)]
        if not spans:
            continue
        marks += [Mark(start, end, number, "content") for start, end in spans]
        for part, words in (("speaker", claim.speaker.mention), ("cue", claim.cue.text)):
            found = _nearest(text, words, spans)
            if found is not None:
                marks.append(Mark(found, found + len(words), number, part))
        for target in claim.targets:
            marks += [
                Mark(at, at + len(target.mention), number, "target", target.stance)
                for start, end in spans
                for at in _occurrences(text, target.mention, start, end)
            ]
    return marks


def pieces(text: str, marks: Iterable[Mark]) -> list[Piece]:
    """The text cut at every mark's start and end, each piece with the marks that cover it."""
    marks = list(marks)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    found = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(m for m in marks if m.start <= start and end <= m.end)
        found.append(Piece(text[start:end], start, covering))
    return found


def _nearest(text: str, words: str, spans: list[tuple[int, int]]) -> int | None:
    """Where `words` occur closest to the content, outside it, within `NEAR_CHARS`."""
    if not words.strip():
        return None
    first, last = spans[0][0], spans[-1][1]
    window = (max(0, first - NEAR_CHARS), min(len(text), last + NEAR_CHARS))
    inside = [range(start, end) for start, end in spans]
    candidates = [
        at
        for at in _occurrences(text, words, *window)
        if not any(at in r or at + len(words) - 1 in r for r in inside)
    ]
    return min(candidates, key=lambda at: min(abs(at - last), abs(at + len(words) - first)), default=None)


def _occurrences(text: str, words: str, start: int, end: int) -> list[int]:
    """Every start of `words` in `text[start:end]`, as a whole word."""
    found, at = [], text.find(words, start, end)
    while at != -1 and words:
        before = text[at - 1] if at > 0 else " "
        after = text[at + len(words)] if at + len(words) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            found.append(at)
        at = text.find(words, at + 1, end)
    return found
