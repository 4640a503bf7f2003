"""Export batches asked for one ahead: while the batch at hand is checked and spooled, the
next one is already on its way, so the source's work and the network wait overlap the
client's own. Only small batches are overlapped, so that the client still holds about one
batch of export at a time (its memory bound is one batch plus a fixed amount)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from application.ports.optimize_server import EntityKind, ExportedBatch
from domain.json_document import JsonValue

AHEAD_BYTES = 8 * 1024 * 1024
"""The next batch is asked for while one is checked only when that one's text is at most this
big: a second batch of this size in memory stays well within the bound."""


def _small(batch: Sequence[JsonValue], limit: int) -> bool:
    """Only an ExportedBatch knows its size; a parsed batch is not looked ahead of."""
    return isinstance(batch, ExportedBatch) and batch.size <= limit


def exported_batches(
    export: Callable[[EntityKind, Sequence[str]], Sequence[JsonValue]],
    kind: EntityKind,
    id_batches: Iterable[Sequence[str]],
    *,
    ahead_bytes: int = AHEAD_BYTES,
) -> Generator[Sequence[JsonValue], None, None]:
    """What `export` (a server's) gives for each batch of ids, in order, each asked for once.
    An export's error is raised where its batch is reached. When the caller stops early, a
    request on its way is let finish (never two at once on one server), its answer dropped."""
    pending = iter(id_batches)
    ids = next(pending, None)
    if ids is None:
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-ahead") as worker:
        ahead: Future[Sequence[JsonValue]] | None = None
        batch = export(kind, ids)
        while True:
            ids = next(pending, None)
            if ids is not None and _small(batch, ahead_bytes):
                ahead = worker.submit(export, kind, ids)
            yield batch
            if ids is None:
                return
            batch = ahead.result() if ahead is not None else export(kind, ids)
            ahead = None
