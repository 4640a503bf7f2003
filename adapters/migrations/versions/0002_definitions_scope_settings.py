"""Definitions, collection scope and stored settings, for import.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collection_scope",
        sa.Column("collection_id", sa.String(), nullable=False),
        sa.Column("definition_type", sa.String(), nullable=False),
        sa.Column("definition_key", sa.String(), nullable=False),
        sa.Column("tenants", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["collection_id"], ["collection.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("collection_id", "definition_type", "definition_key"),
    )
    op.create_table(
        "definition",
        sa.Column("definition_type", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("tenant_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("xml", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("definition_type", "key", "version", "tenant_id"),
    )
    op.create_table(
        "setting",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("setting")
    op.drop_table("definition")
    op.drop_table("collection_scope")
