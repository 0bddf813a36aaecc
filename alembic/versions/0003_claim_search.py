"""Full-text search of claim texts: a `tsvector` column on PostgreSQL, an FTS5 table on SQLite.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-20

`GET /v1/claims?q=` matched each word with `lower(text) LIKE '%word%'`: a scan of every claim per
word, and on SQLite an expression too deep to run after about 1,000 words. Both backends now index
the same words, runs of letters and digits in any case (punctuation separates them, as it does for
the words of `q`), without stemming or stop words, so "US" is a word and "bridge" is not "bridg":

* PostgreSQL: `claims.search_vector`, generated (and stored, so ranking reads it instead of parsing
  every match again) from the text with ASCII punctuation turned into spaces (the default parser
  would otherwise keep "3.5", "covid-19" or "example.com" whole and read "-19" as a number), under
  the 'simple' configuration; a GIN index answers `@@`, prefix queries included. Adding the column
  computes it for every existing claim.
* SQLite: `claims_fts`, an FTS5 table whose content is `claims` (it stores only the index), with
  the unicode61 tokenizer keeping diacritics as PostgreSQL does; triggers keep it in step with every
  insert, update and delete of a claim, and `rebuild` indexes the claims already stored. A later
  migration that rebuilds `claims` in batch mode (copy and rename) drops these triggers: recreate them.

Kept out of the metadata (`app.db.models.is_search_index`), since the two backends differ.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_VECTOR = (
    "to_tsvector('simple'::regconfig, regexp_replace(text COLLATE \"C\", '[[:punct:][:space:]]+', ' ', 'g'))"
)

SQLITE_UP = (
    "CREATE VIRTUAL TABLE claims_fts USING fts5("
    "text, content='claims', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')",
    "CREATE TRIGGER claims_fts_after_insert AFTER INSERT ON claims BEGIN"
    " INSERT INTO claims_fts (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claims_fts_after_delete AFTER DELETE ON claims BEGIN"
    " INSERT INTO claims_fts (claims_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claims_fts_after_update AFTER UPDATE OF id, text ON claims BEGIN"
    " INSERT INTO claims_fts (claims_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO claims_fts (rowid, text) VALUES (new.id, new.text); END",
)
SQLITE_DOWN = (
    "DROP TRIGGER claims_fts_after_update",
    "DROP TRIGGER claims_fts_after_delete",
    "DROP TRIGGER claims_fts_after_insert",
    "DROP TABLE claims_fts",
)


def upgrade() -> None:
    """Index the claim texts, those already stored included."""
    if op.get_context().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
        return
    op.add_column(
        "claims",
        sa.Column("search_vector", postgresql.TSVECTOR(), sa.Computed(SEARCH_VECTOR, persisted=True)),
    )
    op.create_index(op.f("ix_claims_search_vector"), "claims", ["search_vector"], postgresql_using="gin")


def downgrade() -> None:
    """Drop the full-text index (and on SQLite its triggers)."""
    if op.get_context().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
        return
    op.drop_index(op.f("ix_claims_search_vector"), table_name="claims")
    op.drop_column("claims", "search_vector")
