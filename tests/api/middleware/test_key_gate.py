"""With keys configured, a request without one is refused from its headers, before its body is read."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi.testclient import TestClient

from app.core.keys import hash_key
from app.main import create_app
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem
from tests.conftest import make_settings

KEY = "gate-key-0123456789"


def _app(claim_extractor: ClaimExtractor, **overrides: object) -> Any:
    """An app requiring KEY, on an in-memory database (what is tested here answers before any route)."""
    settings = make_settings("sqlite://", api_key_hashes=[hash_key(KEY)], **overrides)
    return create_app(settings, extractor=claim_extractor)


def _post_never_sending_the_body(app: Any, headers: list[tuple[bytes, bytes]]) -> tuple[list[int], int]:
    """POST /v1/jobs straight through ASGI (no lifespan); the statuses sent, and how often the app asked for
    the body (the client hangs up instead of sending it)."""
    reads, statuses = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/jobs",
        "raw_path": b"/v1/jobs",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"33554432"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(app(scope, receive, send))
    return statuses, reads


def test_a_request_without_a_key_is_refused_without_its_body_being_read(
    claim_extractor: ClaimExtractor,
) -> None:
    app = _app(claim_extractor)

    for headers in ([], [(b"x-api-key", b"wrong")]):
        assert _post_never_sending_the_body(app, headers) == ([401], 0)


def test_an_oversize_body_without_a_key_is_a_401_and_with_one_a_413(claim_extractor: ClaimExtractor) -> None:
    app = _app(claim_extractor, max_body_bytes=100)
    body = b'{"text": "' + b"x" * 1000 + b'"}'
    headers = {"Content-Type": "application/json"}

    with TestClient(app, raise_server_exceptions=False) as client:
        assert_problem(client.post("/v1/extract", content=body, headers=headers), 401, "unauthorized")
        keyed = client.post("/v1/extract", content=body, headers={**headers, "X-API-Key": KEY})
        assert_problem(keyed, 413, "body-too-large")


def test_paths_outside_v1_and_the_guarded_ones_need_no_key(claim_extractor: ClaimExtractor) -> None:
    app = _app(claim_extractor, docs_public=True, metrics_public=True)

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/healthz").status_code == 200
        assert_problem(client.get("/nowhere"), 404, None)
        assert_problem(client.get("/v1/nowhere"), 401, "unauthorized")  # /v1 hides which paths exist
