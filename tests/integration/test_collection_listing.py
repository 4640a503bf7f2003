"""A collection's list page in SQL, on SQLite and PostgreSQL: paged, searched (case aside, %
and _ as themselves), filtered by type, sorted with ties by ID, and counted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from application.history_recording import record_change
from application.ports.collection_listing import ListingQuery, ListingSort
from domain.collection import ScopeEntry
from domain.definition import DefinitionType
from domain.entity_type import EntityType
from domain.errors import NotFound
from domain.history import Touch
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.builders.domain import (
    TESTER,
    collection,
    combined_report,
    dashboard,
    process_report,
    text_tile,
)
from tests.databases import statements_run

HOME = "c-1"


def seeded(container: Container) -> None:
    """In HOME: 30 dashboards (`Board 00` to `Board 29`, one text tile each), 10 process
    reports (`Report 0` to `Report 9`, one of them `50% done_`), one combined report; one
    dashboard elsewhere."""
    reports = [process_report(f"r-{n}", name=f"Report {n}", collection_id=HOME) for n in range(9)]
    reports.append(process_report("r-9", name="50% done_", collection_id=HOME))
    with container.writing_uow() as uow:
        uow.collections.add(collection(HOME))
        uow.collections.add(collection("c-2"))
        uow.reports.add_all([*reports, combined_report("r-c", ["r-0"], collection_id=HOME)])
        boards = []
        for n in range(30):
            board = dashboard(f"d-{n:02}", [text_tile()], collection_id=HOME)
            boards.append(replace(board, name=f"Board {n:02}"))
        uow.dashboards.add_all([*boards, dashboard("d-elsewhere", collection_id="c-2")])
        uow.commit()


def test_a_page_holds_its_share_of_the_list_in_order_with_the_counts(container: Container) -> None:
    seeded(container)
    listing = container.list_collection_page()
    page = listing(ListingQuery(HOME, sort=ListingSort.NAME), 2, 20)
    names = [e.name for e in page.listing.entries]
    # "50% done_" first, then Board 00 to 29: the second page starts at Board 19.
    expected = [f"Board {n}" for n in range(19, 30)] + ["Combined r-c"]
    assert names == expected + [f"Report {n}" for n in range(8)]
    assert page.listing.matching == 41
    assert page.pages == 3
    assert page.listing.by_type == {
        EntityType.DASHBOARD: 30,
        EntityType.SINGLE_PROCESS_REPORT: 10,
        EntityType.COMBINED_REPORT: 1,
    }
    board = next(e for e in page.listing.entries if e.entity_type is EntityType.DASHBOARD)
    assert board.tiles == 1
    combined = next(e for e in page.listing.entries if e.entity_type.is_report)
    assert combined.visualization == "line"  # read from the report's data


def test_search_is_by_a_part_of_the_name_case_aside_and_percent_is_a_percent(
    container: Container,
) -> None:
    seeded(container)
    listing = container.list_collection_page()
    found = listing(ListingQuery(HOME, name_part="bOARD 1"), 1, 20).listing
    assert [e.name for e in found.entries] == [f"Board {n}" for n in range(10, 20)]
    assert found.matching == 10
    percent = listing(ListingQuery(HOME, name_part="50%"), 1, 20).listing
    assert [e.name for e in percent.entries] == ["50% done_"]
    underscore = listing(ListingQuery(HOME, name_part="_"), 1, 20).listing
    assert [e.name for e in underscore.entries] == ["50% done_"]
    assert listing(ListingQuery(HOME, name_part="Board%"), 1, 20).listing.matching == 0


def test_a_type_filter_and_the_type_sort_go_dashboards_first_then_reports(
    container: Container,
) -> None:
    seeded(container)
    listing = container.list_collection_page()
    reports = frozenset({EntityType.SINGLE_PROCESS_REPORT, EntityType.COMBINED_REPORT})
    shown = listing(ListingQuery(HOME, types=reports, sort=ListingSort.TYPE), 1, 20).listing
    assert shown.matching == 11
    assert [e.entity_type for e in shown.entries][-1] is EntityType.COMBINED_REPORT
    descending = listing(
        ListingQuery(HOME, sort=ListingSort.TYPE, descending=True), 1, 20
    ).listing.entries
    assert descending[0].entity_type is EntityType.COMBINED_REPORT
    assert descending[-1].entity_type is EntityType.DASHBOARD
    every = listing.matching_ids(ListingQuery(HOME, types=frozenset({EntityType.DASHBOARD})))
    assert every.dashboards == tuple(f"d-{n:02}" for n in range(30))
    assert every.reports == ()


def test_the_last_change_sort_puts_what_history_saw_change_last_first(
    container: Container,
) -> None:
    seeded(container)
    with container.writing_uow() as uow:
        board = uow.dashboards.get_many(frozenset(["d-07"]))["d-07"]
        renamed = replace(board, name="Board 07, renamed")
        uow.dashboards.update_all([renamed])
        record_change(
            uow,
            "import",
            TESTER,
            datetime(2099, 1, 1, tzinfo=UTC),
            collection_id=HOME,
            touches=[Touch(board, renamed)],
        )
        uow.commit()
    listing = container.list_collection_page()
    newest = listing(ListingQuery(HOME, sort=ListingSort.CHANGED, descending=True), 1, 20)
    oldest = listing(ListingQuery(HOME, sort=ListingSort.CHANGED), 1, 50)
    assert newest.listing.entries[0].id == "d-07"
    assert oldest.listing.entries[-1].id == "d-07"
    assert [e.id for e in oldest.listing.entries[:-1]] == [
        e.id for e in listing(ListingQuery(HOME), 1, 50).listing.entries if e.id != "d-07"
    ]


def test_a_page_asked_again_reads_only_the_change_counter_until_a_write_commits(
    container: Container,
) -> None:
    seeded(container)
    query = ListingQuery(HOME, sort=ListingSort.NAME)
    first = container.list_collection_page()(query, 1, 20)
    with statements_run(container.engine()) as again:
        assert container.list_collection_page()(query, 1, 20) == first
    assert [s.split()[:4] for s in again] == [["SELECT", "value", "FROM", "change_counter"]]
    with container.writing_uow() as uow:
        uow.dashboards.remove(["d-00"])
        uow.commit()
    with statements_run(container.engine()) as after_write:
        after = container.list_collection_page()(query, 1, 20)
    assert len(after_write) > 1
    assert "d-00" in [e.id for e in first.listing.entries]
    assert "d-00" not in [e.id for e in after.listing.entries]
    assert after.listing.matching == first.listing.matching - 1


def test_a_write_by_another_instance_is_seen_on_the_next_page(
    container: Container, database_url: str
) -> None:
    seeded(container)
    listing = container.list_collection_page()
    query = ListingQuery(HOME, types=frozenset([EntityType.SINGLE_PROCESS_REPORT]))
    before = listing(query, 1, 20)
    assert (before.listing.matching, before.collection) == (10, collection(HOME))
    other = build_container(Settings(database_url=database_url, api_access_token="other"))
    try:
        with other.writing_uow() as uow:
            uow.reports.add_all([process_report("r-new", name="Report new", collection_id=HOME)])
            scoped = collection(HOME).with_scope([ScopeEntry(DefinitionType.PROCESS, "invoice")])
            uow.collections.save_scope(scoped)
            uow.commit()
    finally:
        other.engine().dispose()
    page = listing(query, 1, 20)
    assert page.listing.matching == 11
    assert "r-new" in [e.id for e in page.listing.entries]
    assert page.collection == scoped


def test_an_unknown_collection_is_not_found_and_not_kept(container: Container) -> None:
    seeded(container)
    listing = container.list_collection_page()
    with pytest.raises(NotFound):
        listing(ListingQuery("c-later"), 1, 20)
    with container.writing_uow() as uow:
        uow.collections.add(collection("c-later"))
        uow.commit()
    assert listing(ListingQuery("c-later"), 1, 20).listing.matching == 0
