"""Claims as the API shows them: `ExtractedClaim` from `/v1/extract`, `ClaimRead` once stored."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from app.nlp.types import ClaimType, DateSource, EntityType, Stance

if TYPE_CHECKING:
    from app.db import models


class _ReadModel(BaseModel):
    """Read models are built from attributes (NLP dataclasses or ORM rows)."""

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

    @classmethod
    def from_row(cls, row: models.Claim) -> ClaimRead:
        """Flatten a stored claim (columns plus its speaker and target entities) into the API shape."""
        return cls.model_validate(
            {
                "id": row.id,
                "article_id": row.article_id,
                "type": row.type,
                "text": row.text,
                "spans": row.spans,
                "speaker": {
                    "name": row.speaker.name,
                    "mention": row.speaker_mention,
                    "type": row.speaker.type,
                    "role": row.speaker_role,
                },
                "cue": {"text": row.cue_text, "lemma": row.cue_lemma},
                "targets": [
                    {"name": t.entity.name, "type": t.entity.type, "stance": t.stance, "mention": t.mention}
                    for t in row.targets
                ],
                "date": {"value": row.date_value, "text": row.date_text, "source": row.date_source},
                "confidence": row.confidence,
            }
        )
