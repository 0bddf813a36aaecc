"""Claims as schema.org `Claim` objects (JSON-LD), the shape fact-checkers build a `ClaimReview` on.

`Accept: application/ld+json` on `GET /v1/claims/{id}` gives one `Claim`; on `GET /v1/articles/{id}`
the article's claims, as a `@graph`. The mapping: `author` is the speaker, `dateCreated` the statement
date, `appearance` the article (its URL when it was given one), `about` the targets. Stance has no
schema.org property: it stays in the JSON answer.
"""

from __future__ import annotations

from typing import Any

from app.api.media import accepted
from app.db import models

LD_JSON = "application/ld+json"
RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The JSON answer; with `Accept: application/ld+json`, schema.org `Claim` objects.",
        "content": {LD_JSON: {"schema": {"type": "object"}}},
    }
}
CONTEXT = "https://schema.org"
# schema.org types of our entity types; a group of people ("residents") has no closer type than Thing
SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "location": "Place", "group": "Thing"}


def wants_linked_data(accept: str | None) -> bool:
    """Whether the `Accept` header asks for JSON-LD."""
    return accepted(accept, (LD_JSON,)) is not None


def claim_document(claim: models.Claim, base_url: str) -> dict[str, Any]:
    """One stored claim (its article, speaker and targets loaded) as a JSON-LD document."""
    return {"@context": CONTEXT, **_claim(claim, base_url)}


def article_document(article: models.Article, base_url: str) -> dict[str, Any]:
    """A stored article's claims as one JSON-LD document."""
    return {"@context": CONTEXT, "@graph": [_claim(claim, base_url, article) for claim in article.claims]}


def _claim(claim: models.Claim, base_url: str, article: models.Article | None = None) -> dict[str, Any]:
    article = article or claim.article
    found: dict[str, Any] = {
        "@type": "Claim",
        "@id": f"{base_url}/v1/claims/{claim.id}",
        "identifier": claim.id,
        "text": claim.text,
        "author": _thing(claim.speaker, claim.speaker_role),
        "appearance": _appearance(article, base_url),
        "about": [_thing(target.entity) for target in claim.targets],
    }
    if claim.date_value is not None:
        found["dateCreated"] = claim.date_value.isoformat()
    return found


def _thing(entity: models.Entity, role: str | None = None) -> dict[str, Any]:
    thing: dict[str, Any] = {"@type": SCHEMA_TYPES.get(entity.type, "Thing"), "name": entity.name}
    if role and thing["@type"] == "Person":
        thing["jobTitle"] = role
    return thing


def _appearance(article: models.Article, base_url: str) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle", "@id": f"{base_url}/v1/articles/{article.id}"}
    optional = {
        "url": article.url,
        "headline": article.title,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "publisher": {"@type": "Organization", "name": article.source} if article.source else None,
    }
    return work | {key: value for key, value in optional.items() if value is not None}
