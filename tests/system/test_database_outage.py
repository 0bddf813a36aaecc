"""PostgreSQL going away while the service runs: writes and readiness say 503 with `Retry-After`, fast,
and the service recovers by itself once the database is back (the pool replaces dropped connections)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from app.core.exceptions import RETRY_AFTER_S
from app.main import create_app
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem
from tests.conftest import count_rows, make_settings
from tests.system.proxy import Mode, TcpProxy

CONNECT_TIMEOUT_S = 1


@pytest.fixture
def proxy(backend: str, database_url: str) -> Iterator[TcpProxy]:
    """A proxy in front of the test database (PostgreSQL only: SQLite has no server to lose)."""
    if backend != "postgresql":
        pytest.skip("SQLite is a file in the process: there is no server to lose")
    url = make_url(database_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


@pytest.fixture
def proxied_client(
    proxy: TcpProxy, database_url: str, engine: Engine, claim_extractor: ClaimExtractor
) -> Iterator[TestClient]:
    """The app, started through its lifespan, reaching the database through the proxy."""
    url = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    url = url.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_S)})
    app = create_app(make_settings(url.render_as_string(hide_password=False)), extractor=claim_extractor)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _post(client: TestClient, text: str) -> tuple[int, float]:
    """POST an article; its status and how long the answer took."""
    start = time.monotonic()
    response = client.post("/v1/articles", json={"text": text})
    if response.status_code == 503:
        assert_problem(response, 503, "service-unavailable")
        assert response.headers["retry-after"] == str(RETRY_AFTER_S)
    return response.status_code, time.monotonic() - start


def _ready(client: TestClient) -> int:
    """The readiness status; a 503 must carry `Retry-After`."""
    response = client.get("/readyz")
    if response.status_code == 503:
        assert_problem(response, 503, "service-unavailable")
        assert response.headers["retry-after"] == str(RETRY_AFTER_S)
    return response.status_code


@pytest.mark.parametrize("outage", [Mode.REFUSE, Mode.STALL], ids=["server-down", "network-lost"])
def test_outage_is_503_with_retry_after_and_the_service_recovers(
    proxy: TcpProxy, proxied_client: TestClient, engine: Engine, outage: Mode
) -> None:
    client = proxied_client
    assert _post(client, "Ana Ruiz said the bridge will open. Before.")[0] == 201
    assert _ready(client) == 200

    proxy.set_mode(outage)
    status, took = _post(client, "Ana Ruiz said the bridge will open. During.")
    assert status == 503 and took < CONNECT_TIMEOUT_S + 3
    assert _ready(client) == 503
    assert client.get("/healthz").status_code == 200  # alive: a restart would not help

    proxy.set_mode(Mode.UP)
    assert _ready(client) == 200
    assert _post(client, "Ana Ruiz said the bridge will open. After.")[0] == 201
    assert count_rows(engine, "articles") == 2


def test_connections_dropped_while_idle_are_replaced(
    proxy: TcpProxy, proxied_client: TestClient, engine: Engine
) -> None:
    client = proxied_client
    assert _post(client, "Ana Ruiz said the bridge will open. Before.")[0] == 201

    proxy.set_mode(Mode.REFUSE)  # a database restart that no request saw: pooled connections are dead
    proxy.set_mode(Mode.UP)

    assert _post(client, "Ana Ruiz said the bridge will open. After.")[0] == 201
    assert _ready(client) == 200
