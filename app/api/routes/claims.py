"""`/v1/claims`: search stored claims by speaker, target, stance, type, date, article and words."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import PageDep, RowId, SessionDep
from app.api.problems import problem_responses
from app.core.errors import InvalidRequestError, NotFoundError
from app.nlp.types import ClaimType, Stance
from app.schemas.claim import ClaimRead
from app.schemas.common import Page, StorableStr
from app.schemas.problem import FieldError
from app.services import claims
from app.services.claims import ClaimFilter

router = APIRouter(prefix="/v1/claims", tags=["claims"])


def _check_date_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    """Refuse a range that ends before it starts (it could only ever match nothing)."""
    if date_from and date_to and date_from > date_to:
        message = "date_from must not be after date_to"
        raise InvalidRequestError(
            message, errors=[FieldError(loc=["query", "date_from"], msg=message, type="date_range")]
        )


@router.get(
    "",
    operation_id="list_claims",
    summary="Search stored claims",
    responses=problem_responses(422, 500, 503),
)
def list_claims(
    session: SessionDep,
    page: PageDep,
    speaker: Annotated[
        StorableStr | None, Query(description="Speaker's name or any alias, any case.")
    ] = None,
    target: Annotated[
        StorableStr | None, Query(description="A target's name or any alias, any case.")
    ] = None,
    stance: Annotated[
        Stance | None, Query(description="With `target`: that target's stance; alone: any target's.")
    ] = None,
    type: Annotated[ClaimType | None, Query(description="Claim type.")] = None,
    date_from: Annotated[
        dt.date | None, Query(description="Statement date on or after (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[dt.date | None, Query(description="Statement date on or before (YYYY-MM-DD).")] = None,
    article_id: Annotated[RowId | None, Query(description="Only this article's claims.")] = None,
    q: Annotated[
        StorableStr | None, Query(description="Words that must all occur in the claim text, any case.")
    ] = None,
) -> Page[ClaimRead]:
    """Claims matching every given filter, newest article first, then in article order."""
    _check_date_range(date_from, date_to)
    where = ClaimFilter(speaker, target, stance, type, date_from, date_to, article_id, q)
    rows, total = claims.query_claims(session, where, page.limit, page.offset)
    items = [ClaimRead.from_row(row) for row in rows]
    return Page[ClaimRead](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/{claim_id}",
    operation_id="get_claim",
    summary="Get a stored claim",
    responses=problem_responses(404, 422, 500, 503),
)
def get_claim(claim_id: RowId, session: SessionDep) -> ClaimRead:
    """One stored claim."""
    row = claims.get_claim(session, claim_id)
    if row is None:
        raise NotFoundError(f"There is no claim with id {claim_id}.")
    return ClaimRead.from_row(row)
