from __future__ import annotations

import re

import pytest

from application.use_cases.export_dashboards import ExportDashboards
from application.use_cases.export_reports import ExportReports
from application.use_cases.list_dashboard_ids import ListDashboardIds
from application.use_cases.list_report_ids import ListReportIds
from domain.collection import MISSING_COLLECTION_ID
from domain.errors import BadRequest, NotFound
from tests.builders.domain import combined_report, dashboard_of, process_report
from tests.fakes import FakeUnitOfWork


def world() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        reports=[
            process_report("r1", collection_id="c"),
            process_report("r2", collection_id="c"),
            process_report("r3"),
            combined_report("k", ["r2", "r3"], collection_id="c"),
        ],
        dashboards=[dashboard_of("123", "r1", "k", collection_id="c"), dashboard_of("456", "r3")],
    )


def test_exporting_dashboards_reads_each_level_of_reports_once() -> None:
    uow = world()
    result = ExportDashboards(lambda: uow)(["123", "456"])
    assert [r.id for r in result.reports] == ["r1", "k", "r2", "r3"]
    assert [d.id for d in result.dashboards] == ["123", "456"]
    assert uow.reports.lookups == 2


def test_an_export_writes_nothing() -> None:
    uow = world()
    ExportDashboards(lambda: uow)(["123"])
    assert not uow.committed


def test_an_unknown_dashboard_is_not_found_and_no_report_is_read() -> None:
    uow = world()
    with pytest.raises(NotFound, match=r"Could not find dashboards with IDs \[999\]"):
        ExportDashboards(lambda: uow)(["123", "999"])
    assert uow.reports.lookups == 0


def test_exporting_reports_brings_combined_children() -> None:
    result = ExportReports(world)(["k"])
    assert [r.id for r in result.reports] == ["k", "r2", "r3"]


def test_listing_needs_a_collection_id() -> None:
    with pytest.raises(BadRequest, match=re.escape(MISSING_COLLECTION_ID)):
        ListDashboardIds(world())(None)
    with pytest.raises(BadRequest):
        ListReportIds(world())("")


def test_listing_names_the_entities_of_one_collection_and_none_of_an_unknown_one() -> None:
    assert ListDashboardIds(world())("c") == ["123"]
    assert ListReportIds(world())("c") == ["r1", "r2", "k"]
    assert ListReportIds(world())("unknown") == []
