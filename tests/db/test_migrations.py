"""The migrations build exactly the models' schema, on SQLite and PostgreSQL, and undo it cleanly.

The last test drives the `alembic` command itself, as the container's entry point does at start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from app.db.base import Base
from app.db.session import create_db_engine
from tests.conftest import REPO, run_alembic

TABLES = {"articles", "entities", "entity_aliases", "claims", "claim_targets", "jobs", "job_items"}


def test_upgraded_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    try:
        run_alembic(engine, "downgrade", "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        run_alembic(engine, "upgrade", "head")
    assert TABLES <= set(inspect(engine).get_table_names())


def test_names_follow_the_convention_and_the_filters_have_indexes(engine: Engine) -> None:
    inspector = inspect(engine)
    indexes = {i["name"]: i["column_names"] for t in TABLES for i in inspector.get_indexes(t)}
    uniques = {u["name"]: u["column_names"] for t in TABLES for u in inspector.get_unique_constraints(t)}
    foreign = {str(f["name"]) for t in TABLES for f in inspector.get_foreign_keys(t)}

    assert indexes["ix_claims_speaker_id"] == ["speaker_id"]
    assert indexes["ix_claims_date_value"] == ["date_value"]
    assert indexes["ix_claims_type"] == ["type"]
    assert indexes["ix_claim_targets_entity_id_stance"] == ["entity_id", "stance"]
    assert indexes["ix_entity_aliases_alias_key"] == ["alias_key"]
    assert uniques["uq_claims_article_id_position"] == ["article_id", "position"]  # also serves article_id
    assert uniques["uq_entities_name_key_type"] == ["name_key", "type"]
    assert uniques["uq_articles_content_sha256"] == ["content_sha256"]
    assert uniques["uq_job_items_job_id_position"] == ["job_id", "position"]  # also serves job_id
    assert indexes["ix_job_items_status"] == ["status"]
    assert indexes["ix_job_items_article_id"] == ["article_id"]
    assert all(name.startswith("fk_") for name in foreign) and len(foreign) == 7


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text("INSERT INTO entity_aliases (entity_id, alias, alias_key) VALUES (999, 'x', 'x')")
        )


@pytest.fixture
def empty_database(backend: str, database_url: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with nothing in it: a new SQLite file, or a new PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    schema = "migrations_from_empty"
    admin = create_db_engine(database_url)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _alembic_cli(url: str, *args: str) -> None:
    """Run the `alembic` command as the container's entry point does, the URL from `CLAIMS_DATABASE_URL`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMS_")} | {"CLAIMS_DATABASE_URL": url}
    alembic = Path(sys.executable).with_name("alembic")
    subprocess.run([str(alembic), *args], cwd=REPO, env=env, check=True, capture_output=True, timeout=60)


def _tables_and_version(url: str) -> tuple[set[str], list[str]]:
    """The tables in the database, and the revisions `alembic_version` records."""
    engine = create_db_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            versions = MigrationContext.configure(connection).get_current_heads()
        return tables, list(versions)
    finally:
        engine.dispose()


def test_the_cli_upgrades_an_empty_database_to_head_and_downgrades_it_to_empty(empty_database: str) -> None:
    head = ScriptDirectory.from_config(Config(str(REPO / "alembic.ini"))).get_current_head()
    assert _tables_and_version(empty_database) == (set(), [])

    _alembic_cli(empty_database, "upgrade", "head")
    assert _tables_and_version(empty_database) == (TABLES | {"alembic_version"}, [head])

    _alembic_cli(empty_database, "downgrade", "base")
    assert _tables_and_version(empty_database) == ({"alembic_version"}, [])  # the version table, empty


def test_a_deleted_article_leaves_its_job_item_without_an_article(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO articles (id, text, content_sha256, pipeline_version, created_at)"
                " VALUES (1, 't', 'h', 'v', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO jobs (id, status, total, done, failed, created_at)"
                " VALUES (1, 'done', 1, 1, 0, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text("INSERT INTO job_items (job_id, position, status, article_id) VALUES (1, 0, 'stored', 1)")
        )
        connection.execute(text("DELETE FROM articles"))
        assert connection.scalar(text("SELECT article_id FROM job_items")) is None
        connection.execute(text("DELETE FROM jobs"))
        assert connection.scalar(text("SELECT count(*) FROM job_items")) == 0


def test_job_counts_cannot_exceed_the_total(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO jobs (status, total, done, failed, created_at)"
                " VALUES ('done', 1, 1, 1, CURRENT_TIMESTAMP)"
            )
        )
