"""Claims as the API shows them: `ExtractedClaim` from `/v1/extract`, `ClaimRead` once stored."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from app.nlp.types import ClaimType, DateSource, EntityType, Stance


class _ReadModel(BaseModel):
    """Read models are built from attributes (the NLP dataclasses)."""

    model_config = ConfigDict(from_attributes=True)


class SpanRead(_ReadModel):
    """Character offsets `[start, end)` of the claim's content in the submitted text."""

    start: int
    end: int


class SpeakerRead(_ReadModel):
    """Who made the statement: `name` is canonical, `mention` is how the text names them there."""

    name: str
    mention: str
    type: EntityType
    role: str | None = None


class CueRead(_ReadModel):
    """The verb or phrase that marks the attribution, and its lemma."""

    text: str
    lemma: str


class TargetRead(_ReadModel):
    """An entity the statement is about, with the speaker's stance toward it."""

    name: str
    type: EntityType
    stance: Stance
    mention: str


class StatementDateRead(_ReadModel):
    """The day the statement was made (`YYYY-MM-DD`), the words that said so, and the rule used."""

    value: dt.date | None
    text: str | None
    source: DateSource | None


class ExtractedClaim(_ReadModel):
    """One statement attributed to one source, as extracted."""

    type: ClaimType
    text: str
    spans: list[SpanRead]
    speaker: SpeakerRead
    cue: CueRead
    targets: list[TargetRead]
    date: StatementDateRead
    confidence: float = Field(ge=0.0, le=1.0)


class ClaimRead(ExtractedClaim):
    """A stored claim: an extracted claim plus its id and the article it came from."""

    id: int
    article_id: int
