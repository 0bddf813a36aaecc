"""Bulk ingestion jobs: `jobs` and their `job_items`.

Revision ID: 0002
Revises: 0001
Create Date: 2024-12-02

Written by hand to match `app/db/models.py` (a test compares the two). Constraint names follow
the metadata's naming convention. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `jobs` and `job_items`."""
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'done')", name=op.f("ck_jobs_status")),
        sa.CheckConstraint(
            "done >= 0 AND failed >= 0 AND done + failed <= total", name=op.f("ck_jobs_counts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_table(
        "job_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("published_at", sa.Date(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("problem", sa.JSON(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'stored', 'existing', 'failed')", name=op.f("ck_job_items_status")
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_job_items_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_job_items_article_id_articles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_items")),
        sa.UniqueConstraint("job_id", "position", name=op.f("uq_job_items_job_id_position")),
    )
    op.create_index(op.f("ix_job_items_status"), "job_items", ["status"])
    op.create_index(op.f("ix_job_items_article_id"), "job_items", ["article_id"])


def downgrade() -> None:
    """Drop `job_items`, then `jobs`."""
    op.drop_index(op.f("ix_job_items_article_id"), table_name="job_items")
    op.drop_index(op.f("ix_job_items_status"), table_name="job_items")
    op.drop_table("job_items")
    op.drop_table("jobs")
