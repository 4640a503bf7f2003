from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from domain.definition import Definition, DefinitionType


class DefinitionReader(Protocol):
    def of_keys(self, keys: Collection[tuple[DefinitionType, str]]) -> list[Definition]:
        """Every stored version, for every tenant, of the given (type, key) pairs. One query."""
        ...

    def list_all(self) -> list[Definition]: ...


class DefinitionRepository(DefinitionReader, Protocol):
    def lock_key(self, definition_type: DefinitionType, key: str) -> None:
        """Holds the key against other units of work registering it, until this one ends, so
        that choosing the next version and saving it are one step."""
        ...

    def save(self, definition: Definition) -> None:
        """Stores a definition version; one with the same type, key, version and tenant is
        overwritten (name and XML)."""
        ...
