"""The claim pipeline as registered spaCy components, added on top of an English model.

Order: `claim_paragraphs` (before the parser: a paragraph break always ends a sentence),
then after the model's own components `claim_quotations` -> `claim_entities` -> `claim_attribution`
-> `claim_targets` -> `claim_dates`. Each reads what the earlier ones left on `Doc._` and adds its own.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from app.nlp.assembly import Draft, assemble
from app.nlp.attribution import find_attributions, governing_cue
from app.nlp.dates import is_past_perfect, publication_date, resolve_expression, time_expressions
from app.nlp.entities import build_index
from app.nlp.lexicon import countries
from app.nlp.quotes import find_quotations
from app.nlp.stance import targets_of
from app.nlp.types import StatementDate

EXTENSIONS: dict[str, Any] = {
    "published_hint": None,  # set by the caller: the request's publication date
    "published_at": None,
    "published_at_source": None,
    "quotations": None,
    "entity_index": None,
    "drafts": None,
    "targets": None,
    "dates": None,
}
GOVERNMENT_WORDS = re.compile(
    r"\b(minist\w*|spokes\w*|foreign office|government|ambassador|president|"
    r"prime minister|official|embassy|envoy)\b",
    re.I,
)
_DATELINE = re.compile(r"^\s*([A-Z][A-Z .'\-]{2,30})(?:,[^:\n]{0,40})?\s*(?::|\u2014|\u2013| - )")


def register_extensions() -> None:
    """Declare the `Doc._` attributes the components use (once per process)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


@Language.component("claim_paragraphs")
def claim_paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, bylines and list items have no full stop."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc


@Language.component("claim_quotations", assigns=["doc._.quotations"])
def claim_quotations(doc: Doc) -> Doc:
    """Find the quotations of the raw text."""
    doc._.quotations = find_quotations(doc.text)
    return doc


@Language.component("claim_entities", requires=["doc.ents"], assigns=["doc._.entity_index"])
def claim_entities(doc: Doc) -> Doc:
    """Group named mentions into the article's entities."""
    doc._.entity_index = build_index(doc)
    return doc


@Language.component("claim_attribution", assigns=["doc._.drafts"])
def claim_attribution(doc: Doc) -> Doc:
    """Find every attributed statement, quoted or reported."""
    quotations = doc._.quotations
    quoted = {t.i for q in quotations for t in (doc.char_span(q.start, q.end, alignment_mode="expand") or [])}
    paragraph_of: dict[int, int] = {}
    paragraph = 0
    for token in doc:
        paragraph_of[token.i] = paragraph
        if "\n" in token.text_with_ws:
            paragraph += 1
    attributions = find_attributions(doc, doc._.entity_index, quoted)
    doc._.drafts = assemble(doc, attributions, quotations, doc._.entity_index, paragraph_of)
    return doc


@Language.component("claim_targets", assigns=["doc._.targets"])
def claim_targets(doc: Doc) -> Doc:
    """The entities each claim is about, with the speaker's stance toward them."""
    index = doc._.entity_index
    home = _home_country(doc)
    found = []
    for draft in doc._.drafts:
        excluded = _speaker_side(draft, index, home)
        found.append(targets_of(draft.content, index, excluded, draft.lemma, draft.cue[0]))
    doc._.targets = found
    return doc


@Language.component("claim_dates", assigns=["doc._.published_at", "doc._.dates"])
def claim_dates(doc: Doc) -> Doc:
    """The publication date, then the day of each statement."""
    hint = doc._.published_hint
    published = hint or publication_date(doc.text)
    doc._.published_at = published
    doc._.published_at_source = "request" if hint else "text" if published else None
    dates: list[StatementDate] = []
    for i, draft in enumerate(doc._.drafts):
        dates.append(_statement_date(doc, i, draft, published, dates))
    doc._.dates = dates
    return doc


def _statement_date(
    doc: Doc, i: int, draft: Draft, published: dt.date | None, earlier: list[StatementDate]
) -> StatementDate:
    content = {t.i for t in draft.content}
    quoted = [(s.start, s.end) for s in draft.spans]
    sentence = draft.cue[0].sent
    outside = [t for t in sentence if t.i not in content and not any(a <= t.idx < b for a, b in quoted)]
    for expression in time_expressions(outside):
        resolved = resolve_expression(expression, published)
        if resolved is not None:
            return resolved
    if is_past_perfect(draft.cue[0], governing_cue(draft.cue[0])):
        return _neighbour_date(doc, i, draft, earlier)
    if re.search(r"\bthe same\b", " ".join(t.lower_ for t in outside)) and earlier and earlier[-1].value:
        previous = earlier[-1]
        return StatementDate(previous.value, previous.text, "relative")
    return StatementDate(published, None, "published") if published else StatementDate(None, None, None)


def _neighbour_date(doc: Doc, i: int, draft: Draft, earlier: list[StatementDate]) -> StatementDate:
    """A past-perfect statement takes the date of the same speaker's next statement, if that one is dated."""
    drafts: list[Draft] = doc._.drafts
    for other in drafts[i + 1 : i + 3]:
        if other.source.name == draft.source.name and other.paragraph - draft.paragraph <= 1:
            content = {t.i for t in other.content}
            sentence = other.cue[0].sent
            outside = [t for t in sentence if t.i not in content]
            for expression in time_expressions(outside):
                resolved = resolve_expression(expression, doc._.published_at)
                if resolved is not None and resolved.value is not None:
                    return resolved
    return StatementDate(None, None, None)


def _home_country(doc: Doc) -> str | None:
    """The country of the dateline ("ISLAMABAD:"): the government its officials speak for."""
    for line in doc.text.splitlines()[:30]:
        match = _DATELINE.match(line)
        if match:
            country = countries().get(match.group(1).strip().lower())
            if country is not None:
                return country.name
    return None


def _speaker_side(draft: Draft, index: Any, home: str | None) -> set[int]:
    """The speaker and whoever it speaks for: what a group's own name holds ("US lawmakers"), the
    organisation in its role ("PTI leader"), a country in a government role ("Pakistani Foreign
    Minister"), or the dateline's country for officials."""
    source = draft.source
    excluded: set[int] = set()
    if source.entity is not None:
        excluded.add(source.entity.key)
    label = " ".join(filter(None, [source.role, source.name, source.mention]))
    governing = bool(GOVERNMENT_WORDS.search(label))
    own_name = source.name if source.type in ("group", "organization") else ""
    for entity in index.entities:
        aliases = [a for a in entity.aliases if len(a) > 1]
        in_name = any(re.search(rf"\b{re.escape(alias)}\b", own_name) for alias in aliases)
        in_label = any(re.search(rf"\b{re.escape(alias)}\b", label) for alias in aliases)
        if in_name or (in_label and entity.type != "person" and (entity.type != "location" or governing)):
            excluded.add(entity.key)
    if home and governing:
        country = index.find(home)
        if country is not None:
            excluded.add(country.key)
    return excluded


def add_claim_components(nlp: Language) -> Language:
    """Add the claim components to a loaded English pipeline."""
    register_extensions()
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("claim_paragraphs", before="parser")
    for name in ("claim_quotations", "claim_entities", "claim_attribution", "claim_targets", "claim_dates"):
        nlp.add_pipe(name, last=True)
    return nlp
