"""Searching claim texts by words (`q`): whole words or their beginnings, all required, best match first.

Hand-built claims pin the meaning: which claims a `q` finds, in which order, and that no text a user
can type reaches the database as search syntax.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from app.services import articles
from app.services.claims import ClaimFilter, query_claims
from tests.builders import article, claim, extraction, speaker

ASIF = speaker("Khawaja Asif")

# Claim texts by label, in the order they are stored: three in an older article, three in a newer one.
OLDER = {
    "opens": "the bridge will open in May",
    "nearby": "do not go near the river or the bridge and stay home",
    "bridges": "the bridge, the bridge and again the bridge: bridges everywhere",
}
NEWER = {
    "covid": "COVID-19 cases rose 3.5% in Café Lahore, says www.example.com",
    "tokyo": "東京 is far from the Straße",
    "opens again": "the bridge will open in May",
}


@pytest.fixture
def stored(session: Session) -> dict[str, int]:
    """Both articles; returns claim ids by label."""
    ids: dict[str, int] = {}
    for name, texts in (("older", OLDER), ("newer", NEWER)):
        found = extraction(*(claim(text, ASIF) for text in texts.values()))
        row = articles.store_article(session, article(name), found, "p").article
        ids |= dict(zip(texts, [c.id for c in row.claims], strict=True))
    session.commit()
    return ids


@pytest.fixture
def found(session: Session, stored: dict[str, int]) -> Callable[..., list[str]]:
    """The labels of the claims a `q` finds, in the order they come (optionally one page of them)."""
    labels = {claim_id: label for label, claim_id in stored.items()}

    def search(q: str, limit: int = 100, offset: int = 0) -> list[str]:
        rows, total = query_claims(session, ClaimFilter(q=q), limit=limit, offset=offset)
        assert total >= len(rows) and (offset > 0 or total == len(rows) or len(rows) == limit)
        return [labels[row.id] for row in rows]

    return search


Found = Callable[..., list[str]]


def test_the_claim_with_the_words_more_often_comes_first_and_equals_newest_article_first(
    found: Found,
) -> None:
    assert found("")[:3] == ["covid", "tokyo", "opens again"]  # no words: newest article first

    bridge = found("bridge")

    assert bridge[0] == "bridges"  # "bridge" three times (and "bridges"), though stored last of all
    assert sorted(bridge) == sorted(["bridges", "opens", "opens again", "nearby"])
    assert found("open may") == ["opens again", "opens"]  # the same text in both articles: newest first
    assert found("bridge", limit=2) + found("bridge", limit=2, offset=2) == bridge  # pages split one order


def test_every_word_must_begin_a_word_of_the_claim_in_any_case(found: Found) -> None:
    assert found("BRIDGE MAY") == ["opens again", "opens"]
    assert found("brid") == found("bridge")  # a word's beginning finds it ...
    assert found("ridge") == []  # ... but not its middle (LIKE '%ridge%' found "bridge")
    assert found("bridge zebra") == []
    assert found("café") == found("CAFÉ") == ["covid"]
    assert found("cafe") == []  # accents count, on both databases
    assert found("東京") == found("STRAßE") == ["tokyo"]


def test_punctuation_separates_words_in_claims_and_in_q_alike(found: Found) -> None:
    for q in (
        "covid 19",
        "COVID-19",
        "(covid) 19!",
        "19",
        "3.5",
        "3 5%",
        "example.com",
        "www:example",
        "says.",
    ):
        assert found(q) == ["covid"], q


def test_q_without_a_word_finds_nothing_and_a_blank_q_is_no_filter(found: Found) -> None:
    assert found("?!") == found("%") == found("_") == []
    assert len(found("   ")) == len(OLDER) + len(NEWER)


# The search syntax of FTS5 and tsquery, quoting, and odd Unicode around the one word "bridge": each q
# is that word alone, whatever the database's query language would make of the rest.
SYNTAX_AROUND_BRIDGE = [
    '"bridge',
    '"bridge"',
    "'bridge'",
    "bridge'",
    "bridge''",
    "bridge*",
    "*bridge",
    "bridge:*",
    "bridge:",
    "-bridge",
    "!bridge",
    "bridge!",
    "(bridge)",
    "((bridge",
    "bridge)",
    "{bridge}",
    "[bridge]",
    "^bridge",
    "bridge & | !",
    "<->bridge<->",
    "bridge\\",
    "\\'bridge",
    "bridge + + +",
    "bridge\u200b",
    "bridge\u00a0\u2014\u2019",
    "\U0001f600bridge\U0001f600",
    "bridge%",
    "_bridge_",
]


@pytest.mark.parametrize("q", SYNTAX_AROUND_BRIDGE)
def test_search_syntax_in_q_only_separates_words(found: Found, q: str) -> None:
    assert found(q) == found("bridge") != []


@pytest.mark.parametrize(
    "q", ['"', "*", "-", ":", "(", ")", "'", "\\", "&|!", "<->", "^", "\u200b", "\u0301", "''", '""']
)
def test_search_syntax_alone_finds_nothing(found: Found, q: str) -> None:
    assert found(q) == []


def test_query_language_keywords_are_words(found: Found) -> None:
    assert found("NOT NEAR OR AND") == ["nearby"]
    assert found("NEAR(river bridge)") == ["nearby"]
    assert found("text:bridge") == found("claims_fts:bridge") == []  # no claim has "text" or "fts"


def test_a_deleted_claims_words_do_not_find_the_claim_stored_after_it(session: Session) -> None:
    """SQLite gives a new row the largest id plus one: the id of a claim just deleted, if it was the last."""
    gone = articles.store_article(session, article("gone"), extraction(claim("the bridge opens", ASIF)), "p")
    session.commit()
    assert articles.delete_article(session, gone.article.id)
    session.commit()
    new = articles.store_article(session, article("new"), extraction(claim("rivers flood", ASIF)), "p")
    session.commit()

    assert query_claims(session, ClaimFilter(q="bridge"), limit=10, offset=0) == ([], 0)
    rows, _ = query_claims(session, ClaimFilter(q="rivers"), limit=10, offset=0)
    assert [row.id for row in rows] == [c.id for c in new.article.claims]
