"""`/v1/claims`: search stored claims by speaker, target, stance, type, date, article and words."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from app.api import exports, linked_data
from app.api.deps import PageDep, RowId, SessionDep, SessionFactoryDep, SettingsDep
from app.api.problems import problem_responses
from app.api.read_models import claim_read
from app.core.config import Settings
from app.core.exceptions import InvalidRequestError, NotFoundError
from app.core.problem import FieldError
from app.nlp.types import ClaimType, Stance
from app.schemas.claim import ClaimRead
from app.schemas.common import Page, StorableStr
from app.services import claims
from app.services.claims import ClaimFilter
from app.services.text_search import search_words

router = APIRouter(prefix="/v1/claims", tags=["claims"])

Q_DESCRIPTION = (
    "Words that must all occur in the claim text, any case; each also matches longer words it begins "
    "(`bridge` finds *bridges*). A word is a run of letters and digits: other characters only separate "
    "words, and a `q` with none matches nothing. Matches come best first (the words more often, in a "
    "shorter claim). At most 32 words and 500 characters (server settings `search_max_words`, "
    "`search_max_chars`): more is a 422 problem."
)
SEARCH_RESPONSES = problem_responses(422, 500, 503)
SEARCH_RESPONSES[503] = SEARCH_RESPONSES[503] | {
    "description": "The database is not available (`.../problems/service-unavailable`), or it cancelled "
    "a search that ran longer than the server's `db_statement_timeout_ms` (`.../problems/query-timeout`)."
}


def _check_date_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    """Refuse a range that ends before it starts (it could only ever match nothing)."""
    if date_from and date_to and date_from > date_to:
        message = "date_from must not be after date_to"
        raise InvalidRequestError(
            message, errors=[FieldError(loc=["query", "date_from"], msg=message, type="date_range")]
        )


def _check_q(q: str | None, settings: Settings) -> None:
    """Refuse words beyond the server's limits before any query runs: each word is one more index lookup."""
    if q is None:
        return
    if len(q) > settings.search_max_chars:
        message = f"q should have at most {settings.search_max_chars} characters, not {len(q)}"
        kind = "string_too_long"
    elif (words := len(search_words(q))) > settings.search_max_words:
        message = f"q should have at most {settings.search_max_words} words, not {words}"
        kind = "too_many_words"
    else:
        return
    raise InvalidRequestError(
        f"query.q: {message}", errors=[FieldError(loc=["query", "q"], msg=message, type=kind)]
    )


EXPORT_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A page of claims (JSON); with `Accept: text/csv` or `Accept: application/x-ndjson`"
        " every matching claim, streamed (paging is ignored).",
        "content": {
            exports.CSV: {"schema": {"type": "string"}, "example": ",".join(exports.CSV_COLUMNS) + "\r\n..."},
            exports.NDJSON: {"schema": {"type": "string"}},
        },
    }
}


@router.get(
    "",
    operation_id="list_claims",
    summary="Search stored claims, or export them all as CSV or NDJSON",
    response_model=Page[ClaimRead],
    responses=EXPORT_RESPONSE | SEARCH_RESPONSES,
)
def list_claims(
    request: Request,
    session: SessionDep,
    sessions: SessionFactoryDep,
    settings: SettingsDep,
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
    q: Annotated[StorableStr | None, Query(description=Q_DESCRIPTION)] = None,
) -> Page[ClaimRead] | Response:
    """Claims matching every given filter: with `q` best match first, else newest article first, then in
    article order. `Accept: text/csv` or `application/x-ndjson` streams all of them, in that order."""
    _check_date_range(date_from, date_to)
    _check_q(q, settings)
    where = ClaimFilter(speaker, target, stance, type, date_from, date_to, article_id, q)
    if (media_type := exports.export_media_type(request.headers.get("accept"))) is not None:
        return StreamingResponse(exports.stream(sessions, where, media_type), media_type=media_type)
    rows, total = claims.query_claims(session, where, page.limit, page.offset)
    items = [claim_read(row) for row in rows]
    return Page[ClaimRead](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/{claim_id}",
    operation_id="get_claim",
    summary="Get a stored claim",
    response_model=ClaimRead,
    responses=linked_data.RESPONSE | problem_responses(404, 422, 500, 503),
)
def get_claim(claim_id: RowId, session: SessionDep, request: Request) -> ClaimRead | Response:
    """One stored claim; with `Accept: application/ld+json`, a schema.org `Claim`."""
    row = claims.get_claim(session, claim_id)
    if row is None:
        raise NotFoundError(f"There is no claim with id {claim_id}.")
    if linked_data.wants_linked_data(request.headers.get("accept")):
        document = linked_data.claim_document(row, str(request.base_url).rstrip("/"))
        return JSONResponse(document, media_type=linked_data.LD_JSON)
    return claim_read(row)
