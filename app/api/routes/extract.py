"""`POST /v1/extract`: claims for a text, computed and returned, nothing stored."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.api.deps import ArticleBody, ExtractionDep, client_gone
from app.api.problems import problem_responses
from app.api.read_models import extraction_read
from app.schemas.extraction import ExtractionRead

router = APIRouter(prefix="/v1", tags=["extraction"])


@router.post(
    "/extract",
    operation_id="extract_claims",
    summary="Extract claims from a text without storing anything",
    responses=problem_responses(400, 413, 415, 422, 500, 503),
)
async def extract_claims(article: ArticleBody, extraction: ExtractionDep, request: Request) -> ExtractionRead:
    """Run the pipeline on the text (off the event loop) and return its claims and publication date."""
    result = await extraction.extract(article.text, article.published_at, client_gone(request))
    return extraction_read(result, extraction.info)
