"""Per-document lookups in constant time.

spaCy's `Doc.text`, `Doc.ents` and `Token.sent` rebuild their answer on every call, which made long
articles quadratic; each is computed once per document here and kept in `Doc.user_data`. So is a table
of every word's attributes as plain Python values, for the rules that read each word of a claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, HEAD, IS_STOP, LEMMA, LOWER, POS
from spacy.tokens import Doc, Span, Token

from app.nlp.paragraphs import paragraph_at, paragraph_spans

_SENTENCES = "claim_sentences"
_TEXT = "claim_text"
_ENTS = "claim_ents"
_PARAGRAPHS = "claim_paragraph_starts"
_TABLE = "claim_token_table"


@dataclass(frozen=True, slots=True)
class TokenTable:
    """A document's words by index, as plain values: reading `Token.lemma_` or `Token.head` makes a new
    object and looks a string up on every access, ten times the cost of a list's item."""

    lower: list[str]
    lemma: list[str]  # lower-cased
    pos: list[str]
    dep: list[str]
    head: list[int]  # the head's index (a root is its own head)
    stop: list[bool]


def token_table(doc: Doc) -> TokenTable:
    """The document's token table, built once from one `Doc.to_array`."""
    table: TokenTable | None = doc.user_data.get(_TABLE)
    if table is None or len(table.head) != len(doc):
        array = doc.to_array([LOWER, LEMMA, POS, DEP, IS_STOP, HEAD])
        # each distinct string is looked up once, and numpy spreads it over the words
        hashes, where = np.unique(array[:, :4], return_inverse=True)
        where = where.reshape(-1, 4)
        strings = [doc.vocab.strings[h] for h in hashes.tolist()]
        lowers, _, tags, deps = np.array(strings, dtype=object)[where].T.tolist()
        lemmas = np.array([s.lower() for s in strings], dtype=object)[where[:, 1]].tolist()
        heads = array[:, 5].astype(np.int64) + np.arange(len(doc))  # relative to the token, stored unsigned
        table = doc.user_data[_TABLE] = TokenTable(
            lower=lowers,
            lemma=lemmas,
            pos=tags,
            dep=deps,
            head=heads.tolist(),
            stop=array[:, 4].astype(bool).tolist(),
        )
    return table


def sentence_of(token: Token) -> Span:
    """The sentence that holds `token`."""
    doc: Doc = token.doc
    table = doc.user_data.get(_SENTENCES)
    if table is None or len(table) != len(doc):
        table = [None] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                table[i] = sent
        doc.user_data[_SENTENCES] = table
    found: Span = table[token.i]
    return found


def text_of(doc: Doc) -> str:
    """The document's text."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT] = text
    return str(text)


def entities_of(doc: Doc) -> tuple[Span, ...]:
    """The document's named entities (the `Doc.ents` property builds new spans on every access)."""
    ents = doc.user_data.get(_ENTS)
    if ents is None:
        ents = tuple(doc.ents)
        doc.user_data[_ENTS] = ents
    return tuple(ents)


def paragraph_of(token: Token) -> int:
    """The number of the paragraph that holds the token (`paragraphs.py`)."""
    doc: Doc = token.doc
    starts: list[int] | None = doc.user_data.get(_PARAGRAPHS)
    if starts is None:
        starts = doc.user_data[_PARAGRAPHS] = [start for start, _ in paragraph_spans(text_of(doc))]
    return paragraph_at(starts, token.idx)
