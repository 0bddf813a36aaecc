"""Oversized or non-JSON bodies and too many requests are refused early, as problems a client can act on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.core.keys import hash_key
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem, started_client
from tests.conftest import count_rows

BODY_ENDPOINTS = ["/v1/extract", "/v1/articles"]
JSON = {"content-type": "application/json"}


def _body_of(size: int) -> bytes:
    """A valid article body of exactly `size` bytes."""
    head, tail = b'{"text": "Ali said so.', b'"}'
    return head + b" " * (size - len(head) - len(tail)) + tail


@pytest.fixture
def small_bodies(database_url: str, claim_extractor: ClaimExtractor, engine: Engine) -> Iterator[TestClient]:
    """An app that accepts bodies of at most 200 bytes."""
    with started_client(database_url, claim_extractor, max_body_bytes=200) as client:
        yield client


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
def test_a_body_over_the_byte_limit_is_a_413_problem(
    small_bodies: TestClient, engine: Engine, path: str
) -> None:
    declared = small_bodies.post(path, content=_body_of(201), headers=JSON)
    streamed = small_bodies.post(path, content=iter([_body_of(201)[:100], _body_of(201)[100:]]), headers=JSON)

    for response in (declared, streamed):
        problem = assert_problem(response, 413, "body-too-large")
        assert "200" in problem["detail"]
    assert "content-length" not in streamed.request.headers
    assert count_rows(engine, "articles") == 0
    assert small_bodies.post(path, content=_body_of(200), headers=JSON).status_code in (200, 201)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", None]
)
def test_a_body_that_is_not_json_is_a_415_problem(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/v1/extract", content=b'{"text": "Ali said so."}', headers=headers)

    assert_problem(response, 415, "unsupported-media-type")


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON", "application/vnd.claims+json"]
)
def test_json_bodies_in_any_json_media_type_are_accepted(client: TestClient, content_type: str) -> None:
    response = client.post(
        "/v1/extract", content=b'{"text": "Ali said so."}', headers={"content-type": content_type}
    )

    assert response.status_code == 200, response.text


def test_requests_without_a_body_need_no_content_type(client: TestClient) -> None:
    assert_problem(client.post("/v1/extract"), 422, "validation")


def test_over_the_rate_limit_is_a_429_problem_with_retry_after(
    database_url: str, claim_extractor: ClaimExtractor, engine: Engine
) -> None:
    with started_client(database_url, claim_extractor, rate_limit_per_minute=2) as client:
        assert [client.get("/v1/claims").status_code for _ in range(2)] == [200, 200]
        refused = client.get("/v1/articles")

        assert_problem(refused, 429, "rate-limited")
        assert 1 <= int(refused.headers["retry-after"]) <= 30
        assert all(client.get(path).status_code == 200 for path in ("/healthz", "/readyz") * 3)


def test_each_key_has_its_own_rate_limit(
    database_url: str, claim_extractor: ClaimExtractor, engine: Engine
) -> None:
    hashes = [hash_key("key-a"), hash_key("key-b")]
    with started_client(
        database_url, claim_extractor, rate_limit_per_minute=1, api_key_hashes=hashes
    ) as client:
        assert client.get("/v1/claims", headers={"X-API-Key": "key-a"}).status_code == 200
        assert_problem(client.get("/v1/claims", headers={"X-API-Key": "key-a"}), 429, "rate-limited")
        assert client.get("/v1/claims", headers={"Authorization": "Bearer key-b"}).status_code == 200


def test_without_origins_there_are_no_cors_headers(client: TestClient) -> None:
    origin = {"Origin": "https://news.example"}
    preflight = client.options("/v1/claims", headers={**origin, "Access-Control-Request-Method": "GET"})

    assert "access-control-allow-origin" not in client.get("/v1/claims", headers=origin).headers
    assert "access-control-allow-origin" not in preflight.headers


def test_configured_origins_get_cors_headers(
    database_url: str, claim_extractor: ClaimExtractor, engine: Engine
) -> None:
    allowed, other = "https://news.example", "https://evil.example"
    with started_client(database_url, claim_extractor, cors_origins=[allowed]) as client:
        preflight = client.options(
            "/v1/extract",
            headers={
                "Origin": allowed,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, x-api-key",
            },
        )
        simple = client.get("/v1/claims", headers={"Origin": allowed})
        foreign = client.get("/v1/claims", headers={"Origin": other})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == allowed
    assert simple.headers["access-control-allow-origin"] == allowed
    assert "X-Request-ID" in simple.headers["access-control-expose-headers"]
    assert "access-control-allow-origin" not in foreign.headers
