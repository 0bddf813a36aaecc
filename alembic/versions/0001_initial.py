"""Initial schema: articles, entities and their aliases, claims, claim targets.

Revision ID: 0001
Revises:
Create Date: 2024-11-27

Written by hand to match `app/db/models.py` (a test compares the two). Constraint names follow
the metadata's naming convention. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create every table and index."""
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.Date(), nullable=True),
        sa.Column("published_at_source", sa.String(length=16), nullable=True),
        sa.Column("pipeline_version", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "published_at_source IN ('request', 'text')", name=op.f("ck_articles_published_at_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("content_sha256", name=op.f("uq_articles_content_sha256")),
    )
    op.create_index(op.f("ix_articles_created_at"), "articles", ["created_at"])

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "type IN ('person', 'organization', 'location', 'group', 'unknown')",
            name=op.f("ck_entities_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("name_key", "type", name=op.f("uq_entities_name_key_type")),
    )

    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("alias_key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_aliases_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_aliases")),
        sa.UniqueConstraint("entity_id", "alias_key", name=op.f("uq_entity_aliases_entity_id_alias_key")),
    )
    op.create_index(op.f("ix_entity_aliases_alias_key"), "entity_aliases", ["alias_key"])

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("speaker_mention", sa.Text(), nullable=False),
        sa.Column("speaker_role", sa.Text(), nullable=True),
        sa.Column("cue_text", sa.Text(), nullable=False),
        sa.Column("cue_lemma", sa.Text(), nullable=False),
        sa.Column("date_value", sa.Date(), nullable=True),
        sa.Column("date_text", sa.Text(), nullable=True),
        sa.Column("date_source", sa.String(length=16), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "type IN ('direct_quote', 'indirect_quote', 'mixed_quote')", name=op.f("ck_claims_type")
        ),
        sa.CheckConstraint(
            "date_source IN ('explicit', 'relative', 'published')", name=op.f("ck_claims_date_source")
        ),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name=op.f("ck_claims_confidence")),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_claims_article_id_articles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["speaker_id"], ["entities.id"], name=op.f("fk_claims_speaker_id_entities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("article_id", "position", name=op.f("uq_claims_article_id_position")),
    )
    op.create_index(op.f("ix_claims_type"), "claims", ["type"])
    op.create_index(op.f("ix_claims_speaker_id"), "claims", ["speaker_id"])
    op.create_index(op.f("ix_claims_date_value"), "claims", ["date_value"])

    op.create_table(
        "claim_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("mention", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.CheckConstraint("stance IN ('favor', 'against', 'neutral')", name=op.f("ck_claim_targets_stance")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_targets_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_claim_targets_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_targets")),
        sa.UniqueConstraint("claim_id", "position", name=op.f("uq_claim_targets_claim_id_position")),
    )
    op.create_index("ix_claim_targets_entity_id_stance", "claim_targets", ["entity_id", "stance"])


def downgrade() -> None:
    """Drop everything, children before parents."""
    op.drop_index("ix_claim_targets_entity_id_stance", table_name="claim_targets")
    op.drop_table("claim_targets")
    op.drop_index(op.f("ix_claims_date_value"), table_name="claims")
    op.drop_index(op.f("ix_claims_speaker_id"), table_name="claims")
    op.drop_index(op.f("ix_claims_type"), table_name="claims")
    op.drop_table("claims")
    op.drop_index(op.f("ix_entity_aliases_alias_key"), table_name="entity_aliases")
    op.drop_table("entity_aliases")
    op.drop_table("entities")
    op.drop_index(op.f("ix_articles_created_at"), table_name="articles")
    op.drop_table("articles")
