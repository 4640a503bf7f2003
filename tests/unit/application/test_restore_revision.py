"""Restoring one revision of one entity (the web pages' "Restore this version"), on the fakes:
the entity gets that revision's content in one transaction, recorded as a change of kind
`revert` by the actor; a deleted one comes back with its ID and origin, fitted to the reports
that exist; the restore is itself a change that a revert undoes."""

from __future__ import annotations

from typing import Any

import pytest

from application.use_cases.delete_dashboard import DeleteDashboard
from application.use_cases.delete_report import DeleteReport
from application.use_cases.import_entities import ImportOptions
from application.use_cases.restore_revision import RestoreRevision
from application.use_cases.revert_change import RevertChange
from domain.actor import Actor
from domain.dashboard import Dashboard
from domain.errors import NotFound
from domain.history import EntityKey
from domain.report import Report
from tests.builders.domain import TESTER
from tests.builders.wire import combined_report_entity, dashboard_entity, process_report_entity
from tests.fakes import FakeUnitOfWork, FixedClock
from tests.unit.application.test_overwrite_laws import empty_target, importer, reader

RESTORER = Actor("restorer")
SOURCE = "https://dev.example.com/ a"


def deploy_file(*, renamed: bool = False) -> list[Any]:
    first = process_report_entity("r1", name="Invoices, renamed" if renamed else "Invoices")
    return [
        first,
        process_report_entity("r2"),
        combined_report_entity("k", ["r1", "r2"]),
        dashboard_entity("d", ["r1", "r2"]),
    ]


def deployed(uow: FakeUnitOfWork, document: list[Any]) -> dict[str, str]:
    """Imports the file with overwrite from one source: the stored ID of each ID in the file."""
    options = ImportOptions(overwrite=True, source=SOURCE)
    items = importer(uow)("target", reader(document), options, actor=TESTER)
    return {i.source_id: i.id for i in items if i.id is not None}


def restore(uow: FakeUnitOfWork, key: EntityKey, number: int) -> Any:
    return RestoreRevision(uow, FixedClock())(key, number, actor=RESTORER)


def test_restoring_an_earlier_revision_writes_its_content_back_as_a_revert_by_the_actor() -> None:
    uow = empty_target()
    ids = deployed(uow, deploy_file())
    report_id = ids["r1"]
    first = uow.reports.stored[report_id]
    deployed(uow, deploy_file(renamed=True))
    key = EntityKey("report", report_id)
    assert uow.reports.stored[report_id].name == "Invoices, renamed"

    restored = restore(uow, key, 1)

    assert uow.reports.stored[report_id] == first
    assert restored.item.action == "updated"
    assert restored.item.id == report_id
    change = uow.history.change(restored.change_id)
    assert change is not None
    assert (change.kind, change.actor, change.collection_id) == ("revert", "restorer", "target")
    assert (change.counts.updated, change.counts.total) == (1, 1)
    newest = uow.history.revisions(key)[0]
    assert (newest.number, newest.action, newest.change_id) == (3, "updated", restored.change_id)
    assert uow.history.revision(key, 3) is not None
    assert uow.history.revision(key, 3).entity == first  # type: ignore[union-attr]


def test_a_deleted_dashboard_comes_back_with_its_id_origin_and_the_tiles_that_still_can() -> None:
    uow = empty_target()
    ids = deployed(uow, deploy_file())
    dashboard_id, gone_report = ids["d"], ids["r2"]
    before = uow.dashboards.stored[dashboard_id]
    origin = uow.dashboards.sources[dashboard_id]
    DeleteDashboard(uow, FixedClock())(dashboard_id, actor=TESTER)
    DeleteReport(uow, FixedClock())(gone_report, actor=TESTER)
    key = EntityKey("dashboard", dashboard_id)
    head = uow.history.revisions(key)[0]
    assert head.action == "deleted"

    restored = restore(uow, key, head.number)  # the delete's revision holds what was deleted

    back = uow.dashboards.stored[dashboard_id]
    assert isinstance(back, Dashboard)
    assert back == before.without_reports(frozenset([gone_report]))
    assert back.report_ids() == (ids["r1"],)
    assert uow.dashboards.sources[dashboard_id] == origin
    assert restored.item.action == "created"
    assert uow.history.revisions(key)[0].action == "created"


def test_a_combined_report_comes_back_without_the_child_that_is_gone() -> None:
    uow = empty_target()
    ids = deployed(uow, deploy_file())
    combined, child = ids["k"], ids["r2"]
    DeleteDashboard(uow, FixedClock())(ids["d"], actor=TESTER)
    DeleteReport(uow, FixedClock())(child, actor=TESTER)  # leaves the combined report too
    DeleteReport(uow, FixedClock())(combined, actor=TESTER)
    key = EntityKey("report", combined)

    restore(uow, key, 1)

    back = uow.reports.stored[combined]
    assert isinstance(back, Report)
    assert back.child_ids == (ids["r1"],)


def test_restoring_the_content_it_has_records_nothing() -> None:
    uow = empty_target()
    ids = deployed(uow, deploy_file())
    changes = len(uow.history.changes_made)

    restored = restore(uow, EntityKey("dashboard", ids["d"]), 1)

    assert restored.change_id is None
    assert restored.item.action == "unchanged"
    assert len(uow.history.changes_made) == changes


def test_a_restore_is_a_change_that_a_revert_undoes() -> None:
    uow = empty_target()
    ids = deployed(uow, deploy_file())
    deployed(uow, deploy_file(renamed=True))
    renamed = dict(uow.reports.stored), dict(uow.dashboards.stored)

    restored = restore(uow, EntityKey("report", ids["r1"]), 1)
    assert restored.change_id is not None
    RevertChange(uow, FixedClock())(restored.change_id, actor=TESTER)

    assert (dict(uow.reports.stored), dict(uow.dashboards.stored)) == renamed


@pytest.mark.parametrize(
    ("entity", "number", "named"),
    [
        ("nobody", 1, "reports"),
        ("known", 9, "revisions of report"),
    ],
)
def test_an_unknown_entity_or_revision_is_not_found_and_nothing_is_written(
    entity: str, number: int, named: str
) -> None:
    uow = empty_target()
    ids = deployed(uow, deploy_file())
    report_id = ids["r1"] if entity == "known" else "nobody"
    state = dict(uow.reports.stored), len(uow.history.changes_made)

    with pytest.raises(NotFound) as refused:
        restore(uow, EntityKey("report", report_id), number)

    assert named in refused.value.detail
    assert (dict(uow.reports.stored), len(uow.history.changes_made)) == state
