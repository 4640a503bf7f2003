"""The floor programs: the least work the big export and the big import could take, with the
database driver alone (sqlite3 or psycopg, no ORM, no domain objects).

The export floor reads the same stored rows as boardport and splices them into the same JSON
array, byte for byte what boardport answers (the harness checks that). The import floor inserts
the same report, dashboard and dashboard_tile rows in one transaction.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from benchmarks.databases import Connection, Database
from benchmarks.datagen import DASHBOARD_INSERT, REPORT_INSERT, TILE_INSERT, created_value, encode

SOURCE_INDEX_VERSIONS = {
    "single_process_report": 11,
    "single_decision_report": 10,
    "combined_report": 5,
    "dashboard": 8,
}


def _string(value: str | None) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def export_floor(database: Database, connection: Connection, dashboard_ids: Sequence[str]) -> bytes:
    """The dashboards (in request order) with the reports on their tiles (in order of first
    mention), as one JSON array. Combined reports are not followed: the synthetic data has
    none, and the floor refuses them rather than answer something else."""
    ids = list(dict.fromkeys(dashboard_ids))
    dashboards = {
        row[0]: row
        for row in database.query(
            connection,
            "SELECT id, name, description, collection_id, available_filters FROM dashboard "
            f"WHERE {database.id_filter('id')}",
            [database.id_parameter(ids)],
        )
    }
    tiles: dict[str, list[str]] = {}
    reports_on: dict[str, list[str]] = {}
    for dashboard_id, tile_type, report_id, x, y, width, height, configuration in database.query(
        connection,
        "SELECT dashboard_id, tile_type, report_id, x, y, width, height, configuration "
        f"FROM dashboard_tile WHERE {database.id_filter('dashboard_id')} "
        "ORDER BY dashboard_id, position",
        [database.id_parameter(ids)],
    ):
        tiles.setdefault(dashboard_id, []).append(
            f'{{"id":{_string(report_id or "")},"position":{{"x":{x},"y":{y}}},'
            f'"dimensions":{{"width":{width},"height":{height}}},"type":"{tile_type}",'
            f'"configuration":{"null" if configuration is None else configuration}}}'
        )
        if report_id is not None:
            reports_on.setdefault(dashboard_id, []).append(report_id)
    mentioned = dict.fromkeys(r for d in ids for r in reports_on.get(d, ()))
    reports = {
        row[0]: row
        for row in database.query(
            connection,
            "SELECT id, entity_type, name, description, collection_id, data FROM report "
            f"WHERE {database.id_filter('id')}",
            [database.id_parameter(list(mentioned))],
        )
    }
    parts: list[str] = []  # the entities, joined once at the end
    for report_id in mentioned:
        _, entity_type, name, description, collection_id, data = reports[report_id]
        if entity_type == "combined_report":
            raise NotImplementedError("the export floor does not follow combined reports")
        parts.append(
            f'{{"id":{_string(report_id)},"exportEntityType":"{entity_type}",'
            f'"name":{_string(name)},"description":{_string(description)},'
            f'"sourceIndexVersion":{SOURCE_INDEX_VERSIONS[entity_type]},'
            f'"collectionId":{_string(collection_id)},"data":{data}}}'
        )
    for dashboard_id in ids:
        _, name, description, collection_id, filters = dashboards[dashboard_id]
        parts.append(
            f'{{"id":{_string(dashboard_id)},"exportEntityType":"dashboard",'
            f'"name":{_string(name)},"description":{_string(description)},'
            f'"sourceIndexVersion":{SOURCE_INDEX_VERSIONS["dashboard"]},'
            f'"tiles":[{",".join(tiles.get(dashboard_id, []))}],'
            f'"availableFilters":{filters},"collectionId":{_string(collection_id)},'
            '"instantPreviewDashboard":false}'
        )
    if parts:
        parts[0] = "[" + parts[0]
        parts[-1] += "]"
    return ",".join(parts).encode() if parts else b"[]"


def timed_export_floor(database: Database, dashboard_ids: Sequence[str]) -> tuple[float, bytes]:
    """Seconds for the export floor on an open connection (boardport keeps a pool), and its
    bytes."""
    connection = database.connect()
    try:
        database.query(connection, "SELECT 1")
        started = time.perf_counter()
        database.begin(connection)
        body = export_floor(database, connection, dashboard_ids)
        connection.rollback()
        return time.perf_counter() - started, body
    finally:
        connection.close()


@dataclass(slots=True)
class ImportRows:
    """The rows an import of an export file into a collection writes, under new IDs."""

    reports: list[tuple[object, ...]] = field(default_factory=list)
    dashboards: list[tuple[object, ...]] = field(default_factory=list)
    tiles: list[tuple[object, ...]] = field(default_factory=list)

    @property
    def entities(self) -> int:
        return len(self.reports) + len(self.dashboards)


def import_rows(
    database: Database, entities: list[dict[str, object]], collection_id: str
) -> ImportRows:
    """The rows for the entities of an export file (single reports and dashboards), as boardport
    stores them. Prepared before the clock starts: the floor times only the inserts."""
    created = created_value(database)
    new_ids = {str(e["id"]): str(uuid.uuid4()) for e in entities}
    rows = ImportRows()
    for entity in entities:
        new_id = new_ids[str(entity["id"])]
        description = entity.get("description")
        if entity["exportEntityType"] != "dashboard":
            rows.reports.append(
                (
                    new_id,
                    collection_id,
                    entity["exportEntityType"],
                    entity["name"],
                    description,
                    encode(entity["data"]),
                    created,
                )
            )
            continue
        filters = encode(entity.get("availableFilters") or [])
        rows.dashboards.append(
            (new_id, collection_id, entity["name"], description, filters, created)
        )
        tiles = entity.get("tiles")
        assert isinstance(tiles, list)
        for position, tile in enumerate(tiles):
            report_id = new_ids[tile["id"]] if tile["type"] == "optimize_report" else None
            configuration = tile.get("configuration")
            rows.tiles.append(
                (
                    new_id,
                    position,
                    tile["type"],
                    report_id,
                    tile["position"]["x"],
                    tile["position"]["y"],
                    tile["dimensions"]["width"],
                    tile["dimensions"]["height"],
                    None if configuration is None else encode(configuration),
                )
            )
    return rows


def insert_floor(database: Database, rows: ImportRows) -> float:
    """Seconds to insert the rows in one transaction, commit included, on an open connection."""
    connection = database.connect()
    try:
        database.query(connection, "SELECT 1")
        connection.commit()
        started = time.perf_counter()
        database.begin(connection, writing=True)
        cursor = connection.cursor()
        cursor.executemany(database.sql(REPORT_INSERT), rows.reports)
        cursor.executemany(database.sql(DASHBOARD_INSERT), rows.dashboards)
        cursor.executemany(database.sql(TILE_INSERT), rows.tiles)
        connection.commit()
        return time.perf_counter() - started
    finally:
        connection.close()
