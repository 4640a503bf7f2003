"""The floor programs: the least work the big export and the big import could take, with the
database driver alone (sqlite3 or psycopg, no ORM, no domain objects).

The export floor reads the same stored rows as boardport and splices them into the same JSON
array, byte for byte what boardport answers (the harness checks that). The import floor inserts
the same report, dashboard and dashboard_tile rows in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from psycopg.adapt import Loader

from benchmarks.databases import Connection, Database
from benchmarks.datagen import DASHBOARD_INSERT, REPORT_INSERT, TILE_INSERT, created_value, encode
from domain.entity_type import EntityType
from domain.index_version import current_index_version

SOURCE_INDEX_VERSIONS = {t.value: current_index_version(t) for t in EntityType}


class _TextAsBytes(Loader):
    """psycopg: a text column as the bytes the server sent, not decoded to `str`."""

    def load(self, data: Any) -> bytes:
        return bytes(data)


def _string(value: bytes | None) -> bytes:
    return b"null" if value is None else json.dumps(value.decode(), ensure_ascii=False).encode()


def _fetch(database: Database, connection: Connection, statement: str, ids: list[str]) -> list[Any]:
    """Rows with every text column as stored bytes: the stored JSON is written out as it came
    from the driver, never decoded, built into strings or encoded again."""
    if database.backend.value == "sqlite":
        assert isinstance(connection, sqlite3.Connection)
        connection.text_factory = bytes
        try:
            return database.query(connection, statement, [database.id_parameter(ids)])
        finally:
            connection.text_factory = str
    cursor = connection.cursor()
    for type_name in ("text", "varchar"):
        cursor.adapters.register_loader(type_name, _TextAsBytes)
    cursor.execute(database.sql(statement), (database.id_parameter(ids),))
    rows: list[Any] = cursor.fetchall()
    return rows


def export_floor(database: Database, connection: Connection, dashboard_ids: Sequence[str]) -> bytes:
    """The dashboards (in request order) with the reports on their tiles (in order of first
    mention), as one JSON array: the least work that gives boardport's bytes. The driver fetches
    the stored bytes; the few short fields around them are escaped; everything is joined once.
    Combined reports are not followed: the synthetic data has none, and the floor refuses them
    rather than answer something else."""
    ids = list(dict.fromkeys(dashboard_ids))
    dashboards = {
        row[0].decode(): row
        for row in _fetch(
            database,
            connection,
            "SELECT id, name, description, collection_id, available_filters FROM dashboard "
            f"WHERE {database.id_filter('id')}",
            ids,
        )
    }
    tiles: dict[str, list[bytes]] = {}
    reports_on: dict[str, list[str]] = {}
    for dashboard_id, tile_type, report_id, x, y, width, height, configuration in _fetch(
        database,
        connection,
        "SELECT dashboard_id, tile_type, report_id, x, y, width, height, configuration "
        f"FROM dashboard_tile WHERE {database.id_filter('dashboard_id')} "
        "ORDER BY dashboard_id, position",
        ids,
    ):
        board = dashboard_id.decode()
        pieces = tiles.setdefault(board, [])
        if pieces:
            pieces.append(b",")
        pieces += (
            b'{"id":',
            _string(report_id or b""),
            b',"position":{"x":%d,"y":%d},"dimensions":{"width":%d,"height":%d},"type":"'
            % (x, y, width, height),
            tile_type,
            b'","configuration":',
            b"null" if configuration is None else configuration,
            b"}",
        )
        if report_id is not None:
            reports_on.setdefault(board, []).append(report_id.decode())
    mentioned = list(dict.fromkeys(r for d in ids for r in reports_on.get(d, ())))
    reports = {
        row[0].decode(): row
        for row in _fetch(
            database,
            connection,
            "SELECT id, entity_type, name, description, collection_id, data FROM report "
            f"WHERE {database.id_filter('id')}",
            mentioned,
        )
    }
    out: list[bytes] = [b"["]
    for report_id in mentioned:
        stored_id, entity_type, name, description, collection_id, data = reports[report_id]
        if entity_type == b"combined_report":
            raise NotImplementedError("the export floor does not follow combined reports")
        out += (
            b'{"id":',
            _string(stored_id),
            b',"exportEntityType":"',
            entity_type,
            b'","name":',
            _string(name),
            b',"description":',
            _string(description),
            b',"sourceIndexVersion":%d,"collectionId":'
            % SOURCE_INDEX_VERSIONS[entity_type.decode()],
            _string(collection_id),
            b',"data":',
            data,
            b"},",
        )
    for dashboard_id in ids:
        stored_id, name, description, collection_id, filters = dashboards[dashboard_id]
        out += (
            b'{"id":',
            _string(stored_id),
            b',"exportEntityType":"dashboard","name":',
            _string(name),
            b',"description":',
            _string(description),
            b',"sourceIndexVersion":%d,"tiles":[' % SOURCE_INDEX_VERSIONS["dashboard"],
            *tiles.get(dashboard_id, ()),
            b'],"availableFilters":',
            filters,
            b',"collectionId":',
            _string(collection_id),
            b',"instantPreviewDashboard":false},',
        )
    if len(out) > 1:
        out[-1] = out[-1][:-1]  # the last entity's comma
    out.append(b"]")
    return b"".join(out)


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
        database.insert_many(connection, REPORT_INSERT, rows.reports)
        database.insert_many(connection, DASHBOARD_INSERT, rows.dashboards)
        database.insert_many(connection, TILE_INSERT, rows.tiles)
        connection.commit()
        return time.perf_counter() - started
    finally:
        connection.close()
