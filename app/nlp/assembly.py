"""Turn attributions and quotations into claims: one per speech act.

- An attribution whose content lies inside a quotation is a direct quote of the whole quotation; one whose
  content holds a quotation among its own words is a mixed quote; any other is an indirect quote.
- A quotation no attribution reached takes the nearest cue outside quotation marks in its own sentences
  (`"...," said X`), or the cue of the sentence that introduces it with a colon.
- Quotations sharing one cue, or following an attributed one in the same paragraph with no cue of their
  own (`"A," she said. "B."`), are one claim: the parts joined by " ... ".
- A paragraph that opens with a quotation and names no speaker continues the previous paragraph's
  speaker; so does a quotation running on from the previous paragraph, and a quotation that is a
  sentence of its own after a claim in its paragraph (`X said A. "B."`).
- A quotation nobody can be found for (a scare quote, a title) is no claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from app.nlp.attribution import Attribution, speaker_of
from app.nlp.cues import cue_lemma
from app.nlp.doc_cache import paragraph_of, sentence_of, text_of
from app.nlp.entities import EntityIndex
from app.nlp.quotes import Quotation
from app.nlp.sources import Source
from app.nlp.types import ClaimType, Span, StatementDate

if TYPE_CHECKING:  # filled in by later components, which read this module's Draft
    from app.nlp.targets import Considered, TargetStance

LINKING_POS = frozenset({"SCONJ", "DET", "ADP", "PART", "CCONJ"})
MAX_GAP_WORDS = 3  # "ties with US based on 'mutual respect'": reported words running into a quotation
QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


@dataclass
class Draft:
    """One claim as it moves through the pipeline, one record from start to end: `claim_attribution`
    makes it, `claim_targets` adds the candidates it weighed and the targets it kept, `claim_dates` the
    day of the statement."""

    type: ClaimType
    spans: list[Span]
    source: Source
    cue: list[Token]
    lemma: str
    content: list[Token]
    paragraph: int
    confidence: float
    quotes: list[int] = field(default_factory=list)
    considered: Considered | None = None
    targets: list[TargetStance] = field(default_factory=list)
    date: StatementDate | None = None

    def text(self, doc: Doc) -> str:
        """The content as written; the parts of a split quotation joined by ' ... '."""
        return " ... ".join(text_of(doc)[s.start : s.end] for s in self.spans)

    @property
    def start(self) -> int:
        """Where the claim's content begins."""
        return self.spans[0].start


def assemble(
    doc: Doc,
    attributions: list[Attribution],
    quotations: list[Quotation],
    index: EntityIndex,
) -> list[Draft]:
    """Claims of a document, in text order."""
    drafts: list[Draft] = []
    taken: set[int] = set()
    for a in attributions:
        draft = _from_attribution(doc, a, quotations, taken)
        if draft is not None:
            drafts.append(draft)
    by_cue: dict[int, Draft] = {d.cue[0].i: d for d in drafts}
    for qi, quotation in enumerate(quotations):
        if qi in taken:
            continue
        draft = _attach_quotation(doc, qi, quotation, quotations, index, by_cue, drafts)
        if draft is not None:
            taken.add(qi)
            if all(d is not draft for d in drafts):
                drafts.append(draft)
                by_cue[draft.cue[0].i] = draft
    drafts.sort(key=lambda d: d.start)
    return drafts


