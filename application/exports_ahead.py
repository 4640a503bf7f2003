"""Export batches asked for one ahead: while the batch at hand is checked and spooled, the
next one is already on its way, so the source's work and the network wait overlap the
client's own. Only small batches are overlapped, so that the client still holds about one
batch of export at a time (its memory bound is one batch plus a fixed amount)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from application.ports.optimize_server import EntityKind, ExportedBatch
from domain.json_document import JsonValue

AHEAD_BYTES = 8 * 1024 * 1024
"""The next batch is asked for while one is checked only when that one's text is at most this
big: a second batch of this size in memory stays well within the bound."""


def _small(batch: Sequence[JsonValue], limit: int) -> bool:
    """Only an ExportedBatch knows its size; a parsed batch is not looked ahead of."""
    return isinstance(batch, ExportedBatch) and batch.size <= limit


def take_each_export(
    export: Callable[[EntityKind, Sequence[str]], Sequence[JsonValue]],
    kind: EntityKind,
    id_batches: Iterable[Sequence[str]],
    take: Callable[[Sequence[JsonValue]], object],
    *,
    ahead_bytes: int = AHEAD_BYTES,
) -> None:
    """Gives `take` what `export` (a server's) answers for each batch of ids, in order, each
    asked for once; a batch is let go before the next one is asked for unless looked ahead
    of. An export's error is raised where its batch is reached. When `take` raises, a request
    on its way is let finish (never two at once on one server) and its answer dropped."""
    pending = iter(id_batches)
    ids = next(pending, None)
    if ids is None:
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-ahead") as worker:
        batch: Sequence[JsonValue] | None = export(kind, ids)
        while batch is not None:
            ids = next(pending, None)
            ahead: Future[Sequence[JsonValue]] | None = None
            if ids is not None and _small(batch, ahead_bytes):
                ahead = worker.submit(export, kind, ids)
            take(batch)
            batch = None  # held by nothing while the next one comes
            if ids is not None:
                batch = ahead.result() if ahead is not None else export(kind, ids)
