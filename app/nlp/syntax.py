"""Small questions put to a dependency parse, asked by several rules: which word heads a phrase, and
which conjunct carries a coordination's role."""

from __future__ import annotations

from spacy.tokens import Token


def phrase_head(tokens: list[Token]) -> Token:
    """The word the phrase's other words hang from ("Robert Mugabe" -> Mugabe)."""
    inside = {t.i for t in tokens}
    head = tokens[0]
    while head.head.i != head.i and head.head.i in inside:
        head = head.head
    return head


def first_conjunct(token: Token) -> Token:
    """The first of a coordination ("both Israel and the Palestinians"): its role is every conjunct's."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token
