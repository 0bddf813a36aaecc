"""Storing an article with its claims, and reading or deleting it.

Everything here flushes but never commits: the caller's unit of work decides, so an article and its
claims are written together or not at all. Re-submitting a text returns the stored article, also
when two requests race to store it (the unique `content_sha256` decides who wins).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.interfaces import ORMOption

from app.db.models import Article, Claim, ClaimTarget
from app.nlp import types as nlp
from app.schemas.article import ArticleCreate
from app.services.entities import EntityRegistry

# Everything a response shows: claims, their speakers, their targets' entities.
ARTICLE_WITH_CLAIMS: tuple[ORMOption, ...] = (
    selectinload(Article.claims).selectinload(Claim.speaker),
    selectinload(Article.claims).selectinload(Claim.targets).selectinload(ClaimTarget.entity),
)


@dataclass(frozen=True)
class IngestResult:
    """The stored article, and whether this call created it (False: it was already there)."""

    article: Article
    created: bool


def content_sha256(text: str) -> str:
    """The identity of an article's content: SHA-256 of its text as sent, UTF-8, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_article_by_text(session: Session, text: str) -> Article | None:
    """The stored article with exactly this text, if any."""
    stmt = select(Article).where(Article.content_sha256 == content_sha256(text)).options(*ARTICLE_WITH_CLAIMS)
    return session.scalars(stmt).one_or_none()


def get_article(session: Session, article_id: int) -> Article | None:
    """One stored article with its claims."""
    return session.get(Article, article_id, options=ARTICLE_WITH_CLAIMS)


def list_articles(session: Session, limit: int, offset: int) -> tuple[list[Article], int]:
    """A page of articles, newest first, and how many there are."""
    total = session.scalar(select(func.count()).select_from(Article)) or 0
    stmt = select(Article).order_by(Article.created_at.desc(), Article.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(stmt)), total


def delete_article(session: Session, article_id: int) -> bool:
    """Delete an article; the database cascades to its claims and their targets. False if absent."""
    article = session.get(Article, article_id)
    if article is None:
        return False
    session.delete(article)
    session.flush()
    return True


def ingest_article(
    session: Session, data: ArticleCreate, extraction: nlp.ArticleExtraction, pipeline_version: str
) -> IngestResult:
    """Store an article and its extracted claims, or return the article already stored for this text.

    No lookup first: callers have looked before parsing, so the text is almost always new, and the
    unique `content_sha256` catches the rest (a repeat, or a concurrent request that stored it first).
    """
    article = Article(
        title=data.title,
        url=data.url,
        source=data.source,
        text=data.text,
        content_sha256=content_sha256(data.text),
        published_at=extraction.published_at,
        published_at_source=extraction.published_at_source,
        pipeline_version=pipeline_version,
    )
    try:
        with session.begin_nested():
            session.add(article)
    except IntegrityError:
        # Stored already, perhaps by a concurrent request after the caller's lookup: that is the article.
        existing = find_article_by_text(session, data.text)
        if existing is None:
            raise
        return IngestResult(existing, created=False)
    set_committed_value(article, "claims", [])  # a new row has none: spare the SELECT that would say so
    registry = EntityRegistry(session)
    registry.preload(_mentions(extraction.claims))
    article.claims = [
        _claim_row(registry, position, claim) for position, claim in enumerate(extraction.claims)
    ]
    session.flush()
    return IngestResult(article, created=True)


def _mentions(claims: Iterable[nlp.Claim]) -> Iterator[tuple[str, str, list[str]]]:
    """Every speaker and target of the claims as (name, type, spellings), as `_claim_row` resolves them."""
    for claim in claims:
        speaker = claim.speaker
        yield speaker.name, speaker.type, [*speaker.aliases, speaker.mention]
        for target in claim.targets:
            yield target.name, target.type, [*target.aliases, target.mention]


def _claim_row(registry: EntityRegistry, position: int, claim: nlp.Claim) -> Claim:
    """One claim as a row, its speaker and targets resolved to shared entities."""
    speaker = claim.speaker
    return Claim(
        position=position,
        type=claim.type,
        text=claim.text,
        spans=[{"start": span.start, "end": span.end} for span in claim.spans],
        speaker=registry.resolve(speaker.name, speaker.type, [*speaker.aliases, speaker.mention]),
        speaker_mention=speaker.mention,
        speaker_role=speaker.role,
        cue_text=claim.cue.text,
        cue_lemma=claim.cue.lemma,
        date_value=claim.date.value,
        date_text=claim.date.text,
        date_source=claim.date.source,
        confidence=claim.confidence,
        targets=[
            ClaimTarget(
                position=index,
                entity=registry.resolve(target.name, target.type, [*target.aliases, target.mention]),
                stance=target.stance,
                mention=target.mention,
                score=target.score,
            )
            for index, target in enumerate(claim.targets)
        ],
    )
