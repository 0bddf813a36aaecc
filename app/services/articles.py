"""Storing an article with its claims, and reading or deleting it.

Everything here flushes but never commits: the caller's unit of work decides, so an article and its
claims are written together or not at all. Re-submitting a text returns the stored article, also
when two requests race to store it (the unique `content_sha256` decides who wins).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.interfaces import ORMOption

from app.db.base import Base
from app.db.models import Article, Claim, ClaimTarget, Entity, utcnow
from app.nlp import types as nlp
from app.schemas.article import ArticleCreate
from app.services.entities import EntityRegistry, Named, dialect_insert, entity_key

# The tables themselves: Core INSERTs of many rows are one statement each, where the ORM's are several.
ARTICLES = Base.metadata.tables["articles"]
CLAIMS = Base.metadata.tables["claims"]
CLAIM_TARGETS = Base.metadata.tables["claim_targets"]
# Everything a response shows: claims, their speakers, their targets' entities.
ARTICLE_WITH_CLAIMS: tuple[ORMOption, ...] = (
    selectinload(Article.claims).selectinload(Claim.speaker),
    selectinload(Article.claims).selectinload(Claim.targets).selectinload(ClaimTarget.entity),
)


Entities = Mapping[tuple[str, str], Entity]  # an article's entities by `entity_key`


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
    return find_article_by_digest(session, content_sha256(text))


def find_article_by_digest(session: Session, digest: str) -> Article | None:
    """The stored article whose text has this `content_sha256`, if any, with its claims."""
    stmt = select(Article).where(Article.content_sha256 == digest).options(*ARTICLE_WITH_CLAIMS)
    return session.scalars(stmt).one_or_none()


def get_article(session: Session, article_id: int) -> Article | None:
    """One stored article with its claims."""
    return session.get(Article, article_id, options=ARTICLE_WITH_CLAIMS)


def list_articles(session: Session, limit: int, offset: int) -> tuple[list[Article], int]:
    """A page of articles, newest first, and how many there are."""
    total = session.scalar(select(func.count()).select_from(Article)) or 0
    stmt = select(Article).order_by(Article.created_at.desc(), Article.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(stmt)), total


def claim_counts(session: Session, article_ids: Sequence[int]) -> dict[int, int]:
    """How many claims each of these articles has (one query; an article without claims is absent)."""
    stmt = (
        select(Claim.article_id, func.count())
        .where(Claim.article_id.in_(article_ids))
        .group_by(Claim.article_id)
    )
    return {int(row[0]): int(row[1]) for row in session.execute(stmt)}


def delete_article(session: Session, article_id: int) -> bool:
    """Delete an article; the database cascades to its claims and their targets. False if absent.

    One `DELETE ... RETURNING` decides: of concurrent deletes of one article, the first takes the
    row's lock and the rest then find nothing to return, so exactly one of them answers True.
    """
    deleted = session.scalar(delete(ARTICLES).where(ARTICLES.c.id == article_id).returning(ARTICLES.c.id))
    return deleted is not None


def store_article(
    session: Session,
    data: ArticleCreate,
    extraction: nlp.ArticleExtraction,
    pipeline_version: str,
    digest: str | None = None,
) -> IngestResult:
    """Store an article and its extracted claims, or return the article already stored for this text.

    No lookup first: callers have looked before parsing, so the text is almost always new, and the
    unique `content_sha256` catches the rest (a repeat, or a concurrent request that stored it first):
    `INSERT ... ON CONFLICT DO NOTHING` then inserts nothing, with no savepoint to undo. `digest` is the
    text's `content_sha256` when the caller has it already.
    """
    digest = digest or content_sha256(data.text)
    values = {
        "title": data.title,
        "url": data.url,
        "source": data.source,
        "text": data.text,
        "content_sha256": digest,
        "published_at": extraction.published_at,
        "published_at_source": extraction.published_at_source,
        "pipeline_version": pipeline_version,
        "created_at": utcnow(),
    }
    insert_new = dialect_insert(session, ARTICLES).values(**values)
    insert_new = insert_new.on_conflict_do_nothing(index_elements=["content_sha256"]).returning(ARTICLES.c.id)
    article_id = session.scalar(insert_new)
    if article_id is None:
        # Stored already, perhaps by a concurrent request after the caller's lookup: that is the article.
        existing = find_article_by_digest(session, digest)
        if existing is None:
            raise RuntimeError("an article conflicted on its text but cannot be found")
        return IngestResult(existing, created=False)
    article = Article(id=article_id, **values)  # the row as stored, outside the unit of work
    entities = EntityRegistry(session).resolve(_mentions(extraction.claims))
    set_committed_value(article, "claims", _insert_claims(session, entities, article.id, extraction.claims))
    return IngestResult(article, created=True)


def _insert_claims(
    session: Session, entities: Entities, article_id: int, claims: Sequence[nlp.Claim]
) -> list[Claim]:
    """Write the claims and their targets in two multi-row INSERTs, and return them as loaded rows.

    The ORM's unit of work cost twice the CPU of the rest of storing an article; plain INSERTs with
    RETURNING do the same writes, and the rows are put together here for the response.
    """
    if not claims:
        return []
    speakers = [_entity_of(entities, claim.speaker) for claim in claims]
    values = [
        _claim_values(article_id, position, claim, speaker.id)
        for position, (claim, speaker) in enumerate(zip(claims, speakers, strict=True))
    ]
    connection = session.connection()  # Core, not the ORM's bulk layer: these rows are put together below
    insert_claims = insert(CLAIMS).returning(CLAIMS.c.id, sort_by_parameter_order=True)
    ids = connection.scalars(insert_claims, values).all()
    rows, target_values = [], []
    for claim_id, row_values, claim, speaker in zip(ids, values, claims, speakers, strict=True):
        row = Claim(id=claim_id, **row_values)
        set_committed_value(row, "speaker", speaker)
        targets = []
        for position, target in enumerate(claim.targets):
            entity = _entity_of(entities, target)
            target_values.append(_target_values(claim_id, position, target, entity.id))
            target_row = ClaimTarget(**target_values[-1])
            set_committed_value(target_row, "entity", entity)
            targets.append(target_row)
        set_committed_value(row, "targets", targets)
        rows.append(row)
    if target_values:
        connection.execute(insert(CLAIM_TARGETS), target_values)
    return rows


def _entity_of(entities: Entities, named: nlp.Speaker | nlp.Target) -> Entity:
    """The shared entity a speaker or target names (resolved with the article's other names)."""
    return entities[entity_key(named.name, named.type)]


def _mentions(claims: Iterable[nlp.Claim]) -> Iterator[Named]:
    """Every speaker (with its role) and target of the claims, to resolve in one pass."""
    for claim in claims:
        speaker = claim.speaker
        roles = [speaker.role] if speaker.role else []
        yield Named(speaker.name, speaker.type, [*speaker.aliases, speaker.mention], roles)
        for target in claim.targets:
            yield Named(target.name, target.type, [*target.aliases, target.mention])


def _claim_values(article_id: int, position: int, claim: nlp.Claim, speaker_id: int) -> dict[str, Any]:
    """One claim's columns."""
    speaker = claim.speaker
    return {
        "article_id": article_id,
        "position": position,
        "type": claim.type,
        "text": claim.text,
        "spans": [{"start": span.start, "end": span.end} for span in claim.spans],
        "speaker_id": speaker_id,
        "speaker_mention": speaker.mention,
        "speaker_role": speaker.role,
        "cue_text": claim.cue.text,
        "cue_lemma": claim.cue.lemma,
        "date_value": claim.date.value,
        "date_text": claim.date.text,
        "date_source": claim.date.source,
        "confidence": claim.confidence,
    }


def _target_values(claim_id: int, position: int, target: nlp.Target, entity_id: int) -> dict[str, Any]:
    """One target's columns."""
    return {
        "claim_id": claim_id,
        "entity_id": entity_id,
        "position": position,
        "stance": target.stance,
        "mention": target.mention,
        "score": target.score,
    }
