"""Engine and session factory, and the unit of work: commit on success, roll back on any error.

SQLite needs three fixes to behave like a real database here: foreign keys are off unless asked for
(so ON DELETE CASCADE would silently do nothing); pysqlite's own transaction handling breaks
SAVEPOINTs, so we let SQLAlchemy emit BEGIN itself (the recipe from SQLAlchemy's SQLite docs); and a
transaction that reads before it writes (look up a text, then insert it) fails at once with "database
is locked" when another one writes, since waiting could deadlock, so each transaction takes the write
lock when it begins (BEGIN IMMEDIATE) and concurrent requests queue on the busy timeout instead.

PostgreSQL runs a statement until it ends, even after the client that asked for it has gone: the
service's connections carry a `statement_timeout`, so no one request can keep the server busy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.core.metrics import Metrics

# A request, or a readiness probe, gives up on an unreachable server after this long instead of hanging
# for the operating system's TCP timeout; `?connect_timeout=N` in the database URL overrides it.
POSTGRES_CONNECT_TIMEOUT_S = 5


def engine_for(settings: Settings) -> Engine:
    """The engine of the configured database, its pool sized and its statements limited by the settings."""
    return create_db_engine(
        settings.database_url,
        settings.db_pool_size,
        settings.db_max_overflow,
        settings.db_statement_timeout_ms,
    )


def create_db_engine(
    url: str,
    pool_size: int = Settings.model_fields["db_pool_size"].default,
    max_overflow: int = Settings.model_fields["db_max_overflow"].default,
    statement_timeout_ms: int = 0,
) -> Engine:
    """An engine for `url`, with the per-backend settings this service relies on.

    `pool_size` and `max_overflow` size a database server's connection pool (SQLite has no server);
    `statement_timeout_ms` (PostgreSQL; 0: none) cancels any statement that runs longer.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    connect_args: dict[str, Any] = {}
    options: dict[str, Any] = {}
    if backend == "sqlite":
        # Requests hand a session from the threadpool that opened it to another one, one at a time.
        connect_args["check_same_thread"] = False
    else:
        options |= {"pool_size": pool_size, "max_overflow": max_overflow}
        if backend == "postgresql" and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT_S
        if backend == "postgresql" and statement_timeout_ms:
            setting = f"-c statement_timeout={statement_timeout_ms}"
            connect_args["options"] = " ".join([*_url_values(parsed.query.get("options")), setting])
    # pool_pre_ping: a connection the server dropped (restart, outage) is replaced, not handed out.
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args, **options)
    if backend == "sqlite":
        _make_sqlite_transactional(engine)
    return engine


def _url_values(value: str | tuple[str, ...] | None) -> list[str]:
    """A URL query parameter's values (`connect_args` replaces the URL's `options`, so we keep them)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _make_sqlite_transactional(engine: Engine) -> None:
    """Turn on foreign keys and let SQLAlchemy, not pysqlite, begin transactions, holding the write lock."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit, so responses can be built from them."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit if the block succeeds, roll back if it raises."""
    with factory() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def report_to(metrics: Metrics, engine: Engine) -> None:
    """Count every error the engine's driver raises (connection failures included) and every
    connection it opens, in the app's metrics."""

    def on_error(context: ExceptionContext) -> None:
        metrics.observe_database_error(type(context.original_exception).__name__)

    event.listen(engine, "handle_error", on_error)
    event.listen(engine, "connect", lambda *_: metrics.observe_database_connection())
