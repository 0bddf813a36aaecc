"""Fixtures for the system tests: a live server per backend, shared by the tests that leave it running."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.system.server import LiveServer


@pytest.fixture(scope="session")
def live_server(
    migrated_engine: Engine, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """`uvicorn app.main:app` on the migrated database; its tests also take `engine` (empty tables)."""
    with LiveServer(database_url, tmp_path_factory.mktemp("server") / "uvicorn.log") as server:
        yield server
