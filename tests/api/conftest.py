"""Helpers for the end-to-end API tests (real model, real database)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.nlp.extractor import ClaimExtractor
from tests.conftest import make_settings

PROBLEM_BASE = "https://claims.example/problems/"


def assert_problem(response: httpx.Response, status: int, slug: str | None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status and type; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == (PROBLEM_BASE + slug if slug else "about:blank")
    assert body["title"] and body["detail"]
    assert body["instance"] == response.request.url.path
    return body


@pytest.fixture
def posted_seed(client: Any, seed_text: str) -> dict[str, Any]:
    """The seed article, stored through the API."""
    response = client.post("/v1/articles", json={"text": seed_text})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@contextmanager
def started_client(database_url: str, extractor: ClaimExtractor, **overrides: object) -> Iterator[TestClient]:
    """A fresh app with these settings, started through its lifespan (for tests of start-up behaviour)."""
    app = create_app(make_settings(database_url, **overrides), extractor=extractor)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
