"""Every answer carries the hardening headers: data, problems, refusals from middleware, crashes, docs."""

from __future__ import annotations

import httpx2 as httpx
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from app.api.errors import install_error_handlers
from app.api.middleware.stack import install_middleware
from app.core.keys import hash_key
from app.core.metrics import Metrics
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import started_client
from tests.conftest import make_settings

STRICT = "default-src 'none'; frame-ancestors 'none'"
# The docs pages run Swagger UI's and ReDoc's inline code, but load nothing from another origin.
PAGE = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
)


def assert_hardened(response: httpx.Response, policy: str = STRICT) -> None:
    """The headers every answer must carry."""
    path = response.request.url.path
    assert response.headers["x-content-type-options"] == "nosniff", path
    assert response.headers["x-frame-options"] == "DENY", path
    assert response.headers["content-security-policy"] == policy, path
    assert response.headers["referrer-policy"] == "no-referrer", path
    assert response.headers["cache-control"] == "no-store", path


def test_answers_and_problems_of_the_api_are_hardened(
    database_url: str, claim_extractor: ClaimExtractor, engine: object
) -> None:
    key = {"X-API-Key": "k-0123456789"}
    settings = {
        "api_key_hashes": [hash_key(key["X-API-Key"])],
        "rate_limit_per_minute": 4,
        "max_body_bytes": 50,
    }
    with started_client(database_url, claim_extractor, **settings) as client:
        responses = [
            client.get("/v1/claims", headers=key),  # 200
            client.get("/v1/articles/999", headers=key),  # 404 from a route
            client.post("/v1/extract", content="x" * 60, headers=key),  # 413 from middleware
            client.post("/v1/extract", content="x", headers=key),  # 415 from middleware
            client.get("/v1/claims"),  # 401 from middleware
            client.get("/nowhere"),  # 404 from the router
            client.get("/healthz"),
            client.head("/readyz"),
            client.get("/openapi.json", headers=key),
            client.get("/metrics", headers=key),
        ]
        responses.append(client.get("/v1/claims", headers=key))  # the fifth with this key this minute: 429
        assert [r.status_code for r in responses] == [200, 404, 413, 415, 401, 404, 200, 200, 200, 200, 429]
        for response in responses:
            assert_hardened(response)


def test_the_docs_pages_load_their_assets_from_this_service_only_and_are_not_framed(
    client: TestClient,
) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_hardened(response, policy=PAGE)
        assert "cdn." not in response.text and "https://" not in response.text.split("</head>")[0], path
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert client.get(f"/docs/assets/{asset}").status_code == 200, asset


def test_a_crash_answered_by_the_last_resort_is_hardened_too() -> None:
    app = FastAPI()

    @app.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    install_error_handlers(app)
    install_middleware(app, make_settings("sqlite://"), Metrics())
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/boom")

    assert response.status_code == 500
    assert_hardened(response)


def test_a_header_the_response_sets_itself_is_kept() -> None:
    app = FastAPI()

    @app.get("/own")
    def own() -> PlainTextResponse:
        return PlainTextResponse("hi", headers={"Cache-Control": "max-age=60"})

    install_middleware(app, make_settings("sqlite://"), Metrics())
    with TestClient(app) as client:
        response = client.get("/own")

    assert response.headers["cache-control"] == "max-age=60"
    assert response.headers["x-frame-options"] == "DENY"
