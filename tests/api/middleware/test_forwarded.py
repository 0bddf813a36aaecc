"""`X-Forwarded-For` names the client only when the peer sending it is a configured proxy.

What uvicorn does with the header before the app sees it is tested on the real server, in
`tests/system/test_entrypoint.py`.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem
from tests.conftest import make_settings

PROXY = ("10.0.0.7", 41000)


def _client(database_url: str, claim_extractor: ClaimExtractor, trusted: list[str]) -> TestClient:
    """An app allowing one request a minute per client, reached from PROXY."""
    settings = make_settings(database_url, rate_limit_per_minute=1, forwarded_allow_ips=trusted)
    return TestClient(create_app(settings, extractor=claim_extractor), client=PROXY)


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
    database_url: str, claim_extractor: ClaimExtractor, engine: object
) -> None:
    with _client(database_url, claim_extractor, ["10.0.0.0/24"]) as client:
        for address in ("203.0.113.1", "203.0.113.2"):
            assert client.get("/v1/claims", headers={"X-Forwarded-For": address}).status_code == 200
        again = client.get("/v1/claims", headers={"X-Forwarded-For": "203.0.113.1"})
        assert_problem(again, 429, "rate-limited")


@pytest.mark.parametrize("trusted", [[], ["10.0.1.0/24"]])
def test_a_peer_that_is_no_trusted_proxy_cannot_name_another_client(
    database_url: str, claim_extractor: ClaimExtractor, engine: object, trusted: list[str]
) -> None:
    with _client(database_url, claim_extractor, trusted) as client:
        assert client.get("/v1/claims", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
        spoofed = client.get("/v1/claims", headers={"X-Forwarded-For": "203.0.113.2"})
        assert_problem(spoofed, 429, "rate-limited")


def test_trusted_proxies_read_from_the_environment_as_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_FORWARDED_ALLOW_IPS", "10.0.0.1, 192.168.0.0/16")
    assert make_settings("sqlite://").forwarded_allow_ips == ["10.0.0.1", "192.168.0.0/16"]
