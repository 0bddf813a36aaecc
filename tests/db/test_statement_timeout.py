"""The service's PostgreSQL connections carry the configured statement timeout, and keep the URL's options."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app.db.session import create_db_engine, engine_for
from tests.conftest import make_settings


@pytest.fixture
def postgres_url(backend: str, database_url: str) -> str:
    """The PostgreSQL test database (the timeout is PostgreSQL's: SQLite has no server to cancel work)."""
    if backend == "sqlite":
        pytest.skip("SQLite has no statement timeout: it runs in the process, for this request alone")
    return database_url


def _show(engine: Engine, setting: str) -> str:
    try:
        with engine.connect() as connection:
            return str(connection.scalar(text(f"SHOW {setting}")))
    finally:
        engine.dispose()


def test_the_setting_limits_every_connection_of_the_service(postgres_url: str) -> None:
    assert _show(
        engine_for(make_settings(postgres_url, db_statement_timeout_ms=1234)), "statement_timeout"
    ) == ("1234ms")
    assert (
        _show(engine_for(make_settings(postgres_url, db_statement_timeout_ms=0)), "statement_timeout") == "0"
    )


def test_the_timeout_joins_the_options_the_url_already_has(postgres_url: str) -> None:
    url = make_url(postgres_url).update_query_dict({"options": "-c search_path=pg_catalog,public"})
    engine = create_db_engine(url.render_as_string(hide_password=False), statement_timeout_ms=1234)

    assert _show(engine, "search_path") == "pg_catalog,public"
    assert _show(engine, "statement_timeout") == "1234ms"


def test_a_statement_running_past_it_is_cancelled(postgres_url: str) -> None:
    engine = create_db_engine(postgres_url, statement_timeout_ms=50)
    try:
        with pytest.raises(OperationalError, match="statement timeout"), engine.connect() as connection:
            connection.execute(text("SELECT pg_sleep(5)"))
    finally:
        engine.dispose()
