"""On SQLite, an id once given is never given again: `AUTOINCREMENT` on the tables whose ids clients see.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Without it SQLite numbers a new row one past the highest id still stored: delete article 5, the newest,
post another text, and it becomes article 5, so a URL a client kept now names another article (and
claim ids come back the same way). PostgreSQL's sequences never go back; this changes nothing there.

SQLite cannot add `AUTOINCREMENT` to a table: each table is rebuilt (batch mode: copied into a new table,
the old one dropped). Dropping a table that others refer to would delete their rows through `ON DELETE
CASCADE`, so `env.py` turns foreign keys off around the migration, as SQLite's own procedure for
rebuilding a table says; this migration refuses to run with them on and checks every reference before it
commits. Rebuilding `claims` drops the full-text index's triggers (revision 0003): they are made again.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose ids appear in URLs and responses (`/v1/articles/{id}`, `/v1/claims/{id}`, jobs, entities).
TABLES = ("articles", "entities", "claims", "jobs")
SEARCH_TRIGGERS = (  # as revision 0003 made them
    "CREATE TRIGGER claims_fts_after_insert AFTER INSERT ON claims BEGIN"
    " INSERT INTO claims_fts (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claims_fts_after_delete AFTER DELETE ON claims BEGIN"
    " INSERT INTO claims_fts (claims_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claims_fts_after_update AFTER UPDATE OF id, text ON claims BEGIN"
    " INSERT INTO claims_fts (claims_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO claims_fts (rowid, text) VALUES (new.id, new.text); END",
)


def upgrade() -> None:
    """Rebuild the tables with `AUTOINCREMENT` (SQLite only)."""
    _rebuild(autoincrement=True)


def downgrade() -> None:
    """Rebuild them without it (SQLite only)."""
    _rebuild(autoincrement=False)


def _rebuild(autoincrement: bool) -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    bind = op.get_bind()
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "rebuilding a table with foreign keys on would cascade deletes: run it through alembic/env.py"
        )
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    for statement in SEARCH_TRIGGERS:
        op.execute(statement)
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"references broken by the rebuild: {broken[:5]}")
