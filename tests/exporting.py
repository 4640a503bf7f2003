"""Exports as tests take them: the use case over a fake unit of work, its answer read whole, and
entities written as an export file without storage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import anyio

from adapters.msgspec_codec import MsgspecCodec
from application.ports.export import (
    CURRENT_FORMAT,
    Export,
    ExportAnswer,
    ExportKind,
    ExportRequest,
    ExportTarget,
)
from application.ports.unit_of_work import ReadingUnitOfWork
from application.use_cases.export_entities import ExportEntities
from domain.dashboard import Dashboard
from domain.export_format.releases import LATEST, Release
from domain.export_format.writer import write_export
from domain.limits import InputLimits
from domain.report import Report
from tests.fakes import InlineThreads, MemorySpool, StandardCodec


def export_over(uow: ReadingUnitOfWork, limits: InputLimits = InputLimits()) -> ExportEntities:  # noqa: B008
    return ExportEntities(lambda: uow, InlineThreads(), StandardCodec(), MemorySpool, limits)


async def read_whole(answer: ExportAnswer) -> bytes:
    try:
        return b"".join([block async for block in answer])
    finally:
        await answer.aclose()


def exported(
    export: Export,
    kind: ExportKind,
    ids: Sequence[str],
    target: ExportTarget = CURRENT_FORMAT,
) -> bytes:
    """The whole answer of one export request, as a server would send it."""

    async def ask() -> bytes:
        return await read_whole(await export.answer(ExportRequest.of(kind, ids, target)))

    return anyio.run(ask)


def export_file(
    reports: Iterable[Report] = (), dashboards: Iterable[Dashboard] = (), release: Release = LATEST
) -> bytes:
    """Reports, then dashboards, written as an export file with the server's JSON codec."""
    codec = MsgspecCodec()
    entities: list[Report | Dashboard] = [*reports, *dashboards]
    return b"".join(write_export(entities, release, codec.encode, codec.decode).blocks)
