"""Find reported speech: each reporting cue with its speaker and its content (see `content`).

The speaker is the cue's subject, a passive agent ("it was stated by X"), the subject a coordinated
verb shares, or for a participle ("..., adding that ...") the speaker of the cue it hangs from.
"According to X" reports the rest of its sentence. A cue inside another claim's content is part of
that content, unless it is a speech act of its own (a participle, "which experts say").
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from app.nlp.content import (
    MIN_CONTENT_WORDS,
    PARTICIPLE_DEPS,
    content_of,
    inverted_subject,
    misplaced_conjunct,
    separate_speech,
    trim,
)
from app.nlp.cues import cue_lemma, is_question
from app.nlp.doc_cache import sentence_of
from app.nlp.entities import EntityIndex
from app.nlp.lexicon import sources
from app.nlp.sources import Source, is_age, resolve


@dataclass
class Attribution:
    """A cue with its speaker and content tokens; quotes and dates are settled later."""

    cue: list[Token]
    lemma: str
    source: Source
    content: list[Token]
    separate: bool = False  # its own speech act even inside another claim's content

    @property
    def start(self) -> int:
        """Character offset where the content begins."""
        return self.content[0].idx

    @property
    def end(self) -> int:
        """Character offset where the content ends."""
        last = self.content[-1]
        return last.idx + len(last.text)


def find_attributions(doc: Doc, index: EntityIndex, quoted: set[int]) -> list[Attribution]:
    """All reported-speech attributions of a document, cues inside quotations excluded."""
    found: list[Attribution] = []
    for sentence in doc.sents:
        for token in sentence:
            if token.i in quoted:
                continue
            attribution = _according_to(token, index) or _from_verb(token, index)
            if attribution is not None:
                found.append(attribution)
                index.record_speaker(token.i, attribution.source.entity)
    return _drop_nested(found)


def _from_verb(token: Token, index: EntityIndex) -> Attribution | None:
    lemma = cue_lemma(token)
    if lemma is None or is_question(token, lemma):
        return None
    source = speaker_of(token, index)
    if source is None:
        return None
    content = content_of(token, lemma)
    if content is None:
        return None
    cue = [token, *[c for c in token.children if c.dep_ in ("prt", "prep") and f" {c.lower_}" in lemma]]
    return Attribution(cue, lemma, source, content, separate_speech(token))


def _according_to(token: Token, index: EntityIndex) -> Attribution | None:
    if token.lower_ != "according":
        return None
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None:
        return None
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    source = resolve(pobj, index)
    if source is None:
        return None
    root = sentence_of(token).root
    skip = {t.i for t in token.subtree}
    content = trim([t for t in root.subtree if t.i not in skip])
    if len([t for t in content if t.is_alpha]) < MIN_CONTENT_WORDS:
        return None
    return Attribution([token, to], "according to", source, content)


def speaker_of(verb: Token, index: EntityIndex) -> Source | None:
    """The source of a reporting verb: its subject, a passive agent, or the subject it shares."""
    for child in verb.children:
        if child.dep_ == "nsubj" or (child.dep_ == "amod" and child.i < verb.i and is_age(child)):
            return resolve(child, index)  # an age: "The 21-year-old added", parsed as an adjective
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            return resolve(pobj, index) if pobj is not None else None
    inverted = inverted_subject(verb)
    if inverted is not None:
        return resolve(inverted, index)
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        outer = governing_cue(verb) if misplaced_conjunct(verb) else None
        return speaker_of(outer or verb.head, index)
    if verb.dep_ in PARTICIPLE_DEPS and verb.tag_ in ("VBG", "VBN"):
        return _participle_speaker(verb, index)
    return None


def governing_cue(verb: Token) -> Token | None:
    """The outermost reporting verb above a participle cue: `said` in "X said A, adding B", even when
    the parser hangs `adding` inside A."""
    reporting = [a for a in verb.ancestors if cue_lemma(a) is not None]
    return reporting[-1] if reporting else None


def _participle_speaker(verb: Token, index: EntityIndex) -> Source | None:
    """`X said A, adding that B`; `the lawmakers' letter seeking ...`; `Pakistan's reaction, terming ...`."""
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        # "the reaction to the lawmakers' letter ... seeking": the document nearest the participle seeks
        between = verb.doc[verb.head.i + 1 : verb.i]
        documents = [
            t
            for t in reversed(between)
            if t.lemma_.lower() in sources().documents and "," not in verb.doc[t.i : verb.i].text
        ]
        owners = [*documents, verb.head, *(c for c in verb.head.children if c.dep_ == "poss")]
        for owner in owners:  # the letter (its author), or whose reaction it was
            source = resolve(owner, index)
            if source is not None:
                return source
    outer = governing_cue(verb)
    source = speaker_of(outer, index) if outer is not None else None
    if source is not None:
        return source
    fallback = None
    for ancestor in verb.ancestors:
        for child in ancestor.children:
            if child.dep_ in ("nsubj", "poss"):
                source = resolve(child, index)
                if source is not None and (source.entity is not None or source.method != "document"):
                    return source
                fallback = fallback or source
    return _owner_to_the_left(verb, index) or fallback


def _owner_to_the_left(verb: Token, index: EntityIndex) -> Source | None:
    """`... after Pakistan's strong reaction to the letter, terming the move ...`: the nearest named
    possessor or subject before the participle in its sentence."""
    for token in reversed(list(sentence_of(verb))[: verb.i - sentence_of(verb).start]):
        if token.dep_ in ("poss", "nsubj") and index.at(token) is not None:
            return resolve(token, index)
    return None


def _drop_nested(found: list[Attribution]) -> list[Attribution]:
    """A cue inside another claim's content belongs to that content ("says he blames ...").

    One sweep over the contents sorted by start, not every pair (a sentence of nested reports has as
    many contents as cues): for each prefix, the two furthest ends and whose the furthest is, so that
    a content around its own cue ("The plan, according to officials, works") does not count."""
    spans = sorted((b.start, b.end, n) for n, b in enumerate(found))
    starts = [start for start, _, _ in spans]
    reach: list[tuple[int, int, int]] = []  # furthest end, its attribution, the furthest end of any other
    for _, end, n in spans:
        best, owner, second = reach[-1] if reach else (-1, -1, -1)
        reach.append((end, n, best) if end > best else (best, owner, max(second, end)))

    def inside(n: int, a: Attribution) -> bool:
        before = bisect_right(starts, a.cue[0].idx)
        if not before:
            return False
        best, owner, second = reach[before - 1]
        return (second if owner == n else best) > a.cue[0].idx

    return [a for n, a in enumerate(found) if a.separate or not inside(n, a)]
