"""Import files of any size, and the checks that a database holds no broken reference."""

from __future__ import annotations

from sqlalchemy import Engine, text

from application.use_cases.load_seed import Seed
from application.use_cases.register_definition import DefinitionRequest
from domain.collection import ScopeEntry
from domain.definition import DefinitionType
from domain.json_document import JsonValue
from entrypoints.container import Container
from tests.builders.domain import collection
from tests.builders.wire import (
    combined_report_entity,
    dashboard_entity,
    process_report_entity,
    text_tile_json,
)

COLLECTION = "target"
PADDING = "x" * 2500  # brings a report's data to about 3 KB, like the real files


def import_file(dashboards: int, prefix: str = "") -> list[JsonValue]:
    """Per dashboard: three reports, a combined report of two of them, a dashboard showing
    the third and the combined report."""
    entities: list[JsonValue] = []
    for n in range(dashboards):
        names = [f"{prefix}r{n}-{i}" for i in range(3)]
        entities += [process_report_entity(r, note=PADDING) for r in names]
        entities.append(combined_report_entity(f"{prefix}k{n}", names[:2]))
        entities.append(
            dashboard_entity(
                f"{prefix}d{n}", [names[2], f"{prefix}k{n}"], extra_tiles=[text_tile_json()]
            )
        )
    return entities


def prepare_target(container: Container) -> None:
    container.load_seed()(Seed(collections=(collection(COLLECTION),)))
    container.add_to_collection_scope()(
        COLLECTION, [ScopeEntry(DefinitionType.PROCESS, "invoice", (None,))]
    )
    container.register_definition()(
        DefinitionRequest(type="process", key="invoice", name="Invoice", version="1")
    )


def row_counts(engine: Engine) -> dict[str, int]:
    tables = ("report", "combined_report_child", "dashboard", "dashboard_tile")
    with engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables
        }


def broken_references(engine: Engine) -> list[str]:
    """Every reference in the database that points at nothing, in words."""
    problems: list[str] = []
    with engine.connect() as connection:
        tiles = connection.execute(
            text(
                "SELECT t.dashboard_id, t.report_id FROM dashboard_tile t "
                "LEFT JOIN report r ON r.id = t.report_id "
                "WHERE t.report_id IS NOT NULL AND r.id IS NULL"
            )
        ).all()
        problems += [f"dashboard {d} shows missing report {r}" for d, r in tiles]
        children = connection.execute(
            text(
                "SELECT c.combined_id, c.child_id FROM combined_report_child c "
                "LEFT JOIN report r ON r.id = c.child_id WHERE r.id IS NULL"
            )
        ).all()
        problems += [f"combined report {k} lists missing report {c}" for k, c in children]
        orphans = connection.execute(
            text(
                "SELECT t.dashboard_id FROM dashboard_tile t "
                "LEFT JOIN dashboard d ON d.id = t.dashboard_id WHERE d.id IS NULL"
            )
        ).all()
        problems += [f"tile of missing dashboard {d}" for (d,) in orphans]
    return problems
