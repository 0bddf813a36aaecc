"""The app's lifespan: resources made at start-up, handed out loudly, and readiness that tells the truth."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem
from tests.conftest import make_settings


def test_health_and_readiness_when_running(running_client: TestClient) -> None:
    assert running_client.get("/healthz").json() == {"status": "ok"}
    ready = running_client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ok"}


def test_a_missing_model_stops_start_up(tmp_path: Path) -> None:
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'x.db'}", spacy_model="no_such_model_installed"))

    with pytest.raises(OSError), TestClient(app):
        pass


def test_without_the_lifespan_routes_fail_loudly_and_readiness_says_no(
    tmp_path: Path, claim_extractor: ClaimExtractor
) -> None:
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'x.db'}"), extractor=claim_extractor)
    quiet = TestClient(app, raise_server_exceptions=False)  # not entered: the lifespan never runs

    assert_problem(quiet.post("/v1/extract", json={"text": "Ali said so."}), 500, "internal")
    assert_problem(quiet.get("/readyz"), 503, "service-unavailable")
    assert quiet.get("/healthz").status_code == 200
    with pytest.raises(RuntimeError, match="lifespan"):
        TestClient(app).post("/v1/extract", json={"text": "Ali said so."})


@pytest.mark.parametrize(
    "url",
    ["sqlite:////nonexistent-dir/claims.db", "postgresql+psycopg://postgres@127.0.0.1:1/nothing"],
    ids=["sqlite", "postgresql"],
)
def test_readiness_is_503_when_the_database_is_unreachable(url: str, claim_extractor: ClaimExtractor) -> None:
    with TestClient(create_app(make_settings(url), extractor=claim_extractor)) as client:
        problem = assert_problem(client.get("/readyz"), 503, "service-unavailable")
        assert "database" in problem["detail"]
        assert client.get("/healthz").status_code == 200
        assert_problem(client.get("/v1/articles"), 503, "service-unavailable")
