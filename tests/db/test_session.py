"""The unit of work and the UTC timestamp type."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import StatementError

from app.db.models import Article, Entity
from app.db.session import create_db_engine, create_session_factory, unit_of_work
from tests.conftest import count_rows


def test_unit_of_work_commits_on_success_and_rolls_back_on_error(engine: Engine) -> None:
    factory = create_session_factory(engine)
    with unit_of_work(factory) as session:
        session.add(Entity(name="Kept", name_key="kept", type="person"))
    with pytest.raises(ValueError), unit_of_work(factory) as session:
        session.add(Entity(name="Lost", name_key="lost", type="person"))
        session.flush()
        raise ValueError("the request failed")

    assert count_rows(engine, "entities") == 1


def _article(created_at: dt.datetime) -> Article:
    return Article(text="t", content_sha256="0" * 64, pipeline_version="p", created_at=created_at)


def test_timestamps_come_back_aware_in_utc(engine: Engine) -> None:
    factory = create_session_factory(engine)
    when = dt.datetime(2024, 11, 7, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    with unit_of_work(factory) as session:
        session.add(_article(when))
    with factory() as session:
        stored = session.query(Article).one()

    assert stored.created_at == when and stored.created_at.tzinfo == dt.UTC


def test_naive_timestamps_are_refused(engine: Engine) -> None:
    with (
        pytest.raises(StatementError, match="timezone-aware"),
        unit_of_work(create_session_factory(engine)) as s,
    ):
        s.add(_article(dt.datetime(2024, 11, 7, 15, 30)))


def test_a_burst_of_concurrent_requests_reuses_the_pooled_connections(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite is a file in the process: it has no server connections to keep open")
    engine = create_db_engine(database_url, pool_size=6, max_overflow=4)
    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    sessions, together = create_session_factory(engine), threading.Barrier(6)

    def request() -> None:
        with unit_of_work(sessions) as session:
            session.execute(text("SELECT 1"))  # holds a connection until the unit of work ends
            together.wait(timeout=10)

    try:
        for _ in range(3):  # three bursts of six requests at once
            threads = [threading.Thread(target=request) for _ in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        engine.dispose()

    assert len(opened) == 6  # the first burst opened them; the next two found them in the pool
