"""`POST /v1/articles:batch`: up to `batch_max_articles` articles parsed together, each stored on its own.

The answer is `207 Multi-Status` with one result per item, in request order: created (201), stored
before (200), or a problem document for that item alone (413, 422, 500, 503). The request as a whole
fails only when it is not a batch at all, or has too many items (422, the `articles` field is invalid:
the body is well-formed and within the byte limit, so 413 would misname it), or when the parse itself
could not run (503: nothing was stored, so the client can retry the whole batch).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from app.api.deps import BatchBody, IngestDep, SettingsDep, checked_items, client_gone
from app.api.problems import problem_responses
from app.core.exceptions import (
    INTERNAL_DETAIL,
    ProblemError,
    ServiceUnavailableError,
    TextTooComplexError,
    problem_of,
)
from app.extraction.service import too_complex_detail
from app.schemas.article import ArticleCreate
from app.schemas.batch import ArticleBatchRead, BatchItemResult
from app.services.ingest import Failed, ItemOutcome, Stored

router = APIRouter(prefix="/v1", tags=["articles"])

DATABASE_DOWN = "The database is unavailable; try this article again later."


@router.post(
    "/articles:batch",
    status_code=status.HTTP_207_MULTI_STATUS,
    operation_id="create_articles_batch",
    response_model_exclude_none=True,
    summary="Extract and store many articles, each on its own",
    responses={
        207: {"description": "One result per item, in request order."},
        **problem_responses(400, 413, 415, 422, 500, 503),
    },
)
def create_articles_batch(
    batch: BatchBody, ingest: IngestDep, settings: SettingsDep, request: Request
) -> ArticleBatchRead:
    """Parse the new texts together (`nlp.pipe`), then store each article in its own transaction."""
    failed: dict[int, ProblemError] = {}
    valid: dict[int, ArticleCreate] = {}
    for index, item in enumerate(checked_items(batch.articles, settings, "articles")):
        if isinstance(item, ProblemError):
            failed[index] = item
        else:
            valid[index] = item
    stored = ingest.ingest_many(valid, client_gone(request))
    failed.update({i: _failure(out) for i, out in stored.items() if isinstance(out, Failed)})
    results = [
        _result(request, index, stored.get(index), failed.get(index), request.url.path)
        for index in range(len(batch.articles))
    ]
    return ArticleBatchRead(
        created=sum(r.status == status.HTTP_201_CREATED for r in results),
        existing=sum(r.status == status.HTTP_200_OK for r in results),
        failed=len(failed),
        results=results,
    )


def _failure(outcome: Failed) -> ProblemError:
    """The error of an item that could not be stored."""
    if outcome.reason == "unavailable":
        return ServiceUnavailableError(DATABASE_DOWN)
    if outcome.reason == "too_complex" and outcome.budget is not None:
        return TextTooComplexError(too_complex_detail(outcome.budget))
    return ProblemError(INTERNAL_DETAIL)


def _result(
    request: Request, index: int, outcome: ItemOutcome | None, error: ProblemError | None, path: str
) -> BatchItemResult:
    """One item's result: its article, or its problem."""
    if error is not None or not isinstance(outcome, Stored):
        problem = problem_of(error or ProblemError(INTERNAL_DETAIL), instance=path)
        return BatchItemResult(index=index, status=problem.status, problem=problem)
    location = request.app.url_path_for("get_article", article_id=str(outcome.article_id))
    code = status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
    return BatchItemResult(index=index, status=code, id=outcome.article_id, location=location)
