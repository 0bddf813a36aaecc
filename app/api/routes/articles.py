"""`/v1/articles`: store an article with its claims (idempotent per text), read, list and delete them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from app.api import linked_data
from app.api.deps import ArticleBody, IngestDep, PageDep, RowId, SessionDep, client_gone
from app.api.problems import problem_responses
from app.api.read_models import article_read
from app.core.exceptions import NotFoundError
from app.schemas.article import ArticleRead, ArticleSummary
from app.schemas.common import Page
from app.services import articles

router = APIRouter(prefix="/v1/articles", tags=["articles"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_article",
    summary="Extract and store an article's claims",
    responses={
        200: {"model": ArticleRead, "description": "This text was stored before: the stored article."},
        201: {
            "description": "Stored.",
            "headers": {"Location": {"description": "The new article's path.", "schema": {"type": "string"}}},
        },
        **problem_responses(400, 413, 415, 422, 500, 503),
    },
)
def create_article(
    article: ArticleBody, ingest: IngestDep, request: Request, response: Response
) -> ArticleRead:
    """Store the article and its claims in one transaction; the same text again returns the stored one."""
    ingested = ingest.ingest(article, client_gone(request))
    body = article_read(ingested.article)
    if ingested.created:
        response.headers["Location"] = request.app.url_path_for("get_article", article_id=str(body.id))
    else:
        response.status_code = status.HTTP_200_OK
    return body


@router.get(
    "",
    operation_id="list_articles",
    summary="List stored articles, newest first",
    responses=problem_responses(422, 500, 503),
)
def list_articles(session: SessionDep, page: PageDep) -> Page[ArticleSummary]:
    """A page of stored articles (without their claims: see `GET /v1/claims?article_id=`)."""
    rows, total = articles.list_articles(session, page.limit, page.offset)
    items = [ArticleSummary.model_validate(row) for row in rows]
    return Page[ArticleSummary](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/{article_id}",
    operation_id="get_article",
    summary="Get a stored article with its claims",
    response_model=ArticleRead,
    responses=linked_data.RESPONSE | problem_responses(404, 422, 500, 503),
)
def get_article(
    article_id: RowId,
    session: SessionDep,
    request: Request,
    include: Annotated[
        list[Literal["text"]] | None,
        Query(description="`text`: also return the submitted text, to highlight the claims' spans in."),
    ] = None,
) -> ArticleRead | Response:
    """One stored article and its claims, in article order; with `Accept: application/ld+json`, its
    claims as schema.org `Claim` objects."""
    row = articles.get_article(session, article_id)
    if row is None:
        raise NotFoundError(f"There is no article with id {article_id}.")
    if linked_data.wants_linked_data(request.headers.get("accept")):
        document = linked_data.article_document(row, str(request.base_url).rstrip("/"))
        return JSONResponse(document, media_type=linked_data.LD_JSON)
    return article_read(row, with_text="text" in (include or []))


@router.delete(
    "/{article_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_article",
    summary="Delete an article and its claims",
    responses=problem_responses(404, 422, 500, 503),
)
def delete_article(article_id: RowId, session: SessionDep) -> None:
    """Delete the article, its claims and their targets; the entities they named stay."""
    if not articles.delete_article(session, article_id):
        raise NotFoundError(f"There is no article with id {article_id}.")
