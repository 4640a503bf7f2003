"""Origins by source label, and the answers kept for idempotency keys.

An origin is now (collection, source label, source ID): two directories deployed into one
collection never match each other's entities. `source_label` is '' for an import without a
`source`, so that the unique index holds on both databases (NULLs would never collide).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("report", "dashboard"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("source_label", sa.String(), nullable=False, server_default="")
            )
        op.drop_index(f"ix_{table}_collection_source", table_name=table)
        op.create_index(
            f"ix_{table}_collection_origin",
            table,
            ["collection_id", "source_label", "source_id"],
            unique=True,
        )
    op.create_table(
        "idempotency_key",
        sa.Column("caller", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("answer", sa.LargeBinary(), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("caller", "key"),
    )
    op.create_index("ix_idempotency_key_expires", "idempotency_key", ["expires"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_key_expires", table_name="idempotency_key")
    op.drop_table("idempotency_key")
    for table in ("report", "dashboard"):
        op.drop_index(f"ix_{table}_collection_origin", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("source_label")
        op.create_index(
            f"ix_{table}_collection_source", table, ["collection_id", "source_id"], unique=True
        )
