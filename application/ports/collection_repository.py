from __future__ import annotations

from typing import Protocol

from domain.collection import Collection


class CollectionReader(Protocol):
    def get(self, collection_id: str) -> Collection | None: ...

    def list_all(self) -> list[Collection]:
        """Every collection, oldest first."""
        ...


class CollectionRepository(CollectionReader, Protocol):
    def lock(self, collection_id: str) -> Collection | None:
        """The collection, held against other writers until the unit of work ends."""
        ...

    def add(self, collection: Collection) -> None: ...

    def save_scope(self, collection: Collection) -> None:
        """Stores the collection's scope as it is now, replacing what was stored."""
        ...
