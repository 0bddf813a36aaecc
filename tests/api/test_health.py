"""Health checks answer HEAD as well as GET; readiness needs the configured broker to be reachable."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem, started_client
from tests.system.server import free_port

BROKER_URL = os.environ.get("TEST_BROKER_URL", "")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_head(client: TestClient, path: str) -> None:
    response = client.head(path)

    assert response.status_code == 200
    assert response.content == b""


def test_not_ready_while_the_broker_is_unreachable(
    database_url: str, claim_extractor: ClaimExtractor, engine: object
) -> None:
    closed = f"amqp://guest:guest@127.0.0.1:{free_port()}/"  # nothing listens there
    with started_client(database_url, claim_extractor, broker_url=closed) as client:
        problem = assert_problem(client.get("/readyz"), 503, "service-unavailable")
        assert "broker" in problem["detail"]
        assert client.head("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200  # alive, only not ready


@pytest.mark.skipif(not BROKER_URL, reason="TEST_BROKER_URL is empty: no broker to reach")
def test_ready_with_a_reachable_broker(
    database_url: str, claim_extractor: ClaimExtractor, engine: object
) -> None:
    with started_client(database_url, claim_extractor, broker_url=BROKER_URL) as client:
        assert client.get("/readyz").status_code == 200
