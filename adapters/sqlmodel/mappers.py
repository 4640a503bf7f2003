"""Explicit conversions between domain entities and table rows."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlmodel import col

from adapters.sqlmodel.tables import (
    CollectionRow,
    CollectionScopeRow,
    DashboardRow,
    DefinitionRow,
    ReportRow,
    TileRow,
)
from domain.collection import Collection, ScopeEntry
from domain.dashboard import Dashboard, Tile, TileType
from domain.definition import Definition, DefinitionType
from domain.entity_type import EntityType
from domain.json_document import JsonDocument
from domain.origin import NO_LABEL
from domain.report import Report

Values = dict[str, Any]


def collection_values(collection: Collection) -> Values:
    return {
        "id": collection.id,
        "name": collection.name,
        "owner_id": collection.owner_id,
        "created": collection.created,
    }


def collection_from_row(row: CollectionRow, scope: Iterable[CollectionScopeRow] = ()) -> Collection:
    entries = tuple(
        ScopeEntry(
            DefinitionType(s.definition_type), s.definition_key, tuple(json.loads(s.tenants))
        )
        for s in scope
    )
    return Collection(row.id, row.name, row.owner_id, as_utc(row.created), entries)


def scope_values(collection: Collection) -> list[Values]:
    return [
        {
            "collection_id": collection.id,
            "definition_type": entry.definition_type.value,
            "definition_key": entry.key,
            "tenants": json.dumps(list(entry.tenants)),
        }
        for entry in collection.scope
    ]


NO_TENANT = ""


def definition_values(definition: Definition) -> Values:
    return {
        "definition_type": definition.type.value,
        "key": definition.key,
        "version": definition.version,
        "tenant_id": NO_TENANT if definition.tenant_id is None else definition.tenant_id,
        "name": definition.name,
        "xml": definition.xml,
    }


def definition_from_row(row: DefinitionRow) -> Definition:
    return Definition(
        type=DefinitionType(row.definition_type),
        key=row.key,
        version=row.version,
        tenant_id=None if row.tenant_id == NO_TENANT else row.tenant_id,
        name=row.name,
        xml=row.xml,
    )


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; every stored timestamp is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


_encode = msgspec.json.Encoder().encode


def stored_text(document: JsonDocument) -> str:
    """The document's text as stored: what it came as, or its value encoded by msgspec (the
    same JSON as the standard library writes; docs/performance.md says which benchmark wants
    it)."""
    return document.fresh_text_or(lambda value: _encode(value).decode("utf-8"))


def report_values(
    report: Report, created: datetime, source_id: str | None = None, label: str = NO_LABEL
) -> Values:
    return {
        "source_id": source_id,
        "source_label": label,
        "id": report.id,
        "collection_id": report.collection_id,
        "entity_type": report.entity_type.value,
        "name": report.name,
        "description": report.description,
        "data": stored_text(report.data),
        "created": created,
    }


def child_values(report: Report) -> list[Values]:
    return [
        {"combined_id": report.id, "position": position, "child_id": child_id}
        for position, child_id in enumerate(report.child_ids)
    ]


REPORT_COLUMNS = (
    col(ReportRow.id),
    col(ReportRow.entity_type),
    col(ReportRow.name),
    col(ReportRow.description),
    col(ReportRow.collection_id),
    col(ReportRow.data),
)


def report_from_columns(columns: Sequence[Any], child_ids: Sequence[str]) -> Report:
    report_id, entity_type, name, description, collection_id, data = columns
    return Report(
        id=report_id,
        entity_type=EntityType(entity_type),
        name=name,
        description=description,
        collection_id=collection_id,
        data=JsonDocument.from_text(data),
        child_ids=tuple(child_ids),
    )


def dashboard_values(
    dashboard: Dashboard, created: datetime, source_id: str | None = None, label: str = NO_LABEL
) -> Values:
    return {
        "source_id": source_id,
        "source_label": label,
        "id": dashboard.id,
        "collection_id": dashboard.collection_id,
        "name": dashboard.name,
        "description": dashboard.description,
        "available_filters": stored_text(dashboard.available_filters),
        "created": created,
    }


def tile_values(dashboard: Dashboard) -> list[Values]:
    return [
        {
            "dashboard_id": dashboard.id,
            "position": position,
            "tile_type": tile.type.value,
            "report_id": tile.report_id,
            "x": tile.x,
            "y": tile.y,
            "width": tile.width,
            "height": tile.height,
            "configuration": None
            if tile.configuration is None
            else stored_text(tile.configuration),
        }
        for position, tile in enumerate(dashboard.tiles)
    ]


DASHBOARD_COLUMNS = (
    col(DashboardRow.id),
    col(DashboardRow.name),
    col(DashboardRow.description),
    col(DashboardRow.collection_id),
    col(DashboardRow.available_filters),
)

TILE_COLUMNS = (
    col(TileRow.dashboard_id),
    col(TileRow.tile_type),
    col(TileRow.report_id),
    col(TileRow.x),
    col(TileRow.y),
    col(TileRow.width),
    col(TileRow.height),
    col(TileRow.configuration),
)


def tile_from_columns(columns: Sequence[Any]) -> Tile:
    _, tile_type, report_id, x, y, width, height, configuration = columns
    return Tile(
        type=TileType(tile_type),
        report_id=report_id,
        x=x,
        y=y,
        width=width,
        height=height,
        configuration=None if configuration is None else JsonDocument.from_text(configuration),
    )


def dashboard_from_columns(columns: Sequence[Any], tiles: Iterable[Tile]) -> Dashboard:
    dashboard_id, name, description, collection_id, available_filters = columns
    return Dashboard(
        id=dashboard_id,
        name=name,
        description=description,
        collection_id=collection_id,
        tiles=tuple(tiles),
        available_filters=JsonDocument.from_text(available_filters),
    )
