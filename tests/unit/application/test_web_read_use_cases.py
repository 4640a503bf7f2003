from __future__ import annotations

import pytest

from application.use_cases.browse_collections import BrowseCollections, CollectionCount
from application.use_cases.preview_report_deletion import PreviewReportDeletion
from application.use_cases.show_collection import ShowCollection
from application.use_cases.show_dashboard import ShowDashboard
from domain.errors import NotFound
from tests.builders.domain import collection, combined_report, dashboard_of, process_report
from tests.fakes import FakeUnitOfWork


def store() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        collections=[collection("c1", "Sales"), collection("c2", "Empty")],
        reports=[
            process_report("r1", collection_id="c1", visualization="bar"),
            process_report("r2", collection_id="c1"),
            combined_report("cr", ["r1"], collection_id="c1"),
            process_report("loose"),
        ],
        dashboards=[
            dashboard_of("d1", "r1", "r2", collection_id="c1"),
            dashboard_of("d2", "r1", collection_id="c1"),
            dashboard_of("d3", "loose"),
        ],
    )


def test_collections_come_with_their_counts_and_what_lies_outside_them() -> None:
    assert BrowseCollections(store())() == [
        CollectionCount("c1", "Sales", 2, 3),
        CollectionCount("c2", "Empty", 0, 0),
        CollectionCount(None, "Outside any collection", 1, 1),
    ]


def test_nothing_outside_collections_adds_no_line_for_it() -> None:
    uow = FakeUnitOfWork(collections=[collection("c1")])
    assert [c.id for c in BrowseCollections(uow)()] == ["c1"]


def test_a_collection_shows_its_dashboards_and_its_reports_with_their_visualization() -> None:
    contents = ShowCollection(store())("c1")
    assert [d.id for d in contents.dashboards] == ["d1", "d2"]
    assert [(r.id, r.visualization) for r in contents.reports] == [
        ("r1", "bar"),
        ("r2", "number"),
        ("cr", "line"),
    ]
    assert ShowCollection(store())(None).reports[0].id == "loose"
    with pytest.raises(NotFound):
        ShowCollection(store())("nope")


def test_a_dashboard_comes_with_the_reports_its_tiles_show() -> None:
    view = ShowDashboard(store())("d1")
    assert set(view.reports) == {"r1", "r2"}
    with pytest.raises(NotFound):
        ShowDashboard(store())("nope")


def test_previewing_a_reports_deletion_names_what_it_leaves_and_changes_nothing() -> None:
    uow = store()
    impact = PreviewReportDeletion(uow)("r1")
    assert {d.id for d in impact.dashboards} == {"d1", "d2"}
    assert [c.id for c in impact.combined_reports] == ["cr"]
    assert impact.refusal is None
    assert "r1" in uow.reports.stored
    assert not uow.committed
    with pytest.raises(NotFound):
        PreviewReportDeletion(uow)("nope")
