"""`/metrics` shows traffic by route template and status, extraction cost and database errors, per app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import started_client


def _samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample on `/metrics`, by name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def _value(client: TestClient, name: str, **labels: str) -> float:
    return _samples(client).get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def fresh(database_url: str, claim_extractor: ClaimExtractor, engine: Engine) -> Iterator[TestClient]:
    """An app of its own, so its counts start at zero."""
    with started_client(database_url, claim_extractor) as client:
        yield client


def test_requests_are_counted_by_route_template_not_raw_path(fresh: TestClient) -> None:
    for article_id in (1, 2, 3):
        fresh.get(f"/v1/articles/{article_id}")
    fresh.get("/no/such/path/42")

    samples = _samples(fresh)
    route = "/v1/articles/{article_id}"
    assert _value(fresh, "claims_http_requests_total", method="GET", route=route, status="404") == 3
    assert (
        samples[
            (
                "claims_http_request_duration_seconds_count",
                frozenset({"method": "GET", "route": route}.items()),
            )
        ]
        == 3
    )
    assert _value(fresh, "claims_http_requests_total", method="GET", route="<unmatched>", status="404") == 1
    assert not any("/v1/articles/1" in dict(labels).get("route", "") for _, labels in samples)


def test_extraction_time_and_claims_per_article_are_recorded(fresh: TestClient, seed_text: str) -> None:
    response = fresh.post("/v1/extract", json={"text": seed_text})
    claims = len(response.json()["claims"])

    assert _value(fresh, "claims_extraction_seconds_count") == 1
    assert _value(fresh, "claims_extraction_seconds_sum") > 0
    assert _value(fresh, "claims_extracted_per_article_count") == 1
    assert _value(fresh, "claims_extracted_per_article_sum") == claims > 0


def test_database_errors_are_counted(tmp_path: Path, claim_extractor: ClaimExtractor) -> None:
    unmigrated = f"sqlite:///{tmp_path / 'empty.db'}"  # no tables: every query fails
    with started_client(unmigrated, claim_extractor) as client:
        assert client.get("/v1/claims").status_code == 503

        assert _value(client, "claims_database_errors_total", error="OperationalError") >= 1


def test_connections_opened_are_counted_and_reused(fresh: TestClient) -> None:
    fresh.get("/v1/claims")
    opened = _value(fresh, "claims_database_connections_opened_total")
    for _ in range(5):
        assert fresh.get("/v1/claims").status_code == 200

    assert opened >= 1
    assert _value(fresh, "claims_database_connections_opened_total") == opened


def test_each_app_counts_on_its_own(fresh: TestClient, client: TestClient) -> None:
    before = _value(client, "claims_http_requests_total", method="GET", route="/healthz", status="200")
    fresh.get("/healthz")
    fresh.get("/healthz")

    assert _value(fresh, "claims_http_requests_total", method="GET", route="/healthz", status="200") == 2
    assert (
        _value(client, "claims_http_requests_total", method="GET", route="/healthz", status="200") == before
    )


def test_metrics_are_not_part_of_the_api_contract(fresh: TestClient) -> None:
    assert "/metrics" not in fresh.get("/openapi.json").json()["paths"]
