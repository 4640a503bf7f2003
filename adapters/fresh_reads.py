from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class FreshReads:
    """Coalesces concurrent reads of one value without ever answering from before the call.

    A caller arriving while no read runs starts one. A caller arriving while a read runs may
    not use it (it may have begun before the caller asked), so it waits for the next read,
    which starts when the running one ends and serves everyone who arrived meanwhile. However
    many callers there are, at most two reads are outstanding at any time."""

    def __init__(self, read: Callable[[], Awaitable[int]]) -> None:
        self._read = read
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: asyncio.Future[int] | None = None
        self._following: asyncio.Future[int] | None = None

    async def get(self) -> int:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # futures of another (ended) loop can never complete here
            self._loop, self._running, self._following = loop, None, None
        if self._running is None:
            waited = self._running = self._start()
        else:
            if self._following is None:
                self._following = loop.create_future()
            waited = self._following
        return await asyncio.shield(waited)

    def _start(self) -> asyncio.Future[int]:
        read = asyncio.ensure_future(self._read())
        read.add_done_callback(self._finished)
        return read

    def _finished(self, _done: asyncio.Future[int]) -> None:
        self._running = None
        following, self._following = self._following, None
        if following is None:
            return
        self._running = self._start()
        self._running.add_done_callback(lambda read: _settle(following, read))


def _settle(target: asyncio.Future[int], read: asyncio.Future[int]) -> None:
    if target.done():
        return
    if read.cancelled():
        target.cancel()
    elif (error := read.exception()) is not None:
        target.set_exception(error)
    else:
        target.set_result(read.result())
