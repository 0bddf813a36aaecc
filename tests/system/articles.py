"""Small, distinct article texts for the system tests, and the check that no article was half written."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from app.db.models import Article, Claim, ClaimTarget
from app.nlp.extractor import ClaimExtractor


def small_article(marker: str) -> str:
    """A short text with three claims (one with a target), unique by `marker`."""
    return (
        f"Minister Ana Ruiz said on Monday that plan {marker} for the Lima bridge was a mistake. "
        'Opposition leader Tom Baker called the plan "a waste of money", and the mayor denied that '
        "the city would pay."
    )


def stored_counts(engine: Engine) -> dict[int, tuple[str, int, int]]:
    """Each stored article: its text, how many claims and how many claim targets it has."""
    claims = select(Claim.article_id, func.count().label("n")).group_by(Claim.article_id).subquery()
    targets = (
        select(Claim.article_id, func.count().label("n"))
        .join(ClaimTarget, ClaimTarget.claim_id == Claim.id)
        .group_by(Claim.article_id)
        .subquery()
    )
    stmt = (
        select(Article.id, Article.text, func.coalesce(claims.c.n, 0), func.coalesce(targets.c.n, 0))
        .outerjoin(claims, claims.c.article_id == Article.id)
        .outerjoin(targets, targets.c.article_id == Article.id)
    )
    with engine.connect() as connection:
        return {row[0]: (row[1], row[2], row[3]) for row in connection.execute(stmt)}


def half_written(engine: Engine, extractor: ClaimExtractor) -> list[int]:
    """Ids of stored articles whose claims or targets differ from what extraction yields for their text."""
    broken = []
    for article_id, (text, n_claims, n_targets) in stored_counts(engine).items():
        claims = extractor.extract(text, None).claims
        if (n_claims, n_targets) != (len(claims), sum(len(claim.targets) for claim in claims)):
            broken.append(article_id)
    return broken
