"""A collection's reports by type, with their names: the list page counts a collection's reports
of each type on every page, and searches their names, by reading this index alone and in its
order. It takes the place of the index on the collection alone, which it begins with, so a
report write keeps the same number of indexes to update.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_report_types", "report", ["collection_id", "entity_type", "name"])
    op.drop_index("ix_report_collection_id", table_name="report")


def downgrade() -> None:
    op.create_index("ix_report_collection_id", "report", ["collection_id"])
    op.drop_index("ix_report_types", table_name="report")
