"""Failures of storage, as the use cases and entrypoints know them. Adapters translate their
drivers' exceptions into these, so nothing above them needs to know which database it is."""

from __future__ import annotations


class StorageError(Exception):
    """Storage failed; nothing of the unit of work was committed. `detail` is fit for a log,
    never holding the values the request carried."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class StorageUnavailable(StorageError):
    """The database failed or could not be reached; the same request may succeed later."""


class StorageRefusedValue(StorageError):
    """The database refused a value the request carried (too large to store or index, a NUL
    character, a number out of range); retrying the same request cannot help."""


class StorageValueTooLarge(StorageRefusedValue):
    """A value is larger than the database can store or index."""


class StorageConflict(StorageError):
    """A write broke one of the database's constraints."""
