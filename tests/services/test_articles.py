"""Storing articles: one transaction, shared entities, idempotent per text, race-safe, clean deletes."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.models import Article, EntityAlias
from app.db.session import create_session_factory
from app.nlp.extractor import ClaimExtractor
from app.nlp.types import Claim
from app.services import articles
from tests.builders import article, claim, extraction, speaker, target
from tests.conftest import Racer, count_rows

PIPELINE = "test-pipeline"
BALOCH = speaker("Mumtaz Zahra Baloch", "She", "person", "Baloch", role="Foreign Office Spokesperson")


def _two_claims() -> tuple[Claim, Claim]:
    """Two claims by one speaker about the same target."""
    return (
        claim("ties with the US are old", BALOCH, target("United States", "favor", "Washington", "US")),
        claim(
            "talks will go on", speaker("Mumtaz Zahra Baloch", "Baloch"), target("United States", "neutral")
        ),
    )


def test_ingest_stores_article_claims_and_targets_in_order(session: Session) -> None:
    result = articles.store_article(
        session, article("text one", title="T"), extraction(*_two_claims()), PIPELINE
    )
    session.commit()

    assert result.created
    stored = articles.get_article(session, result.article.id)
    assert stored is not None
    assert stored.title == "T" and stored.pipeline_version == PIPELINE
    assert stored.content_sha256 == articles.content_sha256("text one")
    assert [c.text for c in stored.claims] == ["ties with the US are old", "talks will go on"]
    assert [c.speaker_mention for c in stored.claims] == ["She", "Baloch"]
    assert stored.claims[0].speaker_role == "Foreign Office Spokesperson"
    assert [(t.entity.name, t.stance, t.mention) for t in stored.claims[0].targets] == [
        ("United States", "favor", "Washington")
    ]


def test_entities_are_shared_across_articles_and_keep_every_alias(engine: Engine, session: Session) -> None:
    articles.store_article(session, article("first"), extraction(*_two_claims()), PIPELINE)
    other = claim("we value the US", speaker("mumtaz  zahra BALOCH", "the spokeswoman"))
    articles.store_article(session, article("second"), extraction(other), PIPELINE)
    session.commit()

    assert count_rows(engine, "entities") == 2  # the speaker (any spelling) and the United States
    keys = set(session.scalars(select(EntityAlias.alias_key)))
    assert {"mumtaz zahra baloch", "baloch", "the spokeswoman", "washington", "us", "united states"} <= keys
    assert "she" not in keys  # a pronoun would match every woman quoted anywhere


def test_same_text_twice_returns_the_stored_article(engine: Engine, session: Session) -> None:
    first = articles.store_article(session, article("same"), extraction(*_two_claims()), PIPELINE)
    session.commit()
    again = articles.store_article(session, article("same"), extraction(*_two_claims()), PIPELINE)
    session.commit()

    assert not again.created and again.article.id == first.article.id
    assert count_rows(engine, "articles") == 1 and count_rows(engine, "claims") == 2


def test_losing_a_race_returns_the_winner_and_leaves_the_session_usable(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = create_session_factory(engine)()
    won = articles.store_article(winner, article("raced"), extraction(*_two_claims()), PIPELINE)
    winner.commit()
    winner.close()
    real_lookup = articles.find_article_by_digest
    calls: list[str] = []

    def spied_lookup(session: Session, digest: str) -> Article | None:
        calls.append(digest)
        return real_lookup(session, digest)

    monkeypatch.setattr(articles, "find_article_by_digest", spied_lookup)
    lost = articles.store_article(session, article("raced"), extraction(*_two_claims()), PIPELINE)
    session.commit()

    assert len(calls) == 1  # no lookup first: the unique constraint tripped, then the stored row was read
    assert not lost.created and lost.article.id == won.article.id
    assert count_rows(engine, "articles") == 1 and count_rows(engine, "claims") == 2


def test_concurrent_ingests_of_one_text_store_it_once(backend: str, engine: Engine) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serializes writers with a database lock; the race needs row-level locking")
    factory = create_session_factory(engine)
    with factory() as first, factory() as second:
        articles.store_article(first, article("both"), extraction(*_two_claims()), PIPELINE)  # uncommitted
        racer = Racer(
            lambda: articles.store_article(second, article("both"), extraction(*_two_claims()), PIPELINE)
        )
        assert racer.blocked()  # waiting on the unique index until the first transaction ends
        first.commit()
        result = racer.result()
        second.commit()

    assert not result.created
    assert count_rows(engine, "articles") == 1 and count_rows(engine, "claims") == 2
    assert count_rows(engine, "entities") == 2


def test_failure_after_the_article_row_leaves_nothing(engine: Engine, session: Session) -> None:
    broken = dataclasses.replace(claim("x", BALOCH), confidence=1.5)  # violates a check constraint
    with pytest.raises(IntegrityError):
        articles.store_article(session, article("half"), extraction(broken), PIPELINE)
    session.rollback()

    assert count_rows(engine, "articles") == 0 and count_rows(engine, "claims") == 0


def test_delete_cascades_to_claims_and_targets_but_keeps_entities(engine: Engine, session: Session) -> None:
    stored = articles.store_article(session, article("doomed"), extraction(*_two_claims()), PIPELINE)
    session.commit()
    entities_before = count_rows(engine, "entities")

    assert articles.delete_article(session, stored.article.id)
    session.commit()

    assert count_rows(engine, "articles") == 0
    assert count_rows(engine, "claims") == 0 and count_rows(engine, "claim_targets") == 0
    assert count_rows(engine, "entities") == entities_before > 0
    assert not articles.delete_article(session, stored.article.id)


def test_list_articles_is_newest_first_and_paged(session: Session) -> None:
    ids = [
        articles.store_article(session, article(f"text {n}"), extraction(), PIPELINE).article.id
        for n in range(3)
    ]
    session.commit()

    page, total = articles.list_articles(session, limit=2, offset=0)
    rest, _ = articles.list_articles(session, limit=2, offset=2)

    assert total == 3
    assert [a.id for a in page + rest] == ids[::-1]


def test_storing_an_article_takes_a_few_statements_however_many_names_it_has(
    backend: str, engine: Engine, session: Session, claim_extractor: ClaimExtractor, seed_text: str
) -> None:
    result = claim_extractor.extract(seed_text, None)
    names = {c.speaker.name for c in result.claims} | {t.name for c in result.claims for t in c.targets}
    statements: list[str] = []

    def note(connection: object, cursor: object, statement: str, *rest: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        articles.store_article(session, article(seed_text), result, PIPELINE)
        session.flush()
    finally:
        event.remove(engine, "before_cursor_execute", note)

    entities = [s for s in statements if "entit" in s.split("(")[0]]
    # upserted together, read back together, then their aliases and the speakers' roles, each in one go
    assert len(names) >= 8 and len(entities) == 4
    if backend == "postgresql":  # the article (1), entities (4), claims, claim targets
        assert len(statements) == 7, statements
