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
from app.db.models import is_search_index
from app.db.session import create_db_engine, create_session_factory
from app.services.claims import ClaimFilter, query_claims
from tests.conftest import REPO, run_alembic

TABLES = {
    "articles",
    "entities",
    "entity_aliases",
    "entity_roles",
    "claims",
    "claim_targets",
    "jobs",
    "job_items",
}
# SQLite's full-text index: the FTS5 table, its shadow tables (external content: no `_content`), triggers.
FTS5_TABLES = {"claims_fts", "claims_fts_data", "claims_fts_idx", "claims_fts_docsize", "claims_fts_config"}
FTS5_TRIGGERS = {"claims_fts_after_insert", "claims_fts_after_delete", "claims_fts_after_update"}


def _outside_search_index(name: str | None, type_: str, parent_names: dict[str, str | None]) -> bool:
    return not is_search_index(name, type_, parent_names)


def test_upgraded_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        opts = {"compare_type": True, "include_name": _outside_search_index}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, Base.metadata) == []


def _search_objects(engine: Engine) -> set[str]:
    """The full-text index's tables, triggers, columns and indexes that the database holds."""
    inspector = inspect(engine)
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            triggers = set(connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        return (set(inspector.get_table_names()) & FTS5_TABLES) | triggers
    columns = {c["name"] for c in inspector.get_columns("claims")} & {"search_vector"}
    indexes = {i["name"] or "" for i in inspector.get_indexes("claims")} & {"ix_claims_search_vector"}
    return columns | indexes


def test_the_search_index_is_the_backends_own(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        assert _search_objects(engine) == FTS5_TABLES | FTS5_TRIGGERS
        return
    assert _search_objects(engine) == {"search_vector", "ix_claims_search_vector"}
    gin = {i["name"]: i for i in inspect(engine).get_indexes("claims")}["ix_claims_search_vector"]
    assert gin["dialect_options"]["postgresql_using"] == "gin"


def _store_claim_without_the_index(engine: Engine, text_: str) -> int:
    """A claim written by SQL alone, as schema 0002 knew claims; returns its id."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO articles (id, text, content_sha256, pipeline_version, created_at)"
                " VALUES (1, 't', 'h', 'v', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text("INSERT INTO entities (id, name, name_key, type) VALUES (1, 'A', 'a', 'person')")
        )
        connection.execute(
            text(
                "INSERT INTO claims (id, article_id, position, type, text, spans, speaker_id,"
                " speaker_mention, cue_text, cue_lemma, confidence)"
                " VALUES (7, 1, 0, 'direct_quote', :text, '[]', 1, 'A', 'said', 'say', 0.5)"
            ),
            {"text": text_},
        )
    return 7


INDEXED_WITH_BRIDGE = {
    "sqlite": "SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'bridge'",
    "postgresql": "SELECT id FROM claims WHERE search_vector @@ 'bridge'::tsquery",
}


def test_claims_stored_before_the_search_index_are_found_after_it(engine: Engine) -> None:
    try:
        run_alembic(engine, "downgrade", "0002")
        assert _search_objects(engine) == set()
        claim_id = _store_claim_without_the_index(engine, "The Bridge will open in May, the minister said")
    finally:
        run_alembic(engine, "upgrade", "head")

    with engine.connect() as connection:  # the index holds it ...
        assert list(connection.scalars(text(INDEXED_WITH_BRIDGE[engine.dialect.name]))) == [claim_id]
    with create_session_factory(engine)() as session:  # ... and the search finds it
        rows, total = query_claims(session, ClaimFilter(q="bridge MAY"), limit=10, offset=0)
        assert [row.id for row in rows] == [claim_id] and total == 1
        assert query_claims(session, ClaimFilter(q="bridge June"), limit=10, offset=0) == ([], 0)


def test_speakers_stored_before_roles_were_kept_are_found_by_their_role(engine: Engine) -> None:
    try:
        run_alembic(engine, "downgrade", "0004")
        claim_id = _store_claim_without_the_index(engine, "The bridge will open in May, the minister said")
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE claims SET speaker_role = 'Transport Minister' WHERE id = :id"), {"id": claim_id}
            )
    finally:
        run_alembic(engine, "upgrade", "head")

    with create_session_factory(engine)() as session:
        rows, total = query_claims(session, ClaimFilter(speaker="transport minister"), limit=10, offset=0)
        assert [row.id for row in rows] == [claim_id] and total == 1


def test_rows_stored_before_ids_were_never_reused_keep_every_reference(engine: Engine) -> None:
    # on SQLite revision 0004 rebuilds four tables: with foreign keys on, dropping the old copies would
    # have deleted every claim, target and job item that refers to them
    try:
        run_alembic(engine, "downgrade", "0003")
        claim_id = _store_claim_without_the_index(engine, "The bridge will open in May, the minister said")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO claim_targets (claim_id, position, entity_id, stance, mention, score)"
                    " VALUES (7, 0, 1, 'favor', 'A', 0.5)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO jobs (id, status, total, done, failed, created_at)"
                    " VALUES (3, 'done', 1, 1, 0, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO job_items (job_id, position, status, article_id) VALUES (3, 0, 'stored', 1)"
                )
            )
    finally:
        run_alembic(engine, "upgrade", "head")

    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, article_id, speaker_id FROM claims")).all() == [(7, 1, 1)]
        assert connection.execute(text("SELECT claim_id, entity_id FROM claim_targets")).all() == [(7, 1)]
        assert connection.execute(text("SELECT job_id, article_id FROM job_items")).all() == [(3, 1)]
        assert list(connection.scalars(text(INDEXED_WITH_BRIDGE[engine.dialect.name]))) == [claim_id]
        if engine.dialect.name == "sqlite":
            tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'"
            assert set(connection.scalars(text(tables))) == {"articles", "entities", "claims", "jobs"}
    with engine.begin() as connection:  # the index still follows new claims (its triggers were remade)
        connection.execute(text("DELETE FROM claims"))
        connection.execute(
            text(
                "INSERT INTO claims (article_id, position, type, text, spans, speaker_id,"
                " speaker_mention, cue_text, cue_lemma, confidence)"
                " VALUES (1, 0, 'direct_quote', 'A new bridge, she said', '[]', 1, 'A', 'said', 'say', 0.5)"
            )
        )
        new_id = connection.scalar(text("SELECT id FROM claims"))
        if engine.dialect.name == "sqlite":  # (PostgreSQL's sequence never saw the ids written by hand)
            assert new_id == 8  # never 7 again
        assert list(connection.scalars(text(INDEXED_WITH_BRIDGE[engine.dialect.name]))) == [new_id]


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
    assert indexes["ix_entity_roles_role_key"] == ["role_key"]
    assert uniques["uq_claims_article_id_position"] == ["article_id", "position"]  # also serves article_id
    assert uniques["uq_entities_name_key_type"] == ["name_key", "type"]
    assert uniques["uq_articles_content_sha256"] == ["content_sha256"]
    assert uniques["uq_job_items_job_id_position"] == ["job_id", "position"]  # also serves job_id
    assert indexes["ix_job_items_status"] == ["status"]
    assert indexes["ix_job_items_article_id"] == ["article_id"]
    assert all(name.startswith("fk_") for name in foreign) and len(foreign) == 8


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
    """The tables in the database (but the full-text index's), and the revisions `alembic_version` records."""
    engine = create_db_engine(url)
    try:
        tables = {t for t in inspect(engine).get_table_names() if not is_search_index(t, "table", {})}
        with engine.connect() as connection:
            versions = MigrationContext.configure(connection).get_current_heads()
        return tables, list(versions)
    finally:
        engine.dispose()


@pytest.mark.slow
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
