from __future__ import annotations

from typing import Protocol

from domain.collection import Collection


class CollectionRepository(Protocol):
    def get(self, collection_id: str) -> Collection | None: ...

    def list_all(self) -> list[Collection]:
        """Every collection, oldest first."""
        ...

    def add(self, collection: Collection) -> None: ...

    def save_scope(self, collection: Collection) -> None:
        """Stores the collection's scope as it is now, replacing what was stored."""
        ...
