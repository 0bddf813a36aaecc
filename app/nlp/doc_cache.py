"""Per-document lookups in constant time.

spaCy's `Doc.text`, `Doc.ents` and `Token.sent` rebuild their answer on every call, which made long
articles quadratic; each is computed once per document here and kept in `Doc.user_data`.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np
from spacy.attrs import IDX
from spacy.tokens import Doc, Span, Token

_SENTENCES = "claim_sentences"
_TEXT = "claim_text"
_ENTS = "claim_ents"
_BREAKS = "claim_line_breaks"
NEWLINE = re.compile("\n")


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
    """How many line breaks come before the token: its paragraph's number (found from the text's
    line breaks, without walking every token)."""
    doc: Doc = token.doc
    breaks: list[int] | None = doc.user_data.get(_BREAKS)
    if breaks is None:
        text = text_of(doc)
        newlines = [m.start() for m in NEWLINE.finditer(text)]
        starts = doc.to_array(IDX)  # a token holds the line break in its text or its trailing space
        breaks = sorted({int(i) for i in np.searchsorted(starts, newlines, side="right") - 1})
        doc.user_data[_BREAKS] = breaks
    return bisect_left(breaks, token.i)
