"""Tables: articles, the entities they mention (shared across articles), claims, claim targets, and jobs.

An entity (speaker or target) is one row per normalized name and type, shared by every article that
names it; each spelling seen for it is kept as an alias so `/v1/claims?speaker=...` finds it by any.
A job is a bulk submission: one `job_items` row per article, holding what a worker needs to process it.
Claim texts have a full-text index per backend, outside the ORM (see `CLAIM_SEARCH_VECTOR`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, get_args

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    literal_column,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.job_states import JobItemStatus, JobStatus
from app.db.base import Base, UTCDateTime
from app.nlp.types import ClaimType, DateSource, EntityType, PublishedAtSource, Stance

# The check constraints' value sets, from the one place each is written.
CLAIM_TYPES: tuple[str, ...] = get_args(ClaimType)
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)
STANCES: tuple[str, ...] = get_args(Stance)
DATE_SOURCES: tuple[str, ...] = get_args(DateSource)
PUBLISHED_AT_SOURCES: tuple[str, ...] = get_args(PublishedAtSource)
JOB_STATUSES: tuple[str, ...] = get_args(JobStatus)
JOB_ITEM_STATUSES: tuple[str, ...] = get_args(JobItemStatus)


# SQLite numbers a new row one past the highest id still stored, so a deleted article's id would name
# the next article: AUTOINCREMENT never gives an id twice (migration 0004). PostgreSQL never does anyway.
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL for `column IN (...)`, the body of a check constraint."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def utcnow() -> dt.datetime:
    """The current time, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class Article(Base):
    """One submitted article; `content_sha256` makes re-submitting the same text idempotent."""

    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint(_one_of("published_at_source", PUBLISHED_AT_SOURCES), name="published_at_source"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    published_at: Mapped[dt.date | None] = mapped_column(Date)
    published_at_source: Mapped[str | None] = mapped_column(String(16))
    pipeline_version: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    claims: Mapped[list[Claim]] = relationship(
        back_populates="article",
        order_by="Claim.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Entity(Base):
    """A speaker or target, one row per (normalized name, type), shared across articles."""

    __tablename__ = "entities"
    __table_args__ = (
        UniqueConstraint("name_key", "type"),
        CheckConstraint(_one_of("type", ENTITY_TYPES), name="type"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))

    aliases: Mapped[list[EntityAlias]] = relationship(back_populates="entity", passive_deletes=True)
    roles: Mapped[list[EntityRole]] = relationship(back_populates="entity", passive_deletes=True)


class EntityAlias(Base):
    """One spelling an article used for an entity; `alias_key` is its lowercase form, used for lookups."""

    __tablename__ = "entity_aliases"
    __table_args__ = (UniqueConstraint("entity_id", "alias_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(Text)
    alias_key: Mapped[str] = mapped_column(Text, index=True)

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class EntityRole(Base):
    """A role an article gave an entity as a speaker ("Foreign Office Spokesperson"); `role_key` is its
    lookup form, so that `speaker=` and `target=` find the entity by its role too."""

    __tablename__ = "entity_roles"
    __table_args__ = (UniqueConstraint("entity_id", "role_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(Text)
    role_key: Mapped[str] = mapped_column(Text, index=True)

    entity: Mapped[Entity] = relationship(back_populates="roles")


class Claim(Base):
    """One statement an article attributes to a speaker."""

    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("article_id", "position"),
        CheckConstraint(_one_of("type", CLAIM_TYPES), name="type"),
        CheckConstraint(_one_of("date_source", DATE_SOURCES), name="date_source"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int]
    type: Mapped[str] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text)
    spans: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    speaker_mention: Mapped[str] = mapped_column(Text)
    speaker_role: Mapped[str | None] = mapped_column(Text)
    cue_text: Mapped[str] = mapped_column(Text)
    cue_lemma: Mapped[str] = mapped_column(Text)
    date_value: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_text: Mapped[str | None] = mapped_column(Text)
    date_source: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)

    article: Mapped[Article] = relationship(back_populates="claims")
    speaker: Mapped[Entity] = relationship()
    targets: Mapped[list[ClaimTarget]] = relationship(
        back_populates="claim",
        order_by="ClaimTarget.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


# The full-text index of `claims.text` (migration 0003). Each backend has its own kind, so it lives
# outside the metadata: PostgreSQL a stored generated `tsvector` column, `claims.search_vector`, with
# a GIN index; SQLite an FTS5 table, `claims_fts`, over `claims` (external content: it stores only the
# index) that triggers keep in step with every insert, update and delete of a claim.
CLAIM_SEARCH_VECTOR: ColumnElement[Any] = literal_column("claims.search_vector", TSVECTOR)
CLAIMS_FTS = "claims_fts"
_SEARCH_COLUMNS = frozenset({("claims", "search_vector")})
_SEARCH_INDEXES = frozenset({"ix_claims_search_vector"})


def is_search_index(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Whether a reflected object is part of the full-text index (Alembic's `include_name` hook negates it).

    An FTS5 table comes with shadow tables (`claims_fts_data`, `claims_fts_idx`, ...) named after it.
    """
    if name is None:
        return False
    if type_ == "table":
        return name == CLAIMS_FTS or name.startswith(CLAIMS_FTS + "_")
    if type_ == "column":
        return (str(parent_names.get("table_name")), name) in _SEARCH_COLUMNS
    return type_ == "index" and name in _SEARCH_INDEXES


class ClaimTarget(Base):
    """An entity a claim is about, with the speaker's stance toward it."""

    __tablename__ = "claim_targets"
    __table_args__ = (
        UniqueConstraint("claim_id", "position"),
        Index("ix_claim_targets_entity_id_stance", "entity_id", "stance"),
        CheckConstraint(_one_of("stance", STANCES), name="stance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    position: Mapped[int]
    stance: Mapped[str] = mapped_column(String(16))
    mention: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)

    claim: Mapped[Claim] = relationship(back_populates="targets")
    entity: Mapped[Entity] = relationship()


class Job(Base):
    """A bulk submission; `done` and `failed` count its finished items, updated with each item's row."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(_one_of("status", JOB_STATUSES), name="status"),
        CheckConstraint("done >= 0 AND failed >= 0 AND done + failed <= total", name="counts"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[int]
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    callback_url: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list[JobItem]] = relationship(
        back_populates="job", order_by="JobItem.position", passive_deletes=True
    )


class JobItem(Base):
    """One article of a job: the submitted fields while pending, then its article or its problem."""

    __tablename__ = "job_items"
    __table_args__ = (
        UniqueConstraint("job_id", "position"),
        CheckConstraint(_one_of("status", JOB_ITEM_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    position: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), index=True)
    # The submitted article (null for an item refused at submission, which has a problem instead).
    text: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.date | None] = mapped_column(Date)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    job: Mapped[Job] = relationship(back_populates="items")
