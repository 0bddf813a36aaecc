"""`POST /v1/extract` end to end with the real model: its findings passed through, nothing stored."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.nlp.extractor import ClaimExtractor
from tests.conftest import count_rows

SHORT = 'Khawaja Asif, the defence minister, said on Monday that "talks with Kabul will resume soon."'


def test_seed_article_gives_claims_and_its_publication_date(
    client: TestClient, engine: Engine, seed_text: str, claim_extractor: ClaimExtractor
) -> None:
    response = client.post("/v1/extract", json={"text": seed_text})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["published_at"] == "2024-11-07" and body["published_at_source"] == "text"
    info = claim_extractor.info
    assert body["pipeline"] == {
        "model": info.model,
        "model_version": info.model_version,
        "spacy_version": info.spacy_version,
        "rules_version": info.rules_version,
        "version": info.version,
    }
    expected = claim_extractor.extract(seed_text, None).claims
    assert [c["text"] for c in body["claims"]] == [c.text for c in expected] != []
    assert [c["speaker"]["name"] for c in body["claims"]] == [c.speaker.name for c in expected]
    for claim in body["claims"]:
        assert "id" not in claim and "article_id" not in claim
        assert set(claim) == {"type", "text", "spans", "speaker", "cue", "targets", "date", "confidence"}
        assert all(seed_text[s["start"] : s["end"]] for s in claim["spans"])
        assert 0.0 <= claim["confidence"] <= 1.0
    assert count_rows(engine, "articles") == 0 and count_rows(engine, "entities") == 0


def test_request_date_is_used_and_anchors_relative_dates(
    client: TestClient, claim_extractor: ClaimExtractor
) -> None:
    dates = []
    for sent, day in (
        ("2024-11-07", dt.date(2024, 11, 7)),
        ("2024-11-14T23:30:00-05:00", dt.date(2024, 11, 14)),
    ):
        body = client.post("/v1/extract", json={"text": SHORT, "published_at": sent}).json()

        assert body["published_at"] == day.isoformat() and body["published_at_source"] == "request"
        expected = claim_extractor.extract(SHORT, day).claims
        got = [c["date"]["value"] for c in body["claims"]]
        assert got == [c.date.value.isoformat() if c.date.value else None for c in expected] != []
        dates.append(got)
    assert dates[0] != dates[1]  # "on Monday" is resolved against the date the request gave
