"""Claim queries on hand-built articles, so each filter's meaning is pinned down exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.services import articles
from app.services.claims import ClaimFilter, get_claim, query_claims
from tests.builders import article, claim, extraction, speaker, target

ASIF = speaker("Khawaja Asif", "the defence minister", "person", "Asif")
BALOCH = speaker("Mumtaz Zahra Baloch", "Baloch", "person", "Baloch")
US = ("United States", "Washington", "US")


@pytest.fixture
def stored(session: Session) -> dict[str, int]:
    """Two articles; returns claim ids by a short label."""
    first = extraction(
        claim(
            "ties with the US are 100% solid", BALOCH, target(US[0], "favor", *US[1:]), type_="direct_quote"
        ),
        claim(
            "Trump will not call for the release",
            ASIF,
            target("Donald Trump", "neutral", "Trump"),
            target(US[0], "against", "US"),
            date=dt.date(2024, 11, 6),
        ),
        claim("no discussion has taken place", ASIF, date=None),
    )
    second = extraction(
        claim("the US should stay out", ASIF, target(US[0], "neutral"), date=dt.date(2024, 10, 24))
    )
    one = articles.store_article(session, article("first"), first, "p").article
    two = articles.store_article(session, article("second"), second, "p").article
    session.commit()
    ids = [c.id for c in one.claims] + [c.id for c in two.claims]
    return dict(zip(["ties", "trump", "nodisc", "stayout", "a1", "a2"], [*ids, one.id, two.id], strict=True))


def _ids(session: Session, **where: object) -> list[int]:
    rows, total = query_claims(session, ClaimFilter(**where), limit=100, offset=0)  # type: ignore[arg-type]
    assert total == len(rows)
    return [row.id for row in rows]


def test_no_filter_lists_newest_article_first_then_article_order(
    session: Session, stored: dict[str, int]
) -> None:
    assert _ids(session) == [stored["stayout"], stored["ties"], stored["trump"], stored["nodisc"]]


def test_speaker_matches_name_or_any_alias_in_any_case(session: Session, stored: dict[str, int]) -> None:
    asif = [stored["stayout"], stored["trump"], stored["nodisc"]]
    assert _ids(session, speaker="ASIF") == asif
    assert _ids(session, speaker="khawaja asif") == asif
    assert _ids(session, speaker="The Defence Minister") == asif  # a mention seen in the text
    assert _ids(session, speaker="Khawaja") == []  # names match whole, not in part


def test_target_and_stance_must_hold_on_the_same_target(session: Session, stored: dict[str, int]) -> None:
    assert _ids(session, target="washington") == [stored["stayout"], stored["ties"], stored["trump"]]
    assert _ids(session, target="us", stance="against") == [stored["trump"]]
    assert (
        _ids(session, target="trump", stance="against") == []
    )  # Trump is neutral; the US is the one against
    assert _ids(session, stance="favor") == [stored["ties"]]


def test_type_date_article_filters(session: Session, stored: dict[str, int]) -> None:
    assert _ids(session, type="direct_quote") == [stored["ties"]]
    nov6, nov7 = dt.date(2024, 11, 6), dt.date(2024, 11, 7)
    assert _ids(session, date_from=nov6, date_to=nov6) == [stored["trump"]]  # both ends inclusive
    assert _ids(session, date_from=nov6) == [stored["ties"], stored["trump"]]  # undated claims never match
    assert _ids(session, date_to=nov6) == [stored["stayout"], stored["trump"]]
    assert _ids(session, date_from=nov7, date_to=nov7) == [stored["ties"]]
    assert _ids(session, article_id=stored["a2"]) == [stored["stayout"]]


def test_q_needs_every_word_to_begin_a_word_in_any_case_and_wildcards_only_separate(
    session: Session, stored: dict[str, int]
) -> None:
    assert _ids(session, q="US ties") == [stored["ties"]]
    # Words match words they begin, not their middle: "us" no longer finds "discussion" (full-text search).
    assert sorted(_ids(session, q="us")) == sorted([stored["stayout"], stored["ties"]])
    assert _ids(session, q="100%") == [stored["ties"]]
    assert _ids(session, q="_%") == []
    assert _ids(session, q="release RELEASE trump") == [stored["trump"]]


def test_filters_combine_and_pages_split_the_same_order(session: Session, stored: dict[str, int]) -> None:
    assert _ids(session, speaker="asif", target="us", date_from=dt.date(2024, 11, 1)) == [stored["trump"]]
    first, total = query_claims(session, ClaimFilter(), limit=3, offset=0)
    rest, _ = query_claims(session, ClaimFilter(), limit=3, offset=3)
    assert total == 4 and [c.id for c in first + rest] == _ids(session)


def test_get_claim(session: Session, stored: dict[str, int]) -> None:
    row = get_claim(session, stored["trump"])
    assert row is not None and row.speaker.name == "Khawaja Asif"
    assert [t.entity.name for t in row.targets] == ["Donald Trump", "United States"]
    assert get_claim(session, max(stored.values()) + 1000) is None


def test_speaker_and_target_match_a_role_the_entity_was_given(session: Session) -> None:
    minister = speaker("Ali Khan", "Khan", "person", role="Interior Minister")
    critic = speaker("Sara Malik", "Malik", "person", role="opposition leader")
    stored = articles.store_article(
        session,
        article("roles"),
        extraction(
            claim("the border is calm", minister),
            claim("the interior minister has misled parliament", critic, target("Ali Khan", "against")),
        ),
        "p",
    ).article
    session.commit()
    calm, misled = (c.id for c in stored.claims)

    assert _ids(session, speaker="interior  MINISTER") == [calm]  # any case, any spacing
    assert _ids(session, target="Interior Minister") == [misled]
    assert _ids(session, speaker="Opposition Leader") == [misled]
    assert _ids(session, speaker="minister") == []  # a whole role, not a word of one
