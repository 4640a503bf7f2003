"""Where each imported report and dashboard came from, so an import can overwrite it.

`source_id` is the entity's ID in the file it was imported from. At most one entity of a
collection carries a given source ID per table: the unique index is what makes a second,
concurrent overwrite import of the same file unable to create a second copy.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("report", "dashboard"):
        op.add_column(table, sa.Column("source_id", sa.String(), nullable=True))
        op.create_index(
            f"ix_{table}_collection_source", table, ["collection_id", "source_id"], unique=True
        )


def downgrade() -> None:
    for table in ("report", "dashboard"):
        op.drop_index(f"ix_{table}_collection_source", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("source_id")
