"""The result of `/v1/extract`: claims and publication date for a text, plus the pipeline that made them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from app.nlp.types import PublishedAtSource
from app.schemas.claim import ExtractedClaim


class PipelineRead(BaseModel):
    """Which model and rules produced a result."""

    model_config = ConfigDict(from_attributes=True)

    model: str
    model_version: str
    spacy_version: str
    rules_version: str
    version: str = Field(description="One string naming the whole pipeline; stored as `pipeline_version`.")


class ExtractionRead(BaseModel):
    """Claims found in a text; nothing is stored."""

    model_config = ConfigDict(from_attributes=True)

    published_at: dt.date | None
    published_at_source: PublishedAtSource | None = Field(
        description="`request` when the client gave the date, `text` when it was found in the text."
    )
    pipeline: PipelineRead
    claims: list[ExtractedClaim]
