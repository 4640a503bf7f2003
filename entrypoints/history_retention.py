"""Retention of history (`BOARDPORT_HISTORY_DAYS`): old changes go at start-up and hourly, in
every worker (each run is a plain delete, so several workers running it at once agree)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress

import anyio.to_thread

from application.errors import StorageError

HOURLY = 3600.0
_log = logging.getLogger("boardport.history")


class HourlyRetention:
    """Runs `forget` now and then every `interval` seconds while the app runs."""

    def __init__(self, forget: Callable[[], int], interval: float = HOURLY) -> None:
        self._forget = forget
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Runs the first time before the app serves anything, then hourly beside it."""
        await self._once()
        self._task = asyncio.create_task(self._hourly())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _hourly(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            await self._once()

    async def _once(self) -> None:
        try:
            gone = await anyio.to_thread.run_sync(self._forget)
        except StorageError as failure:  # the database is away: try again next time
            _log.warning("history retention could not run: %s", failure)
        else:
            if gone:
                _log.info("history retention dropped %d old change(s)", gone)
