from __future__ import annotations

import json
import re
from dataclasses import replace

import anyio
import pytest

from application.ports.export import ExportRequest, ExportTarget
from application.use_cases.list_dashboard_ids import ListDashboardIds
from application.use_cases.list_report_ids import ListReportIds
from domain.collection import MISSING_COLLECTION_ID
from domain.errors import BadRequest, NotFound
from domain.export_format.losses import LossesRefused
from tests.builders.domain import combined_report, dashboard_of, process_report
from tests.exporting import export_over, exported, read_whole
from tests.fakes import FakeUnitOfWork


def world() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        reports=[
            process_report("r1", collection_id="c"),
            replace(process_report("r2", collection_id="c"), description="from 3.11 on"),
            process_report("r3"),
            combined_report("k", ["r2", "r3"], collection_id="c"),
        ],
        dashboards=[dashboard_of("123", "r1", "k", collection_id="c"), dashboard_of("456", "r3")],
    )


def ids_of(answer: bytes) -> list[str]:
    return [entity["id"] for entity in json.loads(answer)]


def test_exporting_dashboards_reads_each_level_of_reports_once() -> None:
    uow = world()
    answer = exported(export_over(uow), "dashboards", ["123", "456"])
    assert ids_of(answer) == ["r1", "k", "r2", "r3", "123", "456"]
    assert uow.reports.lookups == 2


def test_ids_are_a_set_in_request_order() -> None:
    answer = exported(export_over(world()), "dashboards", ["456", "123", "456"])
    assert ids_of(answer) == ["r3", "r1", "k", "r2", "456", "123"]


def test_an_export_writes_nothing() -> None:
    uow = world()
    exported(export_over(uow), "dashboards", ["123"])
    assert not uow.committed


def test_an_unknown_dashboard_is_not_found_and_no_report_is_read() -> None:
    uow = world()
    with pytest.raises(NotFound, match=r"Could not find dashboards with IDs \[999\]"):
        exported(export_over(uow), "dashboards", ["123", "999"])
    assert uow.reports.lookups == 0


def test_exporting_reports_brings_combined_children() -> None:
    assert ids_of(exported(export_over(world()), "reports", ["k"])) == ["k", "r2", "r3"]


def test_the_answer_counts_its_entities_and_closes_itself_after_its_last_block() -> None:
    closed: list[str] = []
    uow = world()
    export = export_over(uow)
    request = ExportRequest.of("dashboards", ["123"])

    async def read() -> tuple[int, bytes]:
        answer = await export.answer(request)
        original = answer.aclose

        async def noted() -> None:
            closed.append("closed")
            await original()

        answer.aclose = noted  # type: ignore[method-assign]
        blocks = [block async for block in answer]
        return answer.entities, b"".join(blocks)

    entities, whole = anyio.run(read)
    assert entities == 5
    assert ids_of(whole) == ["r1", "k", "r2", "r3", "123"]
    assert closed == ["closed"]


def test_an_older_release_that_would_lose_something_is_refused_before_any_block() -> None:
    target = ExportTarget.named("3.7")
    with pytest.raises(LossesRefused, match="description") as refused:
        exported(export_over(world()), "reports", ["r2"], target)
    assert "allowLoss=true" in str(refused.value)
    allowed = ExportTarget.named("3.7", allow_loss=True)

    async def read() -> tuple[int, bytes]:
        request = ExportRequest.of("reports", ["r2"], allowed)
        answer = await export_over(world()).answer(request)
        return len(answer.losses), await read_whole(answer)

    losses, whole = anyio.run(read)
    assert losses == 1
    assert json.loads(whole)[0]["sourceIndexVersion"] == 8


def test_listing_needs_a_collection_id() -> None:
    with pytest.raises(BadRequest, match=re.escape(MISSING_COLLECTION_ID)):
        ListDashboardIds(world())(None)
    with pytest.raises(BadRequest):
        ListReportIds(world())("")


def test_listing_names_the_entities_of_one_collection_and_none_of_an_unknown_one() -> None:
    assert ListDashboardIds(world())("c") == ["123"]
    assert ListReportIds(world())("c") == ["r1", "r2", "k"]
    assert ListReportIds(world())("unknown") == []
