"""Storing a batch of articles: parsed together, stored one transaction per article.

A batch is planned first (which texts are already stored, which new texts to parse, each once however
often it repeats), then its new texts are parsed together with `nlp.pipe`, then each article is
stored in its own unit of work. A failure while storing one article rolls back that article only
and becomes its outcome; the articles before and after it are stored regardless.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.db.models import Article
from app.db.session import unit_of_work
from app.schemas.article import ArticleCreate
from app.services.articles import content_sha256, ingest_article
from app.services.extraction import ExtractionFailed, ExtractionTimedOut, Item, Outcome

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stored:
    """The item's text is stored as this article; `created`: by this item."""

    article_id: int
    created: bool


@dataclass(frozen=True)
class Failed:
    """The item was not stored: `internal` (our bug), `unavailable` (the database; retry) or
    `too_complex` (its parse ran past its `budget` of seconds)."""

    reason: Literal["internal", "unavailable", "too_complex"]
    budget: float | None = None


ItemOutcome = Stored | Failed


@dataclass
class BatchPlan:
    """The valid items by index, the ids of texts already stored, and the new texts to parse (each once)."""

    items: dict[int, ArticleCreate]
    stored: dict[str, int]
    to_parse: dict[str, ArticleCreate] = field(default_factory=dict)

    def parse_items(self) -> list[Item]:
        """What to hand the extractor, in the order of `to_parse`."""
        return [(article.text, article.published_at) for article in self.to_parse.values()]


def plan_batch(session: Session, items: dict[int, ArticleCreate]) -> BatchPlan:
    """Look up which texts are stored already (one query) and pick the new ones to parse."""
    digests = {index: content_sha256(article.text) for index, article in items.items()}
    rows = session.execute(
        select(Article.content_sha256, Article.id).where(Article.content_sha256.in_(set(digests.values())))
    )
    plan = BatchPlan(items, dict(rows.all()))
    for index, article in items.items():
        if digests[index] not in plan.stored:
            plan.to_parse.setdefault(digests[index], article)  # the first of duplicates is the one stored
    return plan


def store_batch(
    sessions: sessionmaker[Session], plan: BatchPlan, outcomes: Sequence[Outcome], pipeline_version: str
) -> dict[int, ItemOutcome]:
    """Store each new article in its own transaction; every valid item's outcome by index."""
    parsed = dict(zip(plan.to_parse, outcomes, strict=True))
    results: dict[int, ItemOutcome] = {}
    for index, article in plan.items.items():
        digest = content_sha256(article.text)
        if digest in plan.stored:
            results[index] = Stored(plan.stored[digest], created=False)
            continue
        outcome = results[index] = _store_one(sessions, article, parsed[digest], pipeline_version)
        if isinstance(outcome, Stored):
            plan.stored[digest] = outcome.article_id
    return results


def _store_one(
    sessions: sessionmaker[Session], article: ArticleCreate, outcome: Outcome, pipeline_version: str
) -> ItemOutcome:
    """One article in one unit of work; any failure is rolled back and reported as this item's alone."""
    if isinstance(outcome, ExtractionFailed):
        return Failed("internal")
    if isinstance(outcome, ExtractionTimedOut):
        return Failed("too_complex", outcome.budget)
    try:
        with unit_of_work(sessions) as session:
            result = ingest_article(session, article, outcome, pipeline_version)
            return Stored(result.article.id, result.created)
    except OperationalError:
        logger.error("database unavailable while storing a batch item")
        return Failed("unavailable")
    except Exception:
        logger.exception("storing a batch item failed; the batch goes on")
        return Failed("internal")
