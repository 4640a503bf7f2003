from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from domain.definition import DefinitionType


@dataclass(frozen=True, slots=True)
class ScopeEntry:
    """A definition a collection may hold reports of, for these tenants (None: no tenant)."""

    definition_type: DefinitionType
    key: str
    tenants: tuple[str | None, ...] = (None,)

    @property
    def id(self) -> str:
        return f"{self.definition_type.value}:{self.key}"


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    name: str
    owner_id: str | None
    created: datetime
    scope: tuple[ScopeEntry, ...] = ()

    def scope_entry(self, definition_type: DefinitionType, key: str) -> ScopeEntry | None:
        return next(
            (e for e in self.scope if e.definition_type is definition_type and e.key == key), None
        )

    def with_scope(self, entries: Iterable[ScopeEntry]) -> Collection:
        """This collection with `entries` added; an entry for a definition already in scope
        widens its tenants, it never narrows them."""
        merged = {(e.definition_type, e.key): e for e in self.scope}
        for entry in entries:
            current = merged.get((entry.definition_type, entry.key))
            tenants = entry.tenants if current is None else current.tenants + entry.tenants
            merged[(entry.definition_type, entry.key)] = replace(
                entry, tenants=tuple(dict.fromkeys(tenants))
            )
        return replace(self, scope=tuple(merged.values()))