def _from_attribution(doc: Doc, a: Attribution, quotations: list[Quotation], taken: set[int]) -> Draft | None:
    start, end = a.start, a.end
    overlapping = [i for i, q in enumerate(quotations) if q.start < end and start < q.end and i not in taken]
    confidence = 0.8 if a.source.method == "named" else 0.65
    paragraph = paragraph_of(a.cue[0])
    if not overlapping:
        span = Span(start, end)
        return Draft("indirect_quote", [span], a.source, a.cue, a.lemma, a.content, paragraph, confidence)
    outside = [
        t
        for t in a.content
        if t.is_alpha and not any(quotations[i].start <= t.idx < quotations[i].end for i in overlapping)
    ]
    taken.update(overlapping)
    # the quotations' own words, all of them: the parse may have reported one of their sentences only
    spans_of = (doc.char_span(quotations[i].start, quotations[i].end, "expand") for i in overlapping)
    content = sorted({*a.content, *(t for span in spans_of for t in span or [])}, key=lambda t: t.i)
    # "that", "of": nothing of its own; 'said he was "ready"' reports words of its own, a mixed quote
    if all(t.pos_ in LINKING_POS for t in outside) and len(outside) <= 2:
        spans = [Span(quotations[i].start, quotations[i].end) for i in overlapping]
        return Draft(
            "direct_quote",
            spans,
            a.source,
            a.cue,
            a.lemma,
            content,
            paragraph,
            confidence + 0.1,
            overlapping,
        )
    last = quotations[overlapping[-1]]
    end = max(end, last.end + 1 if text_of(doc)[last.end : last.end + 1] in QUOTE_MARKS else last.end)
    return Draft(
        "mixed_quote",
        [Span(start, end)],
        a.source,
        a.cue,
        a.lemma,
        content,
        paragraph,
        confidence,
        overlapping,
    )


def _attach_quotation(
    doc: Doc,
    qi: int,
    q: Quotation,
    quotations: list[Quotation],
    index: EntityIndex,
    by_cue: dict[int, Draft],
    drafts: list[Draft],
) -> Draft | None:
    content = list(doc.char_span(q.start, q.end, alignment_mode="expand") or [])
    if not content:
        return None
    found = None if q.continues else _nearest_cue(doc, q, quotations, index) or _colon_speaker(doc, q, index)
    if found is not None:
        cue, source = found
        existing = by_cue.get(cue.i)
        if existing is not None:
            _extend(existing, q, qi, content, doc)
            return existing
        lemma = cue_lemma(cue) or cue.lemma_.lower()
        if lemma:
            index.record_speaker(cue.i, source.entity)
            confidence = 0.85 if source.method == "named" else 0.7
            return _quote_draft(q, qi, source, [cue], lemma, content, confidence)
    previous = _previous_quote_claim(drafts, q, quotations)
    if previous is not None:
        _extend(previous, q, qi, content, doc)
        return previous
    if q.continues or _opens_paragraph(doc, q):
        before = [d for d in drafts if d.paragraph == q.paragraph - 1]
    elif content[0].is_sent_start or content[0].i > 0 and doc[content[0].i - 1].is_sent_start:
        before = [d for d in drafts if d.paragraph == q.paragraph and d.start < q.start]
    else:
        before = []
    if not before:
        return None
    last = before[-1]  # `X said she had lost her herd. "I don't know how we come back."`
    return _quote_draft(q, qi, last.source, last.cue, last.lemma, content, 0.6)


def _quote_draft(
    q: Quotation,
    qi: int,
    source: Source,
    cue: list[Token],
    lemma: str,
    content: list[Token],
    confidence: float,
) -> Draft:
    """A direct quote of one quotation."""
    return Draft(
        "direct_quote", [Span(q.start, q.end)], source, cue, lemma, content, q.paragraph, confidence, [qi]
    )


def _extend(draft: Draft, q: Quotation, qi: int, content: list[Token], doc: Doc) -> None:
    """Add a quotation to a claim: a further part of a direct quote, or, when it continues reported
    words in the same sentence ('terming the move "contrary to ..."'), the quoted end of a mixed quote."""
    last = draft.spans[-1]
    if draft.type == "indirect_quote" and q.end <= draft.spans[0].start:
        # `"A," she said, drawing applause`: the words after the cue were not what she said; A was
        draft.type, draft.spans, draft.quotes = "direct_quote", [Span(q.start, q.end)], [qi]
        draft.content = content
        return
    between = text_of(doc)[last.end : q.start]
    if draft.type != "direct_quote" and "\n" not in between and len(between.split()) <= MAX_GAP_WORDS:
        end = q.end + 1 if text_of(doc)[q.end : q.end + 1] in QUOTE_MARKS else q.end
        draft.type = "mixed_quote"
        draft.spans[-1] = Span(last.start, max(end, last.end))
    else:
        draft.type = "direct_quote" if draft.type == "indirect_quote" else draft.type
        draft.spans.append(Span(q.start, q.end))
        draft.spans.sort(key=lambda s: s.start)
    draft.content = sorted({*draft.content, *content}, key=lambda t: t.i)
    draft.quotes.append(qi)


