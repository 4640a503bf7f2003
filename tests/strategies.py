"""Hypothesis strategies for worlds of stored reports and dashboards: process and decision
reports naming one or several definitions, combined reports, dashboards with report, text and
external-URL tiles, IDs and names beyond ASCII. `worlds()` stays small for speed;
`worlds(max_reports=..., max_dashboards=...)` grows to hundreds of entities."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from domain.dashboard import Dashboard, Tile
from domain.definition import Definition, DefinitionType
from domain.entity_type import EntityType
from domain.json_document import JsonDocument, JsonValue
from domain.report import Report
from tests.builders.domain import combined_report, external_tile, report_tile, text_tile
from tests.builders.wire import process_report_data

# Non-ASCII letters in IDs and names: accents, a German sharp s, Greek, CJK, an emoji.
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-éßπ日本✓", min_size=1, max_size=8)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ÄÖÜéèßπΩ日本語✓", min_size=1, max_size=30)

# The definitions the worlds' reports name: a target that knows these can import any world.
WORLD_DEFINITIONS = (
    Definition(DefinitionType.PROCESS, "invoice", "1", None, "Invoice", "<target-xml/>"),
    Definition(DefinitionType.PROCESS, "réclamation", "1", None, "Réclamation", "<target-xml/>"),
    Definition(DefinitionType.DECISION, "invoice-classification", "1", None, "Classify", None),
    Definition(DefinitionType.DECISION, "審査", "1", None, "審査", None),
)


@dataclass(frozen=True)
class World:
    reports: dict[str, Report]
    dashboards: dict[str, Dashboard]


def _definitions_of(draw: st.DrawFn, definition_type: DefinitionType) -> list[JsonValue]:
    keys = [d.key for d in WORLD_DEFINITIONS if d.type is definition_type]
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=len(keys), unique=True))
    return [
        {
            "identifier": f"definition-{n}",
            "key": key,
            "name": key.title(),
            "displayName": key.title(),
            "versions": ["all"],
            "tenantIds": [None],
        }
        for n, key in enumerate(chosen)
    ]


def _single_report(draw: st.DrawFn, report_id: str, *, decision: bool) -> Report:
    definition_type = DefinitionType.DECISION if decision else DefinitionType.PROCESS
    data = process_report_data(definition_name="Invoice")
    data["definitions"] = _definitions_of(draw, definition_type)
    if decision:
        data["view"] = {"entity": None, "properties": ["frequency"]}
        data["groupBy"] = {"type": "matchedRule", "value": None}
    entity_type = (
        EntityType.SINGLE_DECISION_REPORT if decision else EntityType.SINGLE_PROCESS_REPORT
    )
    return Report(report_id, entity_type, draw(names), None, None, JsonDocument.from_value(data))


def _tile(draw: st.DrawFn, report_ids: list[str], y: int) -> Tile:
    kinds = ["report", "text", "external"] if report_ids else ["text", "external"]
    kind = draw(st.sampled_from(kinds))
    if kind == "report":
        return report_tile(draw(st.sampled_from(report_ids)), y=y)
    if kind == "text":
        return text_tile(draw(names), y=y)
    return external_tile(f"https://example.com/{draw(ids)}", y=y)


@st.composite
def worlds(draw: st.DrawFn, max_reports: int = 12, max_dashboards: int = 8) -> World:
    """Up to `max_reports` single reports (process or decision) plus up to a third as many
    combined ones, and up to `max_dashboards` dashboards of up to six tiles."""
    count = draw(st.integers(0, max_reports))
    single_ids = draw(
        st.lists(ids, unique=True, min_size=count, max_size=count).map(
            lambda x: ["r" + i for i in x]
        )
    )
    reports: dict[str, Report] = {
        i: _single_report(draw, i, decision=draw(st.booleans())) for i in single_ids
    }
    process_ids = [
        i for i, r in reports.items() if r.entity_type is EntityType.SINGLE_PROCESS_REPORT
    ]
    if process_ids:
        combined_count = draw(st.integers(min_value=0, max_value=max(4, max_reports // 3)))
        for n in range(combined_count):
            children = draw(st.lists(st.sampled_from(process_ids), max_size=4))
            reports[f"c{n}-ü"] = combined_report(f"c{n}-ü", children)
    report_ids = list(reports)
    dashboard_count = draw(st.integers(0, max_dashboards))
    dashboard_ids = draw(
        st.lists(ids, unique=True, min_size=dashboard_count, max_size=dashboard_count)
    )
    dashboards: dict[str, Dashboard] = {}
    for dashboard_id in ("d" + i for i in dashboard_ids):
        tile_count = draw(st.integers(0, 6))
        tiles = tuple(_tile(draw, report_ids, y) for y in range(tile_count))
        dashboards[dashboard_id] = Dashboard(
            dashboard_id, draw(names), None, None, tiles, JsonDocument.from_value([])
        )
    return World(reports, dashboards)
