"""Alembic environment: the URL comes from the service settings (`CLAIMS_DATABASE_URL`).

A caller may instead hand over an open connection in `config.attributes["connection"]` (the tests
do, to migrate the database they are about to use).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from app.core.config import get_settings
from app.db import models  # noqa: F401  (defines the tables on Base.metadata)
from app.db.base import Base
from app.db.models import is_search_index
from app.db.session import create_db_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _include_name(name: str | None, type_: str, parent_names: dict[str, str | None]) -> bool:
    """Leave the full-text index, which the metadata does not describe, out of autogenerate."""
    return not is_search_index(name, type_, parent_names)


def _configure(connection: Connection) -> None:
    """Settings shared by every online run.

    SQLite alters tables by copying them (batch mode); its DDL is transactional too once
    `create_db_engine` lets SQLAlchemy emit BEGIN, so a failed migration leaves nothing behind.
    """
    is_sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite,
        transactional_ddl=True if is_sqlite else None,
        compare_type=True,
        include_name=_include_name,
    )


def run_migrations_offline() -> None:
    """Emit SQL for the configured URL instead of running it."""
    url = get_settings().database_url
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """Foreign keys off while SQLite migrates, as its procedure for rebuilding a table says: batch mode
    drops the old copy of a table, and with foreign keys on that deletes, through `ON DELETE CASCADE`,
    every row that refers to it. SQLite only accepts the switch outside a transaction, so it is set on
    the driver's connection before the migration's transaction begins; a migration that rebuilds tables
    checks the references itself (`PRAGMA foreign_key_check`) before it commits."""
    if connection.dialect.name != "sqlite" or connection.in_transaction():
        yield  # a caller's open transaction: a rebuilding migration refuses to run (see 0004)
        return
    driver = connection.connection.dbapi_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys=ON")


def _migrate(connection: Connection) -> None:
    _configure(connection)
    with _sqlite_foreign_keys_off(connection), context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through the given connection, or one opened from the settings."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_db_engine(get_settings().database_url)
    try:
        with engine.connect() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
