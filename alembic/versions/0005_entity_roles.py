"""The roles each entity was given as a speaker, so that speaker and target filters match roles too.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

`GET /v1/claims?speaker=foreign office spokesperson` finds the claims of whoever an article called
that, as `speaker=Baloch` finds hers by an alias. The roles of the claims stored before are filled in.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `entity_roles` and fill it from the stored claims' speakers."""
    op.create_table(
        "entity_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("role_key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_roles_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_roles")),
        sa.UniqueConstraint("entity_id", "role_key", name=op.f("uq_entity_roles_entity_id_role_key")),
    )
    op.create_index(op.f("ix_entity_roles_role_key"), "entity_roles", ["role_key"], unique=False)
    # lookup_key() in SQL: lower case, runs of spaces as one (roles are written on one line)
    op.execute(
        "INSERT INTO entity_roles (entity_id, role, role_key)"
        " SELECT speaker_id, MIN(speaker_role), LOWER(TRIM(speaker_role)) FROM claims"
        " WHERE speaker_role IS NOT NULL AND TRIM(speaker_role) <> ''"
        " GROUP BY speaker_id, LOWER(TRIM(speaker_role))"
    )


def downgrade() -> None:
    """Drop `entity_roles`."""
    op.drop_index(op.f("ix_entity_roles_role_key"), table_name="entity_roles")
    op.drop_table("entity_roles")
