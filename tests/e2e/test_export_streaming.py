"""Large exports are streamed from storage as they are sent, from one snapshot."""

from __future__ import annotations

import gc
import json
from collections.abc import AsyncIterator

import anyio
from litestar import Litestar
from litestar.response import Stream
from litestar.testing import TestClient

from application.ports.export import ExportRequest, ExportTarget
from application.use_cases.load_seed import Seed
from domain.export_format.releases import release_named
from entrypoints.asgi_shared.export_answers import STREAM_ABOVE_BYTES, send
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.builders.domain import TESTER, combined_report, dashboard_of, process_report
from tests.conftest import AUTH, TOKEN
from tests.exporting import exported, read_whole

PADDING = "p" * 3000


def large_world(container: Container, dashboards: int = 250) -> list[str]:
    reports = []
    boards = []
    for n in range(dashboards):
        singles = [process_report(f"r{n}-{i}", note=PADDING) for i in range(3)]
        combined = combined_report(f"k{n}", [singles[0].id, singles[1].id])
        reports += [*singles, combined]
        boards.append(dashboard_of(f"d{n}", combined.id, singles[2].id))
    container.load_seed()(Seed(reports=tuple(reports), dashboards=tuple(boards)))
    return [b.id for b in boards]


def test_a_large_export_is_streamed_and_equals_the_whole_export(
    container: Container,
    client: TestClient[Litestar],
) -> None:
    ids = large_world(container)
    whole = exported(container.export_uncached(), "dashboards", ids)
    assert len(whole) > STREAM_ABOVE_BYTES
    response = client.post("/api/public/export/dashboard/definition/json", json=ids, headers=AUTH)
    assert response.status_code == 200
    assert "content-length" not in response.headers
    assert response.headers["content-type"] == "application/json"
    assert response.content == whole
    assert len(json.loads(response.content)) == 250 * 5


def test_an_open_export_reads_one_snapshot_whatever_commits_meanwhile(
    container: Container, database_url: str
) -> None:
    ids = large_world(container, dashboards=3)
    elsewhere = build_container(Settings(database_url=database_url, api_access_token=TOKEN))
    try:

        async def read_while_a_delete_commits() -> bytes:
            answer = await container.export().answer(ExportRequest.of("dashboards", ids))
            elsewhere.delete_report()("r0-2", actor=TESTER)  # commits while the export is open
            return await read_whole(answer)

        during = [e["id"] for e in json.loads(anyio.run(read_while_a_delete_commits))]
    finally:
        elsewhere.engine().dispose()
    assert "r0-2" in during
    after = [e["id"] for e in json.loads(exported(container.export_uncached(), "dashboards", ids))]
    assert "r0-2" not in after


def snapshots_open(container: Container) -> int:
    """Connections checked out of the pool: an export's snapshot holds one until it ends."""
    checked_out: int = container.engine().pool.checkedout()  # type: ignore[attr-defined]
    return checked_out


async def streamed(container: Container, ids: list[str]) -> Stream:
    response = await send(await container.export().answer(ExportRequest.of("dashboards", ids)))
    assert isinstance(response, Stream)
    return response


async def joined(iterator: AsyncIterator[object]) -> bytes:
    """The blocks a stream sends, each of them bytes, joined."""
    blocks: list[bytes] = []
    async for block in iterator:
        assert isinstance(block, bytes)
        blocks.append(block)
    return b"".join(blocks)


def test_a_streamed_export_holds_its_snapshot_until_the_stream_ends(
    container: Container,
) -> None:
    ids = large_world(container)

    async def send_it_all() -> None:
        response = await streamed(container, ids)
        assert snapshots_open(container) == 1
        iterator = response.iterator
        assert isinstance(iterator, AsyncIterator)
        assert len(json.loads(await joined(iterator))) == 250 * 5
        assert snapshots_open(container) == 0

    anyio.run(send_it_all)


def test_an_export_whose_stream_never_starts_still_closes_its_snapshot(
    container: Container,
) -> None:
    ids = large_world(container)

    async def answer_then_leave() -> None:
        response = await streamed(container, ids)
        assert snapshots_open(container) == 1
        del response  # the client went away before the first block was sent
        gc.collect()

    anyio.run(answer_then_leave)
    gc.collect()
    assert snapshots_open(container) == 0


def test_a_client_leaving_mid_stream_closes_the_snapshot(container: Container) -> None:
    ids = large_world(container)

    async def leave_while_a_block_is_read() -> None:
        response = await streamed(container, ids)
        iterator = response.iterator
        assert isinstance(iterator, AsyncIterator)
        sent = 0
        while True:  # the blocks read already come at once; the next is read from storage
            with anyio.move_on_after(0) as leaving:  # cancelled at the first await inside
                await anext(iterator)
                sent += 1
            if leaving.cancelled_caught:
                break
        assert sent >= 2
        assert snapshots_open(container) == 0

    anyio.run(leave_while_a_block_is_read)


def test_a_stream_for_an_older_release_holds_no_snapshot_while_it_is_sent(
    container: Container,
) -> None:
    ids = large_world(container)
    release = release_named("3.7")

    async def send_it_all() -> bytes:
        request = ExportRequest.of("dashboards", ids, ExportTarget(release))
        response = await send(await container.export().answer(request))
        assert isinstance(response, Stream)
        assert snapshots_open(container) == 0  # converted whole first, from its own snapshot
        iterator = response.iterator
        assert isinstance(iterator, AsyncIterator)
        return await joined(iterator)

    assert anyio.run(send_it_all) == exported(
        container.export_uncached(), "dashboards", ids, ExportTarget(release)
    )
