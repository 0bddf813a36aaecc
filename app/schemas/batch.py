"""A batch of articles to store (`ArticleBatchCreate`) and what became of each (`ArticleBatchRead`).

Each item is an `ArticleItem`, validated on its own, so one empty text or bad date costs only its own
item. Only a body that is not `{"articles": [...]}` at all fails as a whole (422).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.core.problem import Problem
from app.schemas import examples
from app.schemas.article import ArticleItem


class ArticleBatchCreate(BaseModel):
    """Articles to extract and store, each on its own."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"articles": [examples.ARTICLE, examples.SECOND_ARTICLE]}]}
    )

    articles: list[ArticleItem] = Field(
        min_length=1,
        description="At most `batch_max_articles` (a server setting, 100 by default) articles; each is "
        "validated, parsed and stored on its own, so an invalid one fails alone.",
    )


class BatchItemResult(BaseModel):
    """What became of one item of a batch, at its position in the request."""

    index: int = Field(description="Position of the item in the request's `articles`.")
    status: int = Field(
        description="201: stored now; 200: this text was stored before (or earlier in the same batch); "
        "otherwise the status of `problem`: 413 text too long, 422 invalid, 500 our failure, 503 retry."
    )
    id: int | None = Field(default=None, description="The stored article's id (201 and 200).")
    location: str | None = Field(default=None, description="The stored article's path (201 and 200).")
    problem: Problem | None = Field(default=None, description="Why this item was not stored.")


class ArticleBatchRead(BaseModel):
    """Per-item results, in request order, and how many items ended each way."""

    created: int
    existing: int
    failed: int
    results: list[BatchItemResult]
