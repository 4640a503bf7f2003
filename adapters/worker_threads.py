from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from anyio import CancelScope, to_thread

from application.ports.worker_threads import WorkerThreads

T = TypeVar("T")


class AnyioWorkerThreads(WorkerThreads):
    """anyio's worker threads, on whatever event loop runs (the server's, or the CLI's)."""

    async def run(self, work: Callable[[], T]) -> T:
        return await to_thread.run_sync(work)

    async def run_to_the_end(self, work: Callable[[], T]) -> T:
        with CancelScope(shield=True):
            done = await to_thread.run_sync(work)
        return done  # noqa: RET504 - out of the `with`: mypy takes the shield for a catch
