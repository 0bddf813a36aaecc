"""Per-document lookups in constant time.

spaCy's `Doc.text`, `Doc.ents` and `Token.sent` rebuild their answer on every call, which made long
articles quadratic; each is computed once per document here and kept in `Doc.user_data`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from app.nlp.paragraphs import paragraph_at, paragraph_spans

_SENTENCES = "claim_sentences"
_TEXT = "claim_text"
_ENTS = "claim_ents"
_PARAGRAPHS = "claim_paragraph_starts"


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
