from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class WorkerThreads(Protocol):
    """Where blocking work (storage, files) runs while a server's event loop keeps serving."""

    async def run(self, work: Callable[[], T]) -> T:
        """`work`'s result, done in a worker thread."""
        ...

    async def run_to_the_end(self, work: Callable[[], T]) -> T:
        """As `run`, but finished even when the awaiting task is being cancelled (a client that
        went away): what releases a resource must run."""
        ...
