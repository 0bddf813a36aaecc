"""Twenty concurrent DELETEs of one article: exactly one answers 204, the others 404."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.conftest import count_rows

CLIENTS = 20
WAIT_S = 60.0  # a bound for the deletes to reach the database, not a measurement


def _deletes_waiting_for_a_lock(engine: Engine) -> int:
    """How many sessions wait on a lock in `DELETE FROM articles` in this database."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM articles%'"
    )
    with engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def test_one_of_twenty_concurrent_deletes_deletes(
    backend: str, client: TestClient, engine: Engine, posted_seed: dict[str, Any]
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the deletes cannot overlap")
    path = f"/v1/articles/{posted_seed['id']}"
    # Hold the row's lock until every DELETE has looked the article up and waits at the same point
    # (the pool is left last: its threads end only once the lock is released).
    with ThreadPoolExecutor(CLIENTS) as pool, engine.connect() as holder, holder.begin():
        holder.execute(text("SELECT id FROM articles WHERE id = :id FOR UPDATE"), {"id": posted_seed["id"]})
        sent = [pool.submit(client.delete, path) for _ in range(CLIENTS)]
        deadline = time.monotonic() + WAIT_S
        while _deletes_waiting_for_a_lock(engine) < CLIENTS and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _deletes_waiting_for_a_lock(engine) == CLIENTS
    statuses = Counter(future.result().status_code for future in sent)

    assert statuses == {204: 1, 404: CLIENTS - 1}
    assert count_rows(engine, "articles") == 0
