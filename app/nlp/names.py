"""Names and titles as written: a mention's name without honorifics or possessive, the title words
before a name, and the noun phrase that describes someone ("a Washington-based expert")."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from spacy.tokens import Span, Token

from app.nlp.lexicon import countries, sources

_CLEAN_NAMES = "claim_clean_names"  # Doc.user_data key


@lru_cache(maxsize=65536)  # pure, and asked for the same few roles at every title of an article
def role_words(role: str) -> tuple[str, ...]:
    """The role's words, lower-cased."""
    return tuple(re.findall(r"[^\W_]+", role.lower()))


def clean_name(span: Span) -> tuple[str, str | None]:
    """A mention's name without article, possessive, stray marks and honorifics; and a gender if one shows
    (once per span of a document: the entities ask for each name two or three times)."""
    known: dict[tuple[int, int], tuple[str, str | None]] = span.doc.user_data.setdefault(_CLEAN_NAMES, {})
    key = (span.start, span.end)
    if key not in known:
        known[key] = _clean_name(span)
    return known[key]


def _clean_name(span: Span) -> tuple[str, str | None]:
    honorifics, words = sources().honorifics, list(span)
    gender = None
    prev = span.doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_.rstrip(".") in sources().female:
        gender = "f"
    elif prev is not None and prev.lower_.rstrip(".") in sources().male:
        gender = "m"
    while words and (words[0].lower_ in {"the", "a", "an"} or words[0].lower_.rstrip(".") in honorifics):
        if words[0].lower_.rstrip(".") in sources().female:
            gender = "f"
        elif words[0].lower_.rstrip(".") in sources().male:
            gender = "m"
        words = words[1:]
    while words and (words[-1].tag_ == "POS" or words[-1].is_punct):
        words = words[:-1]
    return _joined(words).strip().rstrip("\u2019'"), gender


def _joined(words: list[Token]) -> str:
    """The words as written, without an editor's brackets ("[Russian President Vladimir] Putin" names
    Vladimir Putin): where a bracket stood before a space, the space stays."""
    text = ""
    spaced = False
    for token in words:
        if token.text in ("[", "]"):
            spaced = spaced or bool(token.whitespace_)
            continue
        if spaced and text and not text.endswith(" "):
            text += " "
        text += token.text_with_ws
        spaced = False
    return text


def without_leading_titles(ent: Span) -> Span:
    """`Spokesperson Mumtaz Zahra Baloch` tagged as one name: the title is a role, not part of the name;
    `Councillor Anna Price` tagged as an organisation is a person so titled."""
    start = ent.start
    while start < ent.end - 1 and ent.doc[start].lower_.rstrip(".") in _titles_or_honorifics():
        start += 1
    if ent.label_ == "PERSON":
        return Span(ent.doc, start, ent.end, label=ent.label_)
    rest = ent.doc[start : ent.end]
    if ent.label_ == "ORG" and start > ent.start and len(rest) >= 2 and all(t.pos_ == "PROPN" for t in rest):
        return Span(ent.doc, start, ent.end, label="PERSON")
    return ent


def person_by_title(ent: Span) -> Span:
    """`Opposition lawmaker Charity Ngilu`: a name after a title is a person's, whatever the tagger said,
    and the capitalised words before it that the tagger left out are part of it."""
    if ent.label_ == "PERSON" or not len(ent) or countries().get(ent.text.lower()) is not None:
        return ent
    doc, lex, start = ent.doc, sources(), _left_edge(ent)
    title = doc[start - 1] if start > 0 else None
    if title is None or title.lower_ not in lex.titles:
        return ent
    if title.head.i not in range(start, ent.end) and not (
        ent.root.dep_ == "appos" and ent.root.head == title
    ):
        return ent
    return Span(doc, start, ent.end, label="PERSON")


def with_given_names(ent: Span) -> Span:
    """`Tomasz Kowalczyk` tagged as just `Kowalczyk`: the capitalised names before a person's name that
    the tagger left out are part of it."""
    if ent.label_ != "PERSON":
        return ent
    start = _left_edge(ent)
    return ent if start == ent.start else Span(ent.doc, start, ent.end, label="PERSON")


def _left_edge(ent: Span) -> int:
    """Where a name starts once the untagged proper nouns that modify it are taken in (titles are not)."""
    doc, start = ent.doc, ent.start
    while (
        start > 0
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].text[:1].isupper()
        and not doc[start - 1].ent_type_
        and doc[start - 1].head.i in range(start, ent.end)
        and doc[start - 1].lower_.rstrip(".") not in _titles_or_honorifics()
    ):
        start -= 1
    return start


@cache
def _titles_or_honorifics() -> frozenset[str]:
    """Words that stand before a name without being part of it (made once, not at every word)."""
    return sources().titles | sources().honorifics


def role_phrase(head: Token) -> str:
    """A noun phrase without its determiner, relative clauses and trailing punctuation."""
    drop = {"relcl", "acl", "appos", "punct", "advcl"}
    tokens = sorted(_subtree_without(head, drop), key=lambda t: t.i)
    while tokens and tokens[0].dep_ in ("det", "punct") and tokens[0].lower_ in {"a", "an", "the", ","}:
        tokens = tokens[1:]
    if not tokens:
        return ""
    doc = head.doc
    return doc[tokens[0].i : tokens[-1].i + 1].text.strip(" ,")


def _subtree_without(head: Token, drop: set[str]) -> list[Token]:
    kept = [head]
    for child in head.children:
        if child.dep_ not in drop:
            kept.extend(_subtree_without(child, drop))
    return kept


def person_by_apposition(ent: Span) -> Span:
    """`Tomasz Wrona, an energy analyst at ...`, with only "Wrona" tagged, as an organisation: a name that
    a title stands beside in apposition is a person's, the capitalised words before it included."""
    if ent.label_ not in ("ORG", "GPE") or countries().get(ent.text.lower()) is not None:
        return ent
    lex = sources()
    titled = any(c.dep_ == "appos" and c.lemma_.lower() in lex.titles for c in ent.root.children)
    if not titled:
        return ent
    return Span(ent.doc, _left_edge(ent), ent.end, label="PERSON")
