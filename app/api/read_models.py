"""Results as the API shows them: stored rows and extractions mapped to the response schemas, in the one
place that knows both, so that neither layer names the other."""

from __future__ import annotations

from collections.abc import Iterable

from app.db import models
from app.nlp.types import ArticleExtraction, PipelineInfo
from app.schemas.article import ArticleRead, ArticleSummary
from app.schemas.claim import ClaimRead, ExtractedClaim
from app.schemas.entity import StancePoint
from app.schemas.extraction import ExtractionRead, PipelineRead
from app.services.entity_profiles import Point


def stance_points(points: Iterable[Point]) -> list[StancePoint]:
    """A stance timeline's periods as the API and the pages show them."""
    return [StancePoint.model_validate(point, from_attributes=True) for point in points]


def extraction_read(result: ArticleExtraction, pipeline: PipelineInfo) -> ExtractionRead:
    """What the pipeline found in a text, as `POST /v1/extract` (and `claims extract`) show it."""
    return ExtractionRead(
        published_at=result.published_at,
        published_at_source=result.published_at_source,
        pipeline=PipelineRead.model_validate(pipeline),
        claims=[ExtractedClaim.model_validate(claim) for claim in result.claims],
    )


def article_read(row: models.Article, with_text: bool = False) -> ArticleRead:
    """A stored article whose claims, speakers and targets are loaded, with its claims (and its text)."""
    summary = ArticleSummary.model_validate(row)
    claims = [claim_read(claim) for claim in row.claims]
    return ArticleRead(**summary.model_dump(), text=row.text if with_text else None, claims=claims)


def claim_read(row: models.Claim) -> ClaimRead:
    """A stored claim (its columns, its speaker and its targets' entities) in the API's shape."""
    return ClaimRead.model_validate(
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
