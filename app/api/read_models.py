"""Stored rows as the API shows them: the one place that knows both the ORM rows and the response
schemas, so that neither layer names the other."""

from __future__ import annotations

from app.db import models
from app.schemas.article import ArticleRead, ArticleSummary
from app.schemas.claim import ClaimRead


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