def _colon_speaker(doc: Doc, q: Quotation, index: EntityIndex) -> tuple[Token, Source] | None:
    """`Zielinski put it bluntly: "..."`, `The message from the union was simple: "..."`: a sentence that
    ends in a colon before a quotation introduces it, and its subject (or a document's author) speaks."""
    before = text_of(doc)[: q.start].rstrip(" \t\n" + QUOTE_MARKS)
    if not before.endswith(":"):
        return None
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None:
        return None
    root = sentence_of(colon[0]).root
    if root.pos_ not in ("VERB", "AUX") or cue_lemma(root) is not None:
        return None
    source = speaker_of(root, index)
    named = source is not None and (source.entity is not None or source.type == "person")
    return (root, source) if named and source is not None else None


def _previous_quote_claim(drafts: list[Draft], q: Quotation, quotations: list[Quotation]) -> Draft | None:
    """An attributed quotation earlier in the same paragraph: `"A," she said. "B."`."""
    same = [
        d
        for d in drafts
        if d.quotes
        and quotations[d.quotes[-1]].paragraph == q.paragraph
        and quotations[d.quotes[-1]].end <= q.start
        and d.type == "direct_quote"
    ]
    return same[-1] if same else None


def _opens_paragraph(doc: Doc, q: Quotation) -> bool:
    line_start = text_of(doc).rfind("\n", 0, q.start) + 1
    return text_of(doc)[line_start : q.start].strip(" \t" + QUOTE_MARKS) == ""


def _nearest_cue(
    doc: Doc, q: Quotation, quotations: list[Quotation], index: EntityIndex
) -> tuple[Token, Source] | None:
    """The closest reporting verb outside quotation marks in the sentences the quotation touches."""
    first = doc.char_span(q.start, q.end, alignment_mode="expand")
    if first is None:
        return None
    sentences = {
        sentence_of(first[0]).start: sentence_of(first[0]),
        sentence_of(first[-1]).start: sentence_of(first[-1]),
    }
    after = first[-1].i + 1
    while after < len(doc) and (doc[after].is_punct or doc[after].is_space) and after - first[-1].i < 4:
        after += 1
    if after < len(doc):
        sentences.setdefault(sentence_of(doc[after]).start, sentence_of(doc[after]))
    before = first[0].i - 1
    while before >= 0 and doc[before].is_punct and first[0].i - before < 3:
        before -= 1
    if before >= 0 and doc[before + 1 : first[0].i].text.strip(QUOTE_MARKS + " ").endswith(":"):
        sentences.setdefault(sentence_of(doc[before]).start, sentence_of(doc[before]))
    inside = [(x.start, x.end) for x in quotations]
    cues = [
        t
        for s in sentences.values()
        for t in s
        if cue_lemma(t) is not None
        and not any(a <= t.idx < b for a, b in inside)
        and text_of(doc).count("\n", min(t.idx, q.start), max(t.idx, q.start)) == 0
    ]
    # Nearest first, and only until one has a speaker: resolving a pronoun fixes its antecedent's gender,
    # so a cue that is not chosen must not be resolved.
    for cue in sorted(cues, key=lambda t: min(abs(t.idx - q.start), abs(t.idx - q.end))):
        source = speaker_of(cue, index)
        if source is not None:
            return cue, source
    return None
