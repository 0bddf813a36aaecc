"""Every response carries an `X-Request-ID`, and the JSON log lines of that request carry the same id."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.nlp.extractor import ClaimExtractor
from app.services import claims
from tests.api.conftest import started_client

GENERATED = re.compile(r"[0-9a-f]{32}")


def _log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """The JSON log objects written to stderr so far."""
    lines = capsys.readouterr().err.splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("boom")


def test_every_response_has_a_request_id_refusals_and_crashes_too(
    database_url: str, claim_extractor: ClaimExtractor, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = {"max_body_bytes": 100, "rate_limit_per_minute": 4}
    with started_client(database_url, claim_extractor, **limits) as client:
        responses = [
            client.get("/healthz"),
            client.get("/v1/claims/99"),
            client.post("/v1/extract", content=b"{}" * 100, headers={"content-type": "application/json"}),
            client.post("/v1/extract", content=b"text", headers={"content-type": "text/plain"}),
        ]
        monkeypatch.setattr(claims, "query_claims", _boom)
        responses.append(client.get("/v1/claims"))
        responses.append(client.get("/v1/claims"))

    assert [r.status_code for r in responses] == [200, 404, 413, 415, 500, 429]
    ids = [r.headers["x-request-id"] for r in responses]
    assert all(GENERATED.fullmatch(i) for i in ids) and len(set(ids)) == len(ids)


def test_a_well_formed_client_id_is_kept_and_anything_else_replaced(client: TestClient) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.42"})
    long = client.get("/healthz", headers={"X-Request-ID": "x" * 129})
    spaced = client.get("/healthz", headers={"X-Request-ID": 'a b"\\n{"level": "ERROR"}'})

    assert kept.headers["x-request-id"] == "edge-7f3a.42"
    assert GENERATED.fullmatch(long.headers["x-request-id"])
    assert GENERATED.fullmatch(spaced.headers["x-request-id"])


def test_one_json_access_line_per_request_and_every_line_has_its_id(
    tmp_path: Any, claim_extractor: ClaimExtractor, capsys: pytest.CaptureFixture[str]
) -> None:
    unmigrated = f"sqlite:///{tmp_path / 'empty.db'}"  # queries fail: the error handler logs a line
    with started_client(unmigrated, claim_extractor) as client:
        _log_lines(capsys)
        response = client.get("/v1/claims", headers={"X-Request-ID": "req-1"})

    assert response.status_code == 503
    mine = [line for line in _log_lines(capsys) if line.get("request_id") == "req-1"]
    access = [line for line in mine if line["logger"] == "app.access"]
    assert len(access) == 1
    assert access[0]["method"] == "GET" and access[0]["route"] == "/v1/claims"
    assert access[0]["status"] == 503 and access[0]["duration_ms"] >= 0
    assert any(line["level"] == "ERROR" and "database" in line["message"] for line in mine)


def test_article_text_is_not_logged(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    secret = "Quetzalcoatl-Marmalade said the embargo would end."

    client.post("/v1/extract", json={"text": secret})
    client.post("/v1/articles", json={"text": secret, "published_at": "nonsense"})

    logged = capsys.readouterr().err
    assert '"logger": "app.access"' in logged  # the requests were logged, without their text
    assert "Quetzalcoatl" not in logged
