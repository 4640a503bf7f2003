"""Synthetic data shaped like real Optimize exports (see ../shared/fixtures/optimize/): single
process reports whose `data` has definitions, configuration, filter, view, groupBy,
distributedBy and visualization, about 3 KB each, or with a 25 KB BPMN `configuration.xml`; and
dashboards with a text tile and ten report tiles.

Rows go straight into the schema that `boardport db upgrade` made, with the driver, in one
transaction: loading is not what is measured.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from benchmarks.databases import Backend, Database

SMALL = "3kb"
WITH_XML = "25kb-xml"
PAYLOADS = (SMALL, WITH_XML)
REPORT_DATA_BYTES = 3_000
XML_BYTES = 25_000
REPORTS_PER_DASHBOARD = 10
TENANT = "<default>"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
_NAMESPACE = uuid.UUID("6f1d6a0e-8f55-4c9b-9a3e-2b7c41d0e5a1")

Json = Any


def encode(value: Json) -> str:
    """Compact JSON, as boardport stores it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def definition_key(payload: str) -> str:
    return "bench-invoice" if payload == SMALL else "bench-invoice-xml"


@cache
def bpmn_xml(key: str, size: int = XML_BYTES) -> str:
    """A well-formed BPMN document for process `key`, a chain of user tasks with its diagram,
    grown to about `size` characters, as Camunda Modeler writes them."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
        'xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_bench" '
        'targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" '
        'exporterVersion="5.17.0" modeler:executionPlatform="Camunda Cloud" '
        'modeler:executionPlatformVersion="8.4.0">\n'
        f'  <bpmn:process id="{key}" name="Benchmark invoice approval" isExecutable="true">\n'
        '    <bpmn:startEvent id="StartEvent_1" name="Invoice received">\n'
        "      <bpmn:outgoing>Flow_0</bpmn:outgoing>\n    </bpmn:startEvent>\n"
    )
    tasks: list[str] = []
    shapes: list[str] = []
    count = 0

    def document(final: int) -> str:
        end = (
            f'    <bpmn:endEvent id="EndEvent_1" name="Invoice processed">\n'
            f"      <bpmn:incoming>Flow_{final}</bpmn:incoming>\n    </bpmn:endEvent>\n"
            "  </bpmn:process>\n"
            '  <bpmndi:BPMNDiagram id="BPMNDiagram_1">\n'
            f'    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="{key}">\n'
        )
        return (
            head
            + "".join(tasks)
            + end
            + "".join(shapes)
            + ("    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n</bpmn:definitions>\n")
        )

    while len(document(count)) < size:
        count += 1
        x = 180 + 160 * count
        tasks.append(
            f'    <bpmn:userTask id="Task_{count}" name="Approve step {count}">\n'
            "      <bpmn:extensionElements>\n"
            f'        <zeebe:assignmentDefinition candidateGroups="approvers-{count % 7}" />\n'
            "      </bpmn:extensionElements>\n"
            f"      <bpmn:incoming>Flow_{count - 1}</bpmn:incoming>\n"
            f"      <bpmn:outgoing>Flow_{count}</bpmn:outgoing>\n    </bpmn:userTask>\n"
            f'    <bpmn:sequenceFlow id="Flow_{count - 1}" '
            f'sourceRef="{"StartEvent_1" if count == 1 else f"Task_{count - 1}"}" '
            f'targetRef="Task_{count}" />\n'
        )
        shapes.append(
            f'      <bpmndi:BPMNShape id="Task_{count}_di" bpmnElement="Task_{count}">\n'
            f'        <dc:Bounds x="{x}" y="80" width="100" height="80" />\n'
            "      </bpmndi:BPMNShape>\n"
            f'      <bpmndi:BPMNEdge id="Flow_{count - 1}_di" bpmnElement="Flow_{count - 1}">\n'
            f'        <di:waypoint x="{x - 60}" y="120" />\n'
            f'        <di:waypoint x="{x}" y="120" />\n      </bpmndi:BPMNEdge>\n'
        )
    tasks.append(
        f'    <bpmn:sequenceFlow id="Flow_{count}" sourceRef="Task_{count}" '
        'targetRef="EndEvent_1" />\n'
    )
    return document(count)


_ROLLING_END_DATE = {
    "type": "instanceEndDate",
    "data": {
        "type": "rolling",
        "start": {"value": 6, "unit": "months"},
        "end": None,
        "includeUndefined": False,
        "excludeUndefined": False,
    },
    "filterLevel": "instance",
    "appliedTo": ["all"],
}
_KINDS: tuple[tuple[str, Json, Json, Json, list[Json]], ...] = (
    # visualization, view, groupBy, distributedBy, filter: the shapes the fixtures hold.
    (
        "heat",
        {"entity": "incident", "properties": ["frequency"]},
        {"type": "flowNodes", "value": None},
        {"type": "none", "value": None},
        [
            {
                "type": "includesOpenIncident",
                "data": None,
                "filterLevel": "view",
                "appliedTo": ["all"],
            }
        ],
    ),
    (
        "number",
        {"entity": "processInstance", "properties": ["duration"]},
        {"type": "none", "value": None},
        {"type": "none", "value": None},
        [],
    ),
    (
        "bar",
        {"entity": "processInstance", "properties": ["frequency"]},
        {"type": "endDate", "value": {"unit": "month"}},
        {"type": "none", "value": None},
        [_ROLLING_END_DATE],
    ),
    (
        "table",
        {"entity": "userTask", "properties": ["frequency"]},
        {"type": "userTasks", "value": None},
        {"type": "assignee", "value": None},
        [
            {
                "type": "runningInstancesOnly",
                "data": None,
                "filterLevel": "instance",
                "appliedTo": ["all"],
            }
        ],
    ),
    (
        "line",
        {"entity": "processInstance", "properties": ["frequency", "duration"]},
        {"type": "startDate", "value": {"unit": "automatic"}},
        {"type": "none", "value": None},
        [_ROLLING_END_DATE],
    ),
    (
        "pie",
        {"entity": "processInstance", "properties": ["frequency"]},
        {"type": "variable", "value": {"name": "invoiceCategory", "type": "String"}},
        {"type": "none", "value": None},
        [],
    ),
)


def _configuration(xml: str | None, columns: list[str]) -> Json:
    bucket = {
        "active": False,
        "bucketSize": "10.0",
        "bucketSizeUnit": "minute",
        "baseline": "0.0",
        "baselineUnit": "minute",
    }
    return {
        "color": "#1991c8",
        "aggregationTypes": [{"type": "avg", "value": None}, {"type": "percentile", "value": 50.0}],
        "userTaskDurationTimes": ["total"],
        "showInstanceCount": False,
        "pointMarkers": True,
        "precision": None,
        "hideRelativeValue": False,
        "hideAbsoluteValue": False,
        "alwaysShowRelative": False,
        "alwaysShowAbsolute": True,
        "showGradientBars": True,
        "xml": xml,
        "tableColumns": {
            "includeNewVariables": False,
            "excludedColumns": columns,
            "includedColumns": [],
            "columnOrder": [],
        },
        "targetValue": {
            "countChart": {"isBelow": False, "value": "100"},
            "durationProgress": {
                "baseline": {"unit": "hours", "value": "0"},
                "target": {"unit": "hours", "value": "2", "isBelow": False},
            },
            "active": False,
            "countProgress": {"baseline": "0", "target": "100", "isBelow": False},
            "durationChart": {"unit": "hours", "isBelow": False, "value": "2"},
            "isKpi": False,
        },
        "heatmapTargetValue": {"active": False, "values": {}},
        "groupByDateVariableUnit": "automatic",
        "distributeByDateVariableUnit": "automatic",
        "customBucket": bucket,
        "distributeByCustomBucket": dict(bucket),
        "sorting": None,
        "processPart": None,
        "measureVisualizations": {"frequency": "bar", "duration": "line"},
        "stackedBar": False,
        "horizontalBar": False,
        "logScale": False,
        "yLabel": "",
        "xLabel": "",
    }


def report_data(index: int, payload: str) -> Json:
    """The `data` of synthetic report number `index`: about 3 KB as compact JSON, plus a 25 KB
    BPMN document in `configuration.xml` for the 25kb-xml payload."""
    visualization, view, group_by, distributed_by, filters = _KINDS[index % len(_KINDS)]
    key = definition_key(payload)
    columns: list[str] = []
    data: Json = {}
    while True:
        data = {
            "configuration": _configuration(None, columns),
            "definitions": [
                {
                    "identifier": "definition",
                    "key": key,
                    "name": "Benchmark invoice approval",
                    "displayName": "Benchmark invoice approval",
                    "versions": ["all"],
                    "tenantIds": [TENANT],
                }
            ],
            "filter": filters,
            "view": view,
            "groupBy": group_by,
            "distributedBy": distributed_by,
            "visualization": visualization,
            "managementReport": False,
            "instantPreviewReport": False,
            "userTaskReport": view["entity"] == "userTask",
        }
        if len(encode(data)) >= REPORT_DATA_BYTES:
            break
        columns.append(f"variable:invoiceField{len(columns):02d}")
    if payload == WITH_XML:
        data["configuration"]["xml"] = bpmn_xml(key)
    return data


def _text_tile(index: int) -> Json:
    paragraph = {
        "children": [
            {
                "detail": 0,
                "format": 0,
                "mode": "normal",
                "style": "",
                "text": f"Invoice operations, board {index}",
                "type": "text",
                "version": 1,
            }
        ],
        "direction": "ltr",
        "format": "",
        "indent": 0,
        "type": "paragraph",
        "version": 1,
    }
    root = {
        "children": [paragraph],
        "direction": "ltr",
        "format": "",
        "indent": 0,
        "type": "root",
        "version": 1,
    }
    return {"text": {"root": root}}


DASHBOARD_FILTERS = [
    {"type": "instanceStartDate", "data": {"defaultValues": None}},
    {"type": "state", "data": {"defaultValues": None}},
]


@dataclass(frozen=True, slots=True)
class Dataset:
    """`dashboards` dashboards with `REPORTS_PER_DASHBOARD` reports of their own each, no
    collection, IDs shaped like Optimize's (UUIDs), derived from `payload` and the position."""

    payload: str
    dashboards: int = 1000

    def dashboard_id(self, n: int) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self.payload}/dashboard/{n}"))

    def report_id(self, n: int, i: int) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self.payload}/report/{n}/{i}"))

    def dashboard_ids(self, count: int | None = None) -> list[str]:
        return [self.dashboard_id(n) for n in range(self.dashboards if count is None else count)]

    @property
    def entities(self) -> int:
        return self.dashboards * (REPORTS_PER_DASHBOARD + 1)

    def report_rows(self, created: object) -> Iterator[tuple[object, ...]]:
        texts = [encode(report_data(k, self.payload)) for k in range(len(_KINDS))]
        for n in range(self.dashboards):
            for i in range(REPORTS_PER_DASHBOARD):
                kind = (n * REPORTS_PER_DASHBOARD + i) % len(_KINDS)
                description = None if i % 3 else f"Report {i} of board {n}, kept for the audit."
                yield (
                    self.report_id(n, i),
                    None,
                    "single_process_report",
                    f"Board {n} / {_KINDS[kind][0]} report {i}",
                    description,
                    texts[kind],
                    created,
                )

    def dashboard_rows(self, created: object) -> Iterator[tuple[object, ...]]:
        filters = encode(DASHBOARD_FILTERS)
        for n in range(self.dashboards):
            description = None if n % 2 else f"Invoice operations overview number {n}."
            yield (self.dashboard_id(n), None, f"Invoices {n}", description, filters, created)

    def tile_rows(self) -> Iterator[tuple[object, ...]]:
        for n in range(self.dashboards):
            dashboard = self.dashboard_id(n)
            yield (dashboard, 0, "text", None, 0, 0, 18, 2, encode(_text_tile(n)))
            for i in range(REPORTS_PER_DASHBOARD):
                x, y = (i % 3) * 6, 2 + (i // 3) * 4
                yield (dashboard, i + 1, "optimize_report", self.report_id(n, i), x, y, 6, 4, None)


REPORT_INSERT = (
    "INSERT INTO report (id, collection_id, entity_type, name, description, data, created) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
DASHBOARD_INSERT = (
    "INSERT INTO dashboard (id, collection_id, name, description, available_filters, created) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
TILE_INSERT = (
    "INSERT INTO dashboard_tile (dashboard_id, position, tile_type, report_id, x, y, width, "
    "height, configuration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def created_value(database: Database, moment: datetime = CREATED) -> object:
    """A `created` timestamp as SQLAlchemy stores it: text on SQLite, timestamptz on PostgreSQL."""
    if database.backend is Backend.SQLITE:
        return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return moment


def load(database: Database, dataset: Dataset) -> float:
    """Writes the dataset in one transaction; answers the seconds it took."""
    started = time.perf_counter()
    created = created_value(database)
    connection = database.connect()
    try:
        database.begin(connection, writing=True)
        database.insert_many(connection, REPORT_INSERT, dataset.report_rows(created))
        database.insert_many(connection, DASHBOARD_INSERT, dataset.dashboard_rows(created))
        database.insert_many(connection, TILE_INSERT, dataset.tile_rows())
        connection.commit()
    finally:
        connection.close()
    return time.perf_counter() - started
