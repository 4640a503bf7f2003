"""The contract's two exports, dashboards and reports, as one use case: an export is planned
and read in one snapshot of storage, written in the target release's format, and answered
block by block (see `application.ports.export`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import ExitStack
from functools import partial
from itertools import chain

from application.ports.export import Export, ExportAnswer, ExportKind, ExportRequest
from application.ports.json_codec import JsonCodec
from application.ports.spool import Spool
from application.ports.unit_of_work import ReadingUnitOfWork
from application.ports.worker_threads import WorkerThreads
from domain.dashboard import Dashboard
from domain.export import ExportPlan, plan_dashboard_export, plan_report_export
from domain.export_format.losses import EntityLosses, refuse_losses
from domain.export_format.releases import is_current
from domain.export_format.writer import WrittenExport, write_export
from domain.limits import InputLimits
from domain.report import Report, ReportOutline


class ExportEntities(Export):
    """Made once per process: every export request passes through it, and each reading opens a
    reading unit of work of its own, which the answer holds until its last block is taken.

    Today's format is read from that snapshot as the blocks are taken, the stored data spliced
    in. An older release's format must know every loss before the first byte, so it is written
    whole first, onto a spool (memory, then a temporary file), and the snapshot ends before the
    first block."""

    def __init__(
        self,
        units: Callable[[], ReadingUnitOfWork],
        threads: WorkerThreads,
        codec: JsonCodec,
        spool: Callable[[], Spool],
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._units = units
        self._threads = threads
        self._codec = codec
        self._spool = spool
        self._limits = limits

    async def answer(self, request: ExportRequest) -> ExportAnswer:
        return await self._threads.run(partial(self._read, request))

    def _read(self, request: ExportRequest) -> ExportAnswer:
        release = request.target.release
        with ExitStack() as snapshot:
            uow = snapshot.enter_context(self._units())
            plan = self._plan(request.kind, uow, request.ids)
            # The reports' data is read in order as the blocks are taken, then the dashboards.
            entities = chain[Report | Dashboard](
                uow.reports.stream_in_order(plan.reports), plan.dashboards
            )
            written = write_export(entities, release, self._codec.encode, self._codec.decode)
            if not is_current(release):
                return self._spooled(written, request, len(plan))  # the snapshot ends here
            # The answer holds the snapshot from here on, and ends it after its last block.
            end_snapshot = snapshot.pop_all().close
        return BlocksInThreads(written.blocks, self._threads, len(plan), close=end_snapshot)

    def _plan(
        self, kind: ExportKind, uow: ReadingUnitOfWork, ids: Sequence[str]
    ) -> ExportPlan[ReportOutline]:
        """Not-found and every other rule are decided here, before any data is read."""
        if kind == "dashboards":
            return plan_dashboard_export(
                ids, uow.dashboards.get_many, uow.reports.outlines, self._limits
            )
        return plan_report_export(ids, uow.reports.outlines, self._limits)

    def _spooled(
        self, written: WrittenExport, request: ExportRequest, entities: int
    ) -> ExportAnswer:
        spool = self._spool()
        try:
            for block in written.blocks:
                spool.write(block)
            refuse_losses(written.release, written.losses, allow_loss=request.target.allow_loss)
        except BaseException:
            spool.close()
            raise
        losses = tuple(written.losses)
        return BlocksInThreads(spool.chunks(), self._threads, entities, losses, close=spool.close)


class BlocksInThreads(ExportAnswer):
    """An answer whose blocks are read in worker threads (storage and files block), and which
    is closed there too, however its sending ends: sent, failed, or the client gone."""

    def __init__(
        self,
        blocks: Iterator[bytes],
        threads: WorkerThreads,
        entities: int,
        losses: tuple[EntityLosses, ...] = (),
        *,
        close: Callable[[], object],
    ) -> None:
        self._blocks = blocks
        self._entities = entities
        self._threads = threads
        self._losses = losses
        self._close: Callable[[], object] | None = close

    @property
    def losses(self) -> tuple[EntityLosses, ...]:
        return self._losses

    @property
    def entities(self) -> int:
        return self._entities

    @property
    def whole(self) -> bytes | None:
        return None

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        if self._close is None:
            raise StopAsyncIteration
        try:
            block: bytes | None = await self._threads.run(partial(next, self._blocks, None))
        except BaseException:
            await self.aclose()
            raise
        if block is None:
            await self.aclose()
            raise StopAsyncIteration
        return block

    async def aclose(self) -> None:
        close, self._close = self._close, None
        if close is not None:
            await self._threads.run_to_the_end(close)
