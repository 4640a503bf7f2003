"""The steps of the two single-report indices (MIGRATIONS.md §3.1 up, §6 down), one pair per
version, up and down side by side, in one module per release subject. Each changes the entity
it is given in place (the chain hands it a private copy), checks the shape before it changes
anything, and so is idempotent: an entity already in the newer shape passes unchanged. Down
returns what the older format cannot hold."""

from __future__ import annotations

from domain.export_format.report_steps.additions import (
    add_description,
    decision_up_10,
    drop_description,
    process_down_10,
    process_down_11,
    process_up_10,
    process_up_11,
    up_3_9_fixups,
)
from domain.export_format.report_steps.definitions import down_7, up_7
from domain.export_format.report_steps.lists import down_6, up_6
from domain.export_format.report_steps.measures import (
    down_8,
    down_9,
    rename_date_filters,
    up_8,
    up_9,
)

__all__ = [
    "add_description",
    "decision_up_10",
    "down_6",
    "down_7",
    "down_8",
    "down_9",
    "drop_description",
    "process_down_10",
    "process_down_11",
    "process_up_10",
    "process_up_11",
    "rename_date_filters",
    "up_3_9_fixups",
    "up_6",
    "up_7",
    "up_8",
    "up_9",
]
