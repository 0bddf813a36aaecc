"""Alembic environment: the URL comes from the service settings (`CLAIMS_DATABASE_URL`).

A caller may instead hand over an open connection in `config.attributes["connection"]` (the tests
do, to migrate the database they are about to use).
"""

from __future__ import annotations

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


def run_migrations_online() -> None:
    """Migrate through the given connection, or one opened from the settings."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_db_engine(get_settings().database_url)
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
