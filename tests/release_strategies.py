"""Hypothesis strategies for entities in the current export format, as the steps up write them
(every default present), with or without what older formats cannot hold. Each generated entity
says which releases would lose something of it, computed from MIGRATIONS.md §6's table, not from
the steps, so the laws have an oracle of their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from domain.export_format.releases import RELEASES

# The release order of the table, oldest first: index in this tuple compares releases.
ORDER = tuple(n for n in RELEASES if n != "latest")


def below(release: str, limit: str) -> bool:
    return ORDER.index(release) < ORDER.index(limit)


@dataclass(frozen=True)
class Generated:
    entity_type: str
    entity: dict[str, Any]
    lost_below: tuple[str, ...]
    """For each feature an older format cannot hold, the first release that holds it."""

    def loses_at(self, release: str) -> bool:
        return any(below(release, limit) for limit in self.lost_below)


ids = st.text("abcdef0123456789", min_size=4, max_size=8)
names = st.text("abc xyz", min_size=1, max_size=6)
flags = st.booleans()
aggregation_names = st.sampled_from(["avg", "min", "max", "sum"])


@st.composite
def single_reports(draw: st.DrawFn, *, decision: bool | None = None) -> Generated:  # noqa: PLR0912 - one draw per feature
    is_decision = draw(st.booleans()) if decision is None else decision
    lost: list[str] = []
    report_id = draw(ids)
    description = draw(st.none() | names)
    if description:
        lost.append("3.11")
    definition_count = draw(st.integers(0, 2))
    if definition_count > 1:
        lost.append("3.5")
    definitions = []
    for position in range(definition_count):
        name = draw(st.none() | names)
        definitions.append(
            {
                "identifier": f"def{position}",
                "key": draw(names),
                "name": name,
                "displayName": draw(st.sampled_from([None, name])),
                "versions": draw(st.lists(st.sampled_from(["1", "2", "all"]), max_size=2)),
                "tenantIds": draw(st.lists(st.none() | names, min_size=1, max_size=2)),
            }
        )
    applied = ["def0"] if definition_count == 1 else ["all"]
    view_entity = draw(st.sampled_from(["processInstance", "flowNode", "userTask"]))
    property_count = draw(st.integers(0, 2))
    if property_count > 1:
        lost.append("3.4")
    filters: list[dict[str, Any]] = [
        {"type": t, "filterLevel": "instance", "data": None, "appliedTo": applied}
        for t in draw(
            st.lists(st.sampled_from(["instanceStartDate", "runningInstancesOnly"]), max_size=2)
        )
    ]
    if not is_decision and view_entity != "processInstance" and draw(st.booleans()):
        state = draw(st.sampled_from(["completedOrCanceledFlowNodesOnly", "runningFlowNodesOnly"]))
        filters.append({"type": state, "filterLevel": "view", "data": None, "appliedTo": applied})
    if definition_count > 1 and bool(filters) and draw(st.booleans()):
        filters[0]["appliedTo"] = ["def1"]
    aggregations: list[dict[str, Any]] = [
        {"type": n, "value": None}
        for n in draw(st.lists(aggregation_names, max_size=2, unique=True))
    ]
    if draw(st.booleans()):
        aggregations.append({"type": "percentile", "value": 50.0})
    if draw(st.booleans()):
        aggregations.append({"type": "percentile", "value": draw(st.sampled_from([25.0, 90.0]))})
        lost.append("3.8")
    if len(aggregations) > 1:
        lost.append("3.4")
    durations = draw(st.lists(st.sampled_from(["total", "idle", "work"]), max_size=2, unique=True))
    if len(durations) > 1:
        lost.append("3.4")
    columns = ["count:userTasks", "count:incidents", "other", "variable:x"]
    configuration: dict[str, Any] = {
        "color": "#1991c8",
        "aggregationTypes": aggregations,
        "userTaskDurationTimes": durations,
        "tableColumns": {
            "includeNewVariables": draw(flags),
            "excludedColumns": draw(st.lists(st.sampled_from(columns), max_size=2)),
            "includedColumns": draw(st.lists(st.sampled_from(columns), max_size=2)),
            "columnOrder": draw(st.lists(st.sampled_from(columns), max_size=3)),
        },
        "measureVisualizations": {"frequency": "bar", "duration": "line"},
        "stackedBar": False,
        "logScale": False,
        "horizontalBar": False,
        "xml": None,
    }
    for flag, limit in (("stackedBar", "3.6"), ("logScale", "3.6"), ("horizontalBar", "3.8")):
        if draw(st.booleans()) and draw(st.booleans()):
            configuration[flag] = True
            lost.append(limit)
    if draw(st.booleans()):
        kpi = draw(flags)
        configuration["targetValue"] = {
            "active": False,
            "isKpi": kpi,
            "durationProgress": {
                "baseline": {"unit": "hours"},
                "target": {"unit": "hours", "isBelow": False},
            },
            "countProgress": {"baseline": "0", "target": "100", "isBelow": False},
        }
        if kpi:
            lost.append("3.8")
    data: dict[str, Any] = {
        "configuration": configuration,
        "definitions": definitions,
        "filter": filters,
        "view": {"entity": view_entity, "properties": ["duration", "frequency"][:property_count]},
        "groupBy": {"type": "none", "value": None},
        "distributedBy": {"type": "none", "value": None},
        "visualization": "table",
    }
    if not is_decision:
        data["managementReport"] = False
        data["instantPreviewReport"] = False
        if draw(st.booleans()) and draw(st.booleans()):
            data["instantPreviewReport"] = True
            lost.append("3.10")
    entity: dict[str, Any] = {
        "id": report_id,
        "exportEntityType": "single_decision_report" if is_decision else "single_process_report",
        "name": draw(names),
        "description": description,
        "sourceIndexVersion": 10 if is_decision else 11,
        "collectionId": None,
        "data": data,
    }
    return Generated(entity["exportEntityType"], entity, tuple(lost))


@st.composite
def combined_reports(draw: st.DrawFn) -> Generated:
    description = draw(st.none() | names)
    entity = {
        "id": draw(ids),
        "exportEntityType": "combined_report",
        "name": draw(names),
        "description": description,
        "sourceIndexVersion": 5,
        "collectionId": None,
        "data": {
            "configuration": {},
            "visualization": "bar",
            "reports": [{"id": i, "color": "#fff"} for i in draw(st.lists(ids, max_size=3))],
        },
    }
    return Generated("combined_report", entity, ("3.11",) if description else ())


@st.composite
def dashboards(draw: st.DrawFn) -> Generated:
    lost: list[str] = []
    description = draw(st.none() | names)
    if description:
        lost.append("3.11")
    tiles: list[dict[str, Any]] = []
    for y, kind in enumerate(
        draw(st.lists(st.sampled_from(["report", "url", "text"]), max_size=4))
    ):
        place = {"position": {"x": 0, "y": y}, "dimensions": {"width": 2, "height": 2}}
        if kind == "report":
            configuration = draw(st.none() | st.just({"note": "n"}))
            tiles.append(
                {
                    "id": draw(ids),
                    **place,
                    "type": "optimize_report",
                    "configuration": configuration,
                }
            )
        elif kind == "url":
            tiles.append(
                {
                    "id": "",
                    **place,
                    "type": "external_url",
                    "configuration": {"external": "https://e.x/"},
                }
            )
        else:
            tiles.append({"id": "", **place, "type": "text", "configuration": {"text": {}}})
            lost.append("3.10")
    filters = [
        {"type": t, "data": {"defaultValues": None}}
        for t in draw(
            st.lists(
                st.sampled_from(["state", "instanceStartDate", "instanceEndDate"]),
                max_size=3,
                unique=True,
            )
        )
    ]
    if draw(st.booleans()):
        filters.append(
            {
                "type": "variable",
                "data": {
                    "type": "String",
                    "name": "v",
                    "data": {"operator": "in", "values": ["a"]},
                    "defaultValues": None,
                },
            }
        )
    instant = draw(st.booleans()) and draw(st.booleans())
    if instant:
        lost.append("3.10")
    entity = {
        "id": draw(ids),
        "exportEntityType": "dashboard",
        "name": draw(names),
        "description": description,
        "sourceIndexVersion": 8,
        "tiles": tiles,
        "availableFilters": filters,
        "collectionId": None,
        "instantPreviewDashboard": instant,
    }
    return Generated("dashboard", entity, tuple(lost))


entities = st.one_of(single_reports(), combined_reports(), dashboards())
release_names = st.sampled_from(ORDER)
