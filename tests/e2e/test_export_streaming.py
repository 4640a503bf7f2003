"""Large exports are streamed from storage as they are sent, from one snapshot."""

from __future__ import annotations

import gc
import json

import anyio
from litestar import Litestar
from litestar.testing import TestClient

from application.use_cases.load_seed import Seed
from entrypoints.container import Container, build_container
from entrypoints.http.export_responses import STREAM_ABOVE_BYTES, read_export, stream_rest
from entrypoints.settings import Settings
from entrypoints.wire.export_json import export_json
from tests.builders import combined_report, dashboard_of, process_report
from tests.conftest import AUTH, TOKEN

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
    whole = export_json(container.export_dashboards()(ids))
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
        with container.export_dashboards().open(ids) as export:
            elsewhere.delete_report()("r0-2")  # commits while the export is open
            exported = [e.id for e in export.entities()]
    finally:
        elsewhere.engine().dispose()
    assert "r0-2" in exported
    assert "r0-2" not in [e.id for e in container.export_dashboards()(ids).entities()]


def test_an_export_whose_stream_never_starts_still_closes_its_snapshot(
    container: Container,
) -> None:
    ids = large_world(container)
    _, rest = read_export(container.export_dashboards(), ids)
    assert rest is not None
    export = rest.export
    stream = stream_rest(rest)
    assert not export.closed
    del rest, stream  # the client went away before the first block was sent
    gc.collect()
    assert export.closed
    # mypy holds `closed` False from the first assert: it cannot see the collector close it.
    export.close()  # type: ignore[unreachable]  # closing again is harmless


def test_a_client_leaving_mid_stream_closes_the_snapshot(container: Container) -> None:
    ids = large_world(container)
    _, rest = read_export(container.export_dashboards(), ids)
    assert rest is not None
    export = rest.export
    rest.read.clear()  # start at a block still to be read from storage

    async def leave_while_a_block_is_read() -> None:
        with anyio.move_on_after(0):  # cancelled at the first await, inside the stream
            async for _ in stream_rest(rest):
                pass

    anyio.run(leave_while_a_block_is_read)
    assert export.closed
