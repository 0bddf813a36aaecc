"""The claim pipeline as registered spaCy components, added on top of an English model.

Order: `claim_paragraphs` (before the parser: a paragraph break always ends a sentence),
then after the model's own components `claim_quotations` -> `claim_entities` -> `claim_attribution`
-> `claim_targets` -> `claim_dates`. Each reads what the earlier ones left on `Doc._` and adds its own.
"""

from __future__ import annotations

import logging
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from app.nlp.assembly import assemble
from app.nlp.attribution import find_attributions
from app.nlp.datelines import datelines
from app.nlp.dates import publication_date
from app.nlp.doc_cache import text_of
from app.nlp.entities import build_index
from app.nlp.groups import add_common_nouns
from app.nlp.quotes import find_quotations
from app.nlp.statement_dates import statement_dates
from app.nlp.targets import TargetModels, consider, decide

logger = logging.getLogger(__name__)
# Far above any sentence of the annotated articles (the longest has 60 tokens).
MAX_SENTENCE_TOKENS = 200
SENTENCE_END = frozenset(".!?")
EXTENSIONS: dict[str, Any] = {
    "published_hint": None,  # set by the caller: the request's publication date
    "published_at": None,
    "published_at_source": None,
    "quotations": None,
    "entity_index": None,
    "claims": None,  # one `Draft` per claim, completed by each component in turn
}


def register_extensions() -> None:
    """Declare the `Doc._` attributes the components use (once per process)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


@Language.component("claim_paragraphs", assigns=["token.is_sent_start"])
def claim_paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence (headlines, bylines and list items have no full stop), and so does
    a dateline ("LONDON, March 14 (Reuters) -"), which would otherwise become the sentence's subject.

    No stretch of more than `MAX_SENTENCE_TOKENS` tokens without a full stop, question or exclamation
    mark is one sentence: the rules walk a sentence's parse once per cue, so one endless sentence ("the
    minister said that the minister said that ...") would be quadratic. Ordinary sentences, however
    long their paragraph, are left to the parser.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not token.is_space:
            token.is_sent_start = True
    for _, story_start in datelines(doc.text):
        first = doc.char_span(story_start, story_start + 1, alignment_mode="expand")
        if first is not None and first[0].i > 0:
            first[0].is_sent_start = True
    since_end = 0  # tokens since a sentence could last have ended (the parser has not run yet)
    for token in doc[1:]:
        ended = token.is_sent_start or doc[token.i - 1].text[-1:] in SENTENCE_END
        since_end = 0 if ended else since_end + 1
        if since_end >= MAX_SENTENCE_TOKENS:
            token.is_sent_start, since_end = True, 0
    return doc


@Language.component("claim_quotations", assigns=["doc._.quotations"])
def claim_quotations(doc: Doc) -> Doc:
    """Find the quotations of the raw text."""
    doc._.quotations = find_quotations(text_of(doc))
    return doc


@Language.component(
    "claim_entities", requires=["doc.ents", "doc._.quotations"], assigns=["doc._.entity_index"]
)
def claim_entities(doc: Doc) -> Doc:
    """Group named mentions into the article's entities."""
    quoted = [(q.start, q.end) for q in doc._.quotations]
    doc._.entity_index = build_index(doc, quoted)
    add_common_nouns(doc, doc._.entity_index, quoted)
    return doc


@Language.component(
    "claim_attribution",
    requires=["token.dep", "doc._.quotations", "doc._.entity_index"],
    assigns=["doc._.claims"],
)
def claim_attribution(doc: Doc) -> Doc:
    """Find every attributed statement, quoted or reported."""
    quotations = doc._.quotations
    quoted = {t.i for q in quotations for t in (doc.char_span(q.start, q.end, alignment_mode="expand") or [])}
    attributions = find_attributions(doc, doc._.entity_index, quoted)
    doc._.claims = assemble(doc, attributions, quotations, doc._.entity_index)
    return doc


class ClaimTargets:
    """The entities each claim is about, with the speaker's stance toward them (`targets.py`).

    `models` holds the two trained models; training swaps in its own to score a fold it held out."""

    def __init__(self, models: TargetModels) -> None:
        self.models = models

    def __call__(self, doc: Doc) -> Doc:
        for claim in doc._.claims:
            claim.considered = consider(doc, claim, doc._.entity_index)
            claim.targets = decide(claim.considered, self.models)
        return doc


@Language.factory(
    "claim_targets",
    requires=["doc._.claims", "doc._.entity_index"],
    assigns=["doc._.claims"],
)
def make_claim_targets(nlp: Language, name: str) -> ClaimTargets:
    """The target component with the models shipped in the package. The stance model weighs the
    context vectors of the pipeline it was trained on; with another one they mean nothing, so they are
    left out (with a warning) rather than read wrongly."""
    models = TargetModels.shipped()
    trained_on = (models.stance.meta or {}).get("spacy_model")
    pipeline = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}-{nlp.meta.get('version', '')}"
    if trained_on and trained_on != pipeline:
        logger.warning("stance model trained on %s, not %s: context vectors left out", trained_on, pipeline)
        models = models.without_vectors()
    return ClaimTargets(models)


@Language.component(
    "claim_dates",
    requires=["doc._.claims"],
    assigns=["doc._.published_at", "doc._.published_at_source", "doc._.claims"],
)
def claim_dates(doc: Doc) -> Doc:
    """The publication date, then the day of each statement."""
    hint = doc._.published_hint
    published = hint or publication_date(text_of(doc))
    doc._.published_at = published
    doc._.published_at_source = "request" if hint else "text" if published else None
    statement_dates(doc, doc._.claims, published)
    return doc


def add_claim_components(nlp: Language) -> Language:
    """Add the claim components to a loaded English pipeline."""
    register_extensions()
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("claim_paragraphs", before="parser")
    for name in ("claim_quotations", "claim_entities", "claim_attribution", "claim_targets", "claim_dates"):
        nlp.add_pipe(name, last=True)
    return nlp
