"""History: each committed write as a change, each report and dashboard it changed as a
revision, and their content kept once by hash (adapters/sqlmodel/history_repository.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "history_change",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("collection_id", sa.String(), nullable=True),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.Column("reverts", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_history_change_collection", "history_change", ["collection_id", "id"])
    op.create_index("ix_history_change_at", "history_change", ["at"])
    op.create_table(
        "history_revision",
        sa.Column("entity_kind", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("export_type", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("collection_id", sa.String(), nullable=True),
        sa.Column("source_id", sa.String(), nullable=True),
        sa.Column("source_label", sa.String(), nullable=True),
        sa.Column("body_hash", sa.String(), nullable=False),
        sa.Column("xml_hash", sa.String(), nullable=True),
        sa.Column("xml_at", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("entity_kind", "entity_id", "number"),
    )
    op.create_index("ix_history_revision_change", "history_revision", ["change_id"])
    op.create_table(
        "history_blob",
        sa.Column("hash", sa.String(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("hash"),
    )


def downgrade() -> None:
    op.drop_table("history_blob")
    op.drop_index("ix_history_revision_change", table_name="history_revision")
    op.drop_table("history_revision")
    op.drop_index("ix_history_change_at", table_name="history_change")
    op.drop_index("ix_history_change_collection", table_name="history_change")
    op.drop_table("history_change")
