"""List pages kept in memory under the change counter their snapshot read."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Page = TypeVar("Page")


class KeptPages(Generic[Page]):
    """Pages by what was asked, all of one reading of the change counter, the newest put.

    Every committed write to entities and their history moves the counter in its own
    transaction, so two snapshots that read the same counter see the same rows: a page kept
    under the reading a later snapshot makes again is exactly the page that snapshot would
    read, whichever worker or machine wrote meanwhile. A page kept under another reading is
    never answered; least recently asked ones go first past `max_pages`. Safe across threads."""

    def __init__(self, max_pages: int) -> None:
        self._max_pages = max_pages
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._pages: OrderedDict[Hashable, Page] = OrderedDict()

    def get(self, key: Hashable, generation: int) -> Page | None:
        with self._lock:
            if generation != self._generation:
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, generation: int, page: Page) -> None:
        """Keeps `page`, read under `generation`; a page of another reading replaces them all
        (an older snapshot's may drop newer pages: they are made again, never served stale)."""
        with self._lock:
            if generation != self._generation:
                self._pages.clear()
                self._generation = generation
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)
