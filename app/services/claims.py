"""Querying stored claims by speaker, target and stance, type, date, article and words (ranked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from app.db.models import Claim, ClaimTarget
from app.services.entities import entity_ids_named
from app.services.text_search import FTS_ROWID, TextMatch, search_words, text_match

S = TypeVar("S", bound=Select[Any])
EXPORT_CHUNK = 500  # claims read per round trip of an export

# Everything a response shows: the speaker and each target's entity.
CLAIM_DETAILS: tuple[ORMOption, ...] = (
    selectinload(Claim.speaker),
    selectinload(Claim.targets).selectinload(ClaimTarget.entity),
)


@dataclass(frozen=True)
class ClaimFilter:
    """Conditions a claim must meet; `None` means "any"."""

    speaker: str | None = None
    target: str | None = None
    stance: str | None = None
    type: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    article_id: int | None = None
    q: str | None = None


def get_claim(session: Session, claim_id: int) -> Claim | None:
    """One stored claim."""
    return session.get(Claim, claim_id, options=CLAIM_DETAILS)


def query_claims(session: Session, where: ClaimFilter, limit: int, offset: int) -> tuple[list[Claim], int]:
    """A page of matching claims and how many match.

    With words (`q`) the best match comes first; otherwise, and between equal matches, the newest
    article first, then article order (a total order, so pages never overlap).
    """
    match = _text_match(session, where.q)
    count = select(func.count()).select_from(_filtered(select(Claim.id), where, match).subquery())
    total = session.scalar(count)
    page = _ordered(where, match).limit(limit).offset(offset)
    return list(session.scalars(page.options(*CLAIM_DETAILS))), total or 0


def each_claim(session: Session, where: ClaimFilter, chunk: int = EXPORT_CHUNK) -> Iterator[Claim]:
    """Every matching claim, in the order of `query_claims`, read `chunk` rows at a time (a server-side
    cursor on PostgreSQL); the session holds its rows weakly, so a chunk is freed once the caller has
    let go of it: an export of any size."""
    stmt = _ordered(where, _text_match(session, where.q)).options(*CLAIM_DETAILS)
    with session.execute(stmt.execution_options(yield_per=chunk)).scalars() as result:
        yield from result


def _ordered(where: ClaimFilter, match: TextMatch | None) -> Select[Claim]:
    """The matching claims, best match first with `q`, else (and between equals) newest article first,
    then article order: a total order, so pages never overlap."""
    rank = [match.rank] if match is not None and match.rank is not None else []
    stmt = _filtered(select(Claim), where, match)
    return stmt.order_by(*rank, Claim.article_id.desc(), Claim.position)


def _text_match(session: Session, q: str | None) -> TextMatch | None:
    """The full-text condition for `q` on this session's database; None when `q` is absent or blank."""
    if q is None or not q.strip():
        return None
    return text_match(session.get_bind().dialect.name, search_words(q))


def _filtered(stmt: S, where: ClaimFilter, match: TextMatch | None = None) -> S:
    """`stmt` restricted to the claims `where` describes (`match`: its words, see `_text_match`)."""
    if where.speaker:
        stmt = stmt.where(Claim.speaker_id.in_(entity_ids_named(where.speaker)))
    if where.target or where.stance:
        stmt = stmt.where(_has_target(where.target, where.stance))
    if where.type:
        stmt = stmt.where(Claim.type == where.type)
    if where.date_from:
        stmt = stmt.where(Claim.date_value >= where.date_from)
    if where.date_to:
        stmt = stmt.where(Claim.date_value <= where.date_to)
    if where.article_id is not None:
        stmt = stmt.where(Claim.article_id == where.article_id)
    if match is not None:
        if match.fts is not None:
            stmt = stmt.join(match.fts, FTS_ROWID == Claim.id)
        stmt = stmt.where(match.condition)
    return stmt


def _has_target(name: str | None, stance: str | None) -> ColumnElement[bool]:
    """The claim has a target named `name` (any alias) held with `stance`, both optional but on one target."""
    conditions: list[ColumnElement[bool]] = [ClaimTarget.claim_id == Claim.id]
    if name:
        conditions.append(ClaimTarget.entity_id.in_(entity_ids_named(name)))
    if stance:
        conditions.append(ClaimTarget.stance == stance)
    return exists().where(*conditions)
