from __future__ import annotations

from typing import Protocol

from domain.collection import Collection


class CollectionRepository(Protocol):
    def get(self, collection_id: str) -> Collection | None: ...

    def lock(self, collection_id: str) -> Collection | None:
        """The collection, held against other writers until the unit of work ends."""
        ...

    def list_all(self) -> list[Collection]:
        """Every collection, oldest first."""
        ...

    def add(self, collection: Collection) -> None: ...

    def save_scope(self, collection: Collection) -> None:
        """Stores the collection's scope as it is now, replacing what was stored."""
        ...
