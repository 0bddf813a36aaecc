"""The app with a real pool of parser processes: parses there, and outlives one killed mid-service."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.extraction.processes import ProcessBackend
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem, started_client
from tests.conftest import count_rows

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pooled(
    database_url: str, claim_extractor: ClaimExtractor, migrated_engine: Engine
) -> Iterator[TestClient]:
    """An app whose extraction runs in one parser process (which loads the model by name itself)."""
    with started_client(database_url, claim_extractor, extraction_processes=1) as client:
        yield client


def _backend(client: TestClient) -> ProcessBackend:
    backend = client.app.state.extraction.backend  # type: ignore[attr-defined]
    assert isinstance(backend, ProcessBackend)
    return backend


def _kill(pid: int) -> None:
    """SIGKILL a parser process and wait until it is gone (reaped by the pool)."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def test_articles_are_parsed_in_a_parser_process(
    pooled: TestClient, engine: Engine, seed_text: str, claim_extractor: ClaimExtractor
) -> None:
    pids = _backend(pooled).parser_pids()

    single = pooled.post("/v1/articles", json={"text": seed_text})
    batch = pooled.post(
        "/v1/articles:batch", json={"articles": [{"text": seed_text}, {"text": "Ali said so."}]}
    )

    assert len(pids) == 1 and pids[0] != os.getpid()
    assert single.status_code == 201, single.text
    expected = claim_extractor.extract(seed_text, None)
    assert [c["text"] for c in single.json()["claims"]] == [c.text for c in expected.claims] != []
    assert [r["status"] for r in batch.json()["results"]] == [200, 201]
    assert count_rows(engine, "articles") == 2


def test_a_killed_parser_process_costs_one_503_and_a_fresh_pool_takes_over(
    pooled: TestClient, engine: Engine
) -> None:
    before = _backend(pooled).parser_pids()
    _kill(before[0])

    lost = pooled.post("/v1/articles", json={"text": 'Ali said "one."'})
    lost_batch = pooled.post("/v1/articles:batch", json={"articles": [{"text": 'Ali said "two."'}]})
    again = pooled.post("/v1/articles", json={"text": 'Ali said "one."'})

    problem = assert_problem(lost, 503, "service-unavailable")
    assert "retry" in problem["detail"]
    # The first request broke the old pool and replaced it: the batch after it already parses again.
    assert lost_batch.status_code == 207 and lost_batch.json()["created"] == 1
    assert again.status_code == 201, again.text
    assert _backend(pooled).parser_pids() != before
    assert pooled.get("/readyz").status_code == 200
    assert count_rows(engine, "articles") == 2
