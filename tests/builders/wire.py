"""Export-file entities as plain JSON values, the way Optimize writes them: what an import reads
and an export answers. Whole entities end in `_entity`, a piece of one (a tile) in `_json`, a
report's `data` in `_data`; the domain objects they stand for are built by
`tests.builders.domain`, under names these never take.

The values are typed `dict[str, Any]`: tests reach into them to break one field at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.json_document import JsonValue

Entity = dict[str, Any]

INVOICE_KEY = "invoice"
DECISION_KEY = "invoiceClassification"
_COLOURS = ("#1991c8", "#db3e00", "#00d0a3")


def process_report_data(
    *,
    key: str = INVOICE_KEY,
    definition_name: str | None = None,
    versions: Sequence[str] = ("all",),
    tenants: Sequence[str | None] = (None,),
    xml: str | None = None,
    **extra: JsonValue,
) -> dict[str, JsonValue]:
    """A single process report's `data`, shaped like Optimize's, with `extra` fields on top."""
    name = definition_name or key.title()
    data: dict[str, JsonValue] = {
        "definitions": [
            {
                "identifier": "definition",
                "key": key,
                "name": name,
                "displayName": name,
                "versions": list(versions),
                "tenantIds": list(tenants),
            }
        ],
        "configuration": {"xml": xml, "color": "#1991c8"},
        "filter": [],
        "view": {"entity": "processInstance", "properties": ["frequency"]},
        "groupBy": {"type": "none", "value": None},
        "distributedBy": {"type": "none", "value": None},
        "visualization": "number",
        "managementReport": False,
        "instantPreviewReport": False,
    }
    data.update(extra)
    return data


def process_report_entity(
    entity_id: str,
    *,
    key: str = INVOICE_KEY,
    versions: Sequence[str] = ("all",),
    tenants: Sequence[str | None] = (None,),
    name: str | None = None,
    description: str | None = None,
    source_index_version: int = 11,
    xml: str | None = "<placeholder/>",
    **data: Any,
) -> Entity:
    """A single process report as Optimize exports it (a trimmed demo report), `data` fields on
    top of its data. It names another collection, as a file from elsewhere does."""
    body = process_report_data(key=key, versions=versions, tenants=tenants, xml=xml, **data)
    return {
        "id": entity_id,
        "exportEntityType": "single_process_report",
        "name": name or f"Report {entity_id}",
        "description": description,
        "sourceIndexVersion": source_index_version,
        "collectionId": "source-collection",
        "data": body,
    }


def decision_report_entity(
    entity_id: str,
    *,
    key: str = DECISION_KEY,
    versions: Sequence[str] = ("all",),
    tenants: Sequence[str | None] = (None,),
    source_index_version: int = 10,
) -> Entity:
    return {
        "id": entity_id,
        "exportEntityType": "single_decision_report",
        "name": f"Decision report {entity_id}",
        "description": None,
        "sourceIndexVersion": source_index_version,
        "collectionId": None,
        "data": {
            "configuration": {"color": "#1991c8", "xml": None},
            "definitions": [
                {
                    "identifier": "definition",
                    "key": key,
                    "name": "Invoice Classification",
                    "displayName": "Invoice Classification",
                    "versions": list(versions),
                    "tenantIds": list(tenants),
                }
            ],
            "filter": [],
            "view": {"properties": ["frequency"]},
            "groupBy": {"type": "matchedRule", "value": None},
            "distributedBy": {"type": "none", "value": None},
            "visualization": "table",
        },
    }


def combined_report_entity(
    entity_id: str, children: Sequence[str], *, source_index_version: int = 5
) -> Entity:
    return {
        "id": entity_id,
        "exportEntityType": "combined_report",
        "name": f"Combined {entity_id}",
        "description": None,
        "sourceIndexVersion": source_index_version,
        "collectionId": None,
        "data": {
            "configuration": {"pointMarkers": True, "yLabel": "Invoices"},
            "visualization": "line",
            "reports": [
                {"id": child, "color": _COLOURS[i % len(_COLOURS)]}
                for i, child in enumerate(children)
            ],
        },
    }


def report_tile_json(report_id: str, y: int = 0) -> Entity:
    return {
        "id": report_id,
        "position": {"x": 0, "y": y},
        "dimensions": {"width": 6, "height": 4},
        "type": "optimize_report",
        "configuration": None,
    }


def text_tile_json(text: str = "Hello", y: int = 0) -> Entity:
    return {
        "id": "",
        "position": {"x": 6, "y": y},
        "dimensions": {"width": 12, "height": 2},
        "type": "text",
        "configuration": {"text": {"root": {"type": "root", "children": [], "text": text}}},
    }


def external_tile_json(url: str = "https://example.com/status", y: int = 0) -> Entity:
    return {
        "id": "",
        "position": {"x": 0, "y": y},
        "dimensions": {"width": 18, "height": 6},
        "type": "external_url",
        "configuration": {"external": url},
    }


def dashboard_entity(
    entity_id: str,
    report_ids: Sequence[str] = (),
    *,
    extra_tiles: Sequence[Entity] = (),
    filters: Sequence[Any] = (),
    description: str | None = None,
    source_index_version: int = 8,
) -> Entity:
    """A dashboard with a tile per report, one under the other, then `extra_tiles`."""
    tiles = [report_tile_json(r, y=4 * i) for i, r in enumerate(report_ids)]
    return {
        "id": entity_id,
        "exportEntityType": "dashboard",
        "name": f"Dashboard {entity_id}",
        "description": description,
        "sourceIndexVersion": source_index_version,
        "collectionId": None,
        "tiles": [*tiles, *extra_tiles],
        "availableFilters": list(filters),
        "instantPreviewDashboard": False,
    }


def bare_report_entity(data: dict[str, Any], **envelope: Any) -> Entity:
    """A process report of an old release with only the envelope every release writes, and
    `envelope` fields on top: release steps are tested on exactly the fields a test names."""
    return {
        "id": "r",
        "exportEntityType": "single_process_report",
        "name": "R",
        "sourceIndexVersion": 5,
        "collectionId": None,
        "data": data,
        **envelope,
    }


def bare_dashboard_entity(**fields: Any) -> Entity:
    """A dashboard of an old release with only the envelope every release writes (no tiles or
    reports until `fields` says so)."""
    return {
        "id": "d",
        "exportEntityType": "dashboard",
        "name": "D",
        "sourceIndexVersion": 4,
        **fields,
    }
