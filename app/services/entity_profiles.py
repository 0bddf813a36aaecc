"""What the store knows of an entity: who it is, what it says about whom, who speaks about it, and how
its stance toward another entity changed over time (from the statement dates of its claims)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from app.db.models import Claim, ClaimTarget, Entity, EntityAlias, EntityRole
from app.services.entities import lookup_key

Bucket = Literal["week", "month"]
STANCES = ("favor", "against", "neutral")


@dataclass(frozen=True)
class EntityCounts:
    """An entity and how many stored claims it made and is a target of."""

    entity: Entity
    claims_by: int
    claims_about: int


@dataclass(frozen=True)
class Relation:
    """Claims between an entity and another, split by the stance they take."""

    other: Entity
    favor: int = 0
    against: int = 0
    neutral: int = 0

    @property
    def claims(self) -> int:
        """Every claim of the relation."""
        return self.favor + self.against + self.neutral


@dataclass(frozen=True)
class Profile:
    """An entity with its aliases and roles, its counts, and its strongest relations both ways."""

    counts: EntityCounts
    aliases: list[str]
    roles: list[str]
    speaks_about: list[Relation]
    spoken_about_by: list[Relation]


@dataclass
class Point:
    """The claims of one week or month, by stance."""

    start: dt.date
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def favor(self) -> int:
        return self.counts["favor"]

    @property
    def against(self) -> int:
        return self.counts["against"]

    @property
    def neutral(self) -> int:
        return self.counts["neutral"]


def search_entities(
    session: Session, q: str | None, type_: str | None, limit: int, offset: int
) -> tuple[list[EntityCounts], int]:
    """Entities whose name, an alias or a role begins with `q` (any case), of `type_`; the most
    quoted and quoted-about first."""
    where: list[ColumnElement[bool]] = []
    if q and (key := lookup_key(q)):
        prefix = _escaped(key) + "%"
        where.append(
            or_(
                Entity.name_key.like(prefix, escape="\\"),
                Entity.id.in_(
                    select(EntityAlias.entity_id).where(EntityAlias.alias_key.like(prefix, escape="\\"))
                ),
                Entity.id.in_(
                    select(EntityRole.entity_id).where(EntityRole.role_key.like(prefix, escape="\\"))
                ),
            )
        )
    if type_:
        where.append(Entity.type == type_)
    total = session.scalar(select(func.count()).select_from(Entity).where(*where)) or 0
    by, about = _claims_by(), _claims_about()
    stmt = (
        select(Entity, func.coalesce(by.c.n, 0), func.coalesce(about.c.n, 0))
        .where(*where)
        .outerjoin(by, by.c.entity_id == Entity.id)
        .outerjoin(about, about.c.entity_id == Entity.id)
        .order_by((func.coalesce(by.c.n, 0) + func.coalesce(about.c.n, 0)).desc(), Entity.id)
        .limit(limit)
        .offset(offset)
    )
    return [EntityCounts(e, int(n_by), int(n_about)) for e, n_by, n_about in session.execute(stmt)], total


def entity_profile(session: Session, entity_id: int, top: int) -> Profile | None:
    """The entity's profile, its `top` strongest relations each way; None when there is no such entity."""
    entity = session.get(Entity, entity_id)
    if entity is None:
        return None
    claims_by = session.scalar(select(func.count()).where(Claim.speaker_id == entity_id)) or 0
    claims_about = session.scalar(
        select(func.count(func.distinct(ClaimTarget.claim_id))).where(ClaimTarget.entity_id == entity_id)
    )
    aliases = list(
        session.scalars(
            select(EntityAlias.alias)
            .where(EntityAlias.entity_id == entity_id)
            .order_by(EntityAlias.alias_key)
        )
    )
    roles = list(
        session.scalars(
            select(EntityRole.role).where(EntityRole.entity_id == entity_id).order_by(EntityRole.role_key)
        )
    )
    speaker, target = Claim.speaker_id, ClaimTarget.entity_id
    return Profile(
        EntityCounts(entity, claims_by, claims_about or 0),
        aliases,
        roles,
        _relations(session, speaker == entity_id, target, top),
        _relations(session, target == entity_id, speaker, top),
    )


def stance_timeline(
    session: Session, entity_id: int, about: int | None, bucket: Bucket
) -> tuple[list[Point], int]:
    """The stance of the entity's claims (toward `about`, or toward any target), counted per week
    (from Monday) or month of their statement dates, oldest first; and how many claims had no date."""
    where = [Claim.speaker_id == entity_id, *([ClaimTarget.entity_id == about] if about is not None else [])]
    stmt = select(Claim.date_value, ClaimTarget.stance).join(ClaimTarget, ClaimTarget.claim_id == Claim.id)
    points: dict[dt.date, Point] = {}
    undated = 0
    for day, stance in session.execute(stmt.where(*where)):
        if day is None:
            undated += 1
            continue
        start = day - dt.timedelta(days=day.weekday()) if bucket == "week" else day.replace(day=1)
        points.setdefault(start, Point(start)).counts[stance] += 1
    return [points[start] for start in sorted(points)], undated


def _relations(session: Session, side: ColumnElement[bool], other: Any, top: int) -> list[Relation]:
    """The other entities of the claims on `side` (this entity speaking, or spoken about), most first."""
    counts = {stance: func.sum(case((ClaimTarget.stance == stance, 1), else_=0)) for stance in STANCES}
    total = func.count()
    stmt = (
        select(other, *counts.values())
        .select_from(Claim)
        .join(ClaimTarget, ClaimTarget.claim_id == Claim.id)
        .where(side)
        .group_by(other)
        .order_by(total.desc(), other)
        .limit(top)
    )
    rows = session.execute(stmt).all()
    entities = {e.id: e for e in session.scalars(select(Entity).where(Entity.id.in_([r[0] for r in rows])))}
    return [Relation(entities[r[0]], int(r[1] or 0), int(r[2] or 0), int(r[3] or 0)) for r in rows]


def _claims_by() -> Any:
    """Claims per speaker, as a subquery (entity_id, n)."""
    return (
        select(Claim.speaker_id.label("entity_id"), func.count().label("n"))
        .group_by(Claim.speaker_id)
        .subquery()
    )


def _claims_about() -> Any:
    """Claims per target, as a subquery (entity_id, n)."""
    return (
        select(
            ClaimTarget.entity_id.label("entity_id"),
            func.count(func.distinct(ClaimTarget.claim_id)).label("n"),
        )
        .group_by(ClaimTarget.entity_id)
        .subquery()
    )


def _escaped(key: str) -> str:
    """A LIKE pattern's literal text: `%`, `_` and the escape character taken as themselves."""
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
