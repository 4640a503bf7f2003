"""Small constructors for domain entities, so tests say only what matters to them. Their names
are bare nouns; the export-file JSON of the same things comes from `tests.builders.wire`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from domain.actor import Actor
from domain.collection import Collection
from domain.dashboard import Dashboard, Tile, TileType
from domain.entity_type import EntityType
from domain.json_document import JsonDocument, JsonValue
from domain.report import Report
from tests.builders.wire import process_report_data


def process_report(
    report_id: str, *, name: str | None = None, collection_id: str | None = None, **data: JsonValue
) -> Report:
    body = process_report_data(definition_name="Invoice") | data
    return Report(
        report_id,
        EntityType.SINGLE_PROCESS_REPORT,
        name or f"Report {report_id}",
        None,
        collection_id,
        JsonDocument.from_value(body),
    )


def combined_report(
    report_id: str, children: Sequence[str], *, collection_id: str | None = None
) -> Report:
    data: dict[str, JsonValue] = {
        "configuration": {"pointMarkers": True},
        "visualization": "line",
        "reports": [{"id": child, "color": "#1991c8"} for child in children],
    }
    return Report.from_data(
        report_id=report_id,
        entity_type=EntityType.COMBINED_REPORT,
        name=f"Combined {report_id}",
        description=None,
        collection_id=collection_id,
        data=JsonDocument.from_value(data),
    )


def report_tile(report_id: str, x: int = 0, y: int = 0) -> Tile:
    return Tile(TileType.OPTIMIZE_REPORT, report_id, x, y, 4, 2)


def text_tile(text: str = "Hello", y: int = 0) -> Tile:
    configuration = JsonDocument.from_value({"text": {"root": {"type": "root", "text": text}}})
    return Tile(TileType.TEXT, None, 0, y, 18, 1, configuration)


def external_tile(url: str = "https://example.com/", y: int = 0) -> Tile:
    return Tile(TileType.EXTERNAL_URL, None, 0, y, 6, 4, JsonDocument.from_value({"external": url}))


def dashboard(
    dashboard_id: str,
    tiles: Sequence[Tile] = (),
    *,
    collection_id: str | None = None,
    filters: JsonValue = None,
) -> Dashboard:
    return Dashboard(
        dashboard_id,
        f"Dashboard {dashboard_id}",
        None,
        collection_id,
        tuple(tiles),
        JsonDocument.from_value(filters if filters is not None else []),
    )


def dashboard_of(
    dashboard_id: str, *report_ids: str, collection_id: str | None = None
) -> Dashboard:
    return dashboard(
        dashboard_id,
        [report_tile(r, y=i * 2) for i, r in enumerate(report_ids)],
        collection_id=collection_id,
    )


def collection(collection_id: str, name: str = "Collection") -> Collection:
    return Collection(collection_id, name, "owner", datetime(2026, 1, 1, tzinfo=UTC))


TESTER = Actor("tester")
"""Who the tests' writes are by, as history records them."""
