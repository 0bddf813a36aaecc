"""With API key hashes configured, `/v1` needs one of those keys, and so do docs and metrics unless
settings make them public; health checks stay open."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.core.keys import hash_key
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem, started_client

KEYS = ("first-key-0123456789", "second-key-9876543210")


@pytest.fixture
def locked(database_url: str, claim_extractor: ClaimExtractor, engine: object) -> Iterator[TestClient]:
    """An app that accepts exactly the two KEYS."""
    hashes = [hash_key(key) for key in KEYS]
    with started_client(database_url, claim_extractor, api_key_hashes=hashes) as client:
        yield client


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-Key": "guess"},
        {"Authorization": "Bearer guess"},
        {"Authorization": f"Basic {KEYS[0]}"},
        {"X-API-Key": hash_key(KEYS[0])},
    ],
)
def test_a_missing_or_wrong_key_is_a_401_problem_with_a_challenge(
    locked: TestClient, headers: dict[str, str]
) -> None:
    for response in (
        locked.get("/v1/claims", headers=headers),
        locked.post("/v1/extract", json={"text": "Ali said so."}, headers=headers),
        locked.delete("/v1/articles/1", headers=headers),
    ):
        assert_problem(response, 401, "unauthorized")
        assert "X-API-Key" in response.headers["www-authenticate"]


@pytest.mark.parametrize("key", KEYS)
def test_each_configured_key_works_in_either_header(locked: TestClient, key: str) -> None:
    assert locked.get("/v1/claims", headers={"X-API-Key": key}).status_code == 200
    assert locked.get("/v1/articles", headers={"Authorization": f"Bearer {key}"}).status_code == 200


DOCS = ("/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json")


def test_health_needs_no_key(locked: TestClient) -> None:
    for path in ("/healthz", "/readyz"):
        assert locked.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("docs_public", "metrics_public"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_docs_and_metrics_need_a_key_unless_settings_make_them_public(
    database_url: str,
    claim_extractor: ClaimExtractor,
    engine: object,
    docs_public: bool,
    metrics_public: bool,
) -> None:
    settings = {"docs_public": docs_public, "metrics_public": metrics_public}
    hashes = [hash_key(KEYS[0])]
    with started_client(database_url, claim_extractor, api_key_hashes=hashes, **settings) as client:
        for paths, public in ((DOCS, docs_public), (("/metrics",), metrics_public)):
            for path in paths:
                if public:
                    assert client.get(path).status_code == 200, path
                else:
                    assert_problem(client.get(path), 401, "unauthorized")
                    assert client.get(path, headers={"X-API-Key": KEYS[0]}).status_code == 200, path
        # Prometheus sends its credentials as a bearer token.
        assert client.get("/metrics", headers={"Authorization": f"Bearer {KEYS[0]}"}).status_code == 200


def test_without_keys_docs_and_metrics_are_open(client: TestClient) -> None:
    for path in (*DOCS, "/metrics"):
        assert client.get(path).status_code == 200, path


def test_without_keys_the_api_is_open_and_start_up_warns(
    database_url: str, claim_extractor: ClaimExtractor, engine: object, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING), started_client(database_url, claim_extractor) as client:
        assert client.get("/v1/claims").status_code == 200
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("API key" in message for message in warnings)


def test_swagger_offers_the_key_schemes_and_declares_401(locked: TestClient) -> None:
    schema = locked.get("/openapi.json", headers={"X-API-Key": KEYS[0]}).json()

    assert schema["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-API-Key"
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    extract = schema["paths"]["/v1/extract"]["post"]
    assert "401" in extract["responses"] and extract["security"]
    assert "security" not in schema["paths"]["/healthz"]["get"]
