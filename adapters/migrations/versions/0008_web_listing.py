"""A waiting import remembers whether it prunes. And indexes for a collection's list page: a
collection's reports and dashboards in the order of their creation, with the type and name
beside, so that counting them by type, searching their names and cutting a page out of
thousands reads the index alone, never the reports' data.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_report_listing", "report", ["collection_id", "created", "id", "entity_type", "name"]
    )
    op.create_index("ix_dashboard_listing", "dashboard", ["collection_id", "created", "id", "name"])
    with op.batch_alter_table("pending_import") as table:
        table.add_column(
            sa.Column("prune", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_import") as table:
        table.drop_column("prune")
    op.drop_index("ix_dashboard_listing", table_name="dashboard")
    op.drop_index("ix_report_listing", table_name="report")
