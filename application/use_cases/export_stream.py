"""What the two export use cases share: an export planned and read in one snapshot of storage,
written as blocks of bytes, and answered through the export port."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, closing, contextmanager
from itertools import chain
from typing import ClassVar

from application.ports.export_answers import (
    CURRENT_FORMAT,
    AnsweredBlocks,
    ExportAnswers,
    ExportBlocks,
    ExportRequest,
    ExportTarget,
    ReadExport,
)
from application.ports.spool import Spool
from application.ports.unit_of_work import ReadingUnitOfWork
from domain.dashboard import Dashboard
from domain.export import EntityExport, ExportPlan, unique_in_order
from domain.export_format.releases import is_current
from domain.export_format.writer import (
    Decoder,
    Encoder,
    EntityLosses,
    LossesRefused,
    in_blocks,
    in_release,
    iter_entities_json,
)
from domain.json_document import JsonValue, encode_json
from domain.limits import InputLimits
from domain.report import Report, ReportOutline


def standard_encode(value: object) -> bytes:
    return encode_json(value).encode()


def standard_decode(utf8: bytes) -> JsonValue:
    decoded: JsonValue = json.loads(utf8)
    return decoded


class EntityExporter:
    """An export use case. Subclasses say what is exported (`kind`) and how it is planned.

    Unlike the other use cases it is given a way to open units of work, not one: a server
    makes it once, every export request passes through it (most of them answered from the
    export port's memory, with no unit of work at all), and each reading opens its own."""

    kind: ClassVar[str]

    def __init__(
        self,
        units: Callable[[], ReadingUnitOfWork],
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
        *,
        answers: ExportAnswers | None = None,
        encode: Encoder = standard_encode,
        decode: Decoder = standard_decode,
        spool: type[Spool] | None = None,
    ) -> None:
        self._units = units
        self._limits = limits
        self._answers = answers or AnswerInPlace()
        self._encode = encode
        self._decode = decode
        self._spool = spool or MemorySpool

    def _plan(self, uow: ReadingUnitOfWork, ids: Iterable[str]) -> ExportPlan[ReportOutline]:
        raise NotImplementedError

    def __call__(self, ids: Iterable[str]) -> EntityExport:
        """The whole export in memory, for small exports and for the CLI."""
        with self._units() as uow:
            plan = self._plan(uow, ids)
            return EntityExport(tuple(uow.reports.stream_in_order(plan.reports)), plan.dashboards)

    def answer(
        self, ids: Iterable[str], target: ExportTarget = CURRENT_FORMAT
    ) -> AbstractAsyncContextManager[AnsweredBlocks]:
        """The export as the export port answers it: read by `stream`, or an earlier identical
        answer exactly as fresh. IDs are a set, in request order."""
        request = ExportRequest(self.kind, unique_in_order(ids), target)
        return self._answers.answer(request, lambda: self.stream(request.ids, target))

    @contextmanager
    def stream(
        self, ids: Iterable[str], target: ExportTarget = CURRENT_FORMAT
    ) -> Iterator[ExportBlocks]:
        """The export's blocks. Every refusal (not found, limits, losses not allowed) comes on
        entering the `with` block, before the first block.

        Today's format is read from one snapshot of storage as the blocks are consumed, the
        stored data spliced in; the snapshot ends with the `with` block. An older release's
        format must know every loss before the first byte, so the export is converted whole
        first, onto a spool that keeps memory bounded, each entity parsed once; its snapshot
        ends before the first block."""
        if is_current(target.release):
            with self._units() as uow:
                entities = self._entities(uow, ids)
                yield ExportBlocks(in_blocks(iter_entities_json(entities, self._encode)))
            return
        with closing(self._spool()) as spool:
            with self._units() as uow:
                losses = self._convert(self._entities(uow, ids), target, spool)
            yield ExportBlocks(spool.chunks(), tuple(losses))

    def _entities(self, uow: ReadingUnitOfWork, ids: Iterable[str]) -> Iterator[Report | Dashboard]:
        """The planned export's entities, the reports' data read in order as they are taken."""
        plan = self._plan(uow, ids)
        return chain(uow.reports.stream_in_order(plan.reports), plan.dashboards)

    def _convert(
        self, entities: Iterable[Report | Dashboard], target: ExportTarget, spool: Spool
    ) -> list[EntityLosses]:
        losses: list[EntityLosses] = []
        separator = b"["
        for entity in entities:
            converted, lost = in_release(entity, target.release, self._decode)
            if lost is not None:
                losses.append(lost)
            spool.write(separator + self._encode(converted))
            separator = b","
        spool.write(b"[]" if separator == b"[" else b"]")
        if losses and not target.allow_loss:
            raise LossesRefused(target.release, losses)
        return losses


class AnswerInPlace(ExportAnswers):
    """Answers by reading right where it is asked, with no cache: for tools and tests without
    an event loop to keep free. Servers are given a real adapter of the export port."""

    @asynccontextmanager
    async def answer(
        self,
        request: ExportRequest,  # noqa: ARG002 - every request is read afresh
        read: ReadExport,
    ) -> AsyncIterator[AnsweredBlocks]:
        with read() as export:
            yield AnsweredBlocks(_each(export.blocks), export.losses)


async def _each(blocks: Iterator[bytes]) -> AsyncIterator[bytes]:
    for block in blocks:
        yield block


class MemorySpool(Spool):
    """A spool in memory, for exports known to be small."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []

    def write(self, data: bytes | memoryview) -> None:
        self._pieces.append(bytes(data))  # a view is copied: its buffer may change after

    def chunks(self) -> Iterator[bytes]:
        yield b"".join(self._pieces)

    def close(self) -> None:
        self._pieces.clear()
