"""The claim pipeline as registered spaCy components, added on top of an English model.

Order: `claim_paragraphs` (before the parser: a paragraph break always ends a sentence),
then after the model's own components `claim_quotations` -> `claim_entities` -> `claim_attribution`
-> `claim_targets` -> `claim_dates`. Each reads what the earlier ones left on `Doc._` and adds its own.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from app.nlp.assembly import Draft, assemble
from app.nlp.attribution import find_attributions
from app.nlp.datelines import datelines
from app.nlp.dates import publication_date
from app.nlp.doc_cache import text_of
from app.nlp.entities import build_index
from app.nlp.lexicon import countries
from app.nlp.quotes import find_quotations
from app.nlp.statement_dates import statement_dates
from app.nlp.targets import targets_of

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
    r"prime minister|chancellor|premier|official|embassy|envoy)\b",
    re.I,
)


def register_extensions() -> None:
    """Declare the `Doc._` attributes the components use (once per process)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


@Language.component("claim_paragraphs")
def claim_paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence (headlines, bylines and list items have no full stop), and so does
    a dateline ("LONDON, March 14 (Reuters) -"), which would otherwise become the sentence's subject."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not token.is_space:
            token.is_sent_start = True
    for _, story_start in datelines(doc.text):
        first = doc.char_span(story_start, story_start + 1, alignment_mode="expand")
        if first is not None and first[0].i > 0:
            first[0].is_sent_start = True
    return doc


@Language.component("claim_quotations", assigns=["doc._.quotations"])
def claim_quotations(doc: Doc) -> Doc:
    """Find the quotations of the raw text."""
    doc._.quotations = find_quotations(text_of(doc))
    return doc


@Language.component("claim_entities", requires=["doc.ents"], assigns=["doc._.entity_index"])
def claim_entities(doc: Doc) -> Doc:
    """Group named mentions into the article's entities."""
    doc._.entity_index = build_index(doc, [(q.start, q.end) for q in doc._.quotations])
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
        found.append(targets_of(draft.content, index, excluded, draft.lemma, draft.cue[0], draft.source.name))
    doc._.targets = found
    return doc


@Language.component("claim_dates", assigns=["doc._.published_at", "doc._.dates"])
def claim_dates(doc: Doc) -> Doc:
    """The publication date, then the day of each statement."""
    hint = doc._.published_hint
    published = hint or publication_date(text_of(doc))
    doc._.published_at = published
    doc._.published_at_source = "request" if hint else "text" if published else None
    doc._.dates = statement_dates(doc, doc._.drafts, published)
    return doc


def _home_country(doc: Doc) -> str | None:
    """The country of the dateline ("ISLAMABAD:"): the government its officials speak for."""
    for place, _ in datelines(text_of(doc)):
        country = countries().get(place.lower())
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
