"""Articles as submitted (`ArticleCreate`) and as stored (`ArticleSummary`, `ArticleRead`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from app.core.exceptions import field_errors
from app.core.problem import FieldError
from app.nlp.types import PublishedAtSource
from app.schemas import examples
from app.schemas.claim import ClaimRead
from app.schemas.common import StorableStr


def _to_date(value: object) -> object:
    """Accept an ISO 8601 date or date-time and keep its calendar date (as written, in its own offset)."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date (YYYY-MM-DD) or date-time string")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date (YYYY-MM-DD) or date-time") from None


DateOrDateTime = Annotated[
    dt.date,
    BeforeValidator(_to_date),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
            "description": "ISO 8601 date or date-time; only its calendar date is used.",
        }
    ),
]


class ArticleCreate(BaseModel):
    """An article to extract claims from."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.ARTICLE]})

    text: StorableStr = Field(
        description="The article text. Claim spans are offsets into it, exactly as sent.",
        # What `_has_words` checks, stated in the contract: at least one non-whitespace character.
        json_schema_extra={"minLength": 1, "pattern": r"\S"},
    )
    title: StorableStr | None = None
    url: StorableStr | None = None
    source: StorableStr | None = Field(default=None, description="The outlet or feed the article came from.")
    published_at: DateOrDateTime | None = Field(
        default=None,
        description="Publication date. When omitted, the service looks for it in the text.",
    )

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        """Refuse an empty or whitespace-only text (but keep the text as sent, for the offsets)."""
        if not value.strip():
            raise ValueError("text must contain at least one non-whitespace character")
        return value


class RejectedArticle(BaseModel):
    """An item of a batch or a job that is not a valid article; `errors` are located in the item."""

    errors: list[FieldError]


def _article_or_rejection(value: object) -> ArticleCreate | RejectedArticle:
    """Validate one item as an article; keep its errors rather than raising."""
    try:
        return ArticleCreate.model_validate(value)
    except ValidationError as exc:
        return RejectedArticle(errors=field_errors(exc.errors()))


# One item of a batch or a job: validated as an article on its own, so that a bad item fails alone and
# not the whole request; `json_schema_input_type` documents it as `ArticleCreate`.
ArticleItem = Annotated[
    ArticleCreate | RejectedArticle,
    PlainValidator(_article_or_rejection, json_schema_input_type=ArticleCreate),
]


class ArticleSummary(BaseModel):
    """A stored article without its claims (as listed)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str | None
    url: str | None
    source: str | None
    published_at: dt.date | None
    published_at_source: PublishedAtSource | None
    content_sha256: str = Field(description="SHA-256 of the submitted text (UTF-8), hex; unique.")
    pipeline_version: str = Field(description="The extraction pipeline that produced the claims.")
    created_at: dt.datetime


class ArticleRead(ArticleSummary):
    """A stored article with its claims, in article order."""

    text: str | None = Field(
        default=None,
        description="The submitted text, exactly as sent (claims' `spans` are offsets into it), with "
        "`?include=text`; null otherwise.",
    )
    claims: list[ClaimRead]
