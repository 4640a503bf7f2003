"""Export-file entities as plain JSON values, the way Optimize writes them, for import tests."""

from __future__ import annotations

from collections.abc import Sequence

from domain.json_document import JsonValue

Entity = dict[str, JsonValue]


def process_report_data(
    *,
    key: str = "invoice",
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
    key: str = "invoice",
    versions: Sequence[str] = ("all",),
    tenants: Sequence[str | None] = (None,),
    xml: str | None = "<old/>",
    version: int = 11,
    **data: JsonValue,
) -> Entity:
    body = process_report_data(key=key, versions=versions, tenants=tenants, xml=xml) | data
    return {
        "id": entity_id,
        "exportEntityType": "single_process_report",
        "name": f"Report {entity_id}",
        "description": None,
        "sourceIndexVersion": version,
        "collectionId": "source-collection",
        "data": body,
    }


def combined_report_entity(entity_id: str, children: Sequence[str], version: int = 5) -> Entity:
    return {
        "id": entity_id,
        "exportEntityType": "combined_report",
        "name": f"Combined {entity_id}",
        "description": None,
        "sourceIndexVersion": version,
        "collectionId": None,
        "data": {
            "configuration": {"pointMarkers": True},
            "visualization": "bar",
            "reports": [{"id": c, "color": "#db3e00"} for c in children],
        },
    }


def dashboard_entity(
    entity_id: str,
    report_ids: Sequence[str] = (),
    *,
    filters: JsonValue = None,
    version: int = 8,
    with_text_tile: bool = True,
) -> Entity:
    tiles: list[JsonValue] = [
        {
            "id": r,
            "position": {"x": 0, "y": 2 * n},
            "dimensions": {"width": 6, "height": 2},
            "type": "optimize_report",
            "configuration": None,
        }
        for n, r in enumerate(report_ids)
    ]
    if with_text_tile:
        tiles.append(
            {
                "id": "",
                "position": {"x": 6, "y": 0},
                "dimensions": {"width": 6, "height": 2},
                "type": "text",
                "configuration": {"text": {"root": {"type": "root", "children": []}}},
            }
        )
    return {
        "id": entity_id,
        "exportEntityType": "dashboard",
        "name": f"Dashboard {entity_id}",
        "description": None,
        "sourceIndexVersion": version,
        "tiles": tiles,
        "availableFilters": filters if filters is not None else [],
        "collectionId": None,
        "instantPreviewDashboard": False,
    }
