from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from domain.definition import DefinitionType
from domain.errors import BadRequest
from domain.limits import InputLimits


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


DEFAULT_COLLECTION_NAME = "New Collection"


def new_collection(
    collection_id: str,
    name: str | None,
    owner_id: str | None,
    created: datetime,
    limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
) -> Collection:
    """A new, empty collection with an empty scope. Without a name it is called
    "New Collection", as in Optimize; a name has 1 to `max_name_length` characters."""
    chosen = DEFAULT_COLLECTION_NAME if name is None else name.strip()
    longest = limits.max_name_length
    if not chosen or len(chosen) > longest:
        raise BadRequest(
            f"A collection name must have 1 to {longest} characters, not {len(chosen)}.",
            limit="max_name_length",
        )
    return Collection(collection_id, chosen, owner_id, created)


def checked_scope(
    entries: Iterable[ScopeEntry],
    limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
) -> tuple[ScopeEntry, ...]:
    """The entries, when each names a definition key and tenants a database can hold: 1 to
    `max_id_length` characters, not only spaces (None, not "", means no tenant)."""
    checked = tuple(entries)
    longest = limits.max_id_length
    for entry in checked:
        names = (entry.key, *(t for t in entry.tenants if t is not None))
        if any(not n.strip() or len(n) > longest for n in names):
            raise BadRequest(
                f"A scope entry's definition key and each of its tenants must have 1 to "
                f"{longest} characters; null means no tenant.",
                limit="max_id_length",
            )
    return checked


MISSING_COLLECTION_ID = "Must specify a collection ID for this request."


def required_collection_id(collection_id: str | None) -> str:
    """The contract's answer to a request that names no collection."""
    if not collection_id:
        raise BadRequest(MISSING_COLLECTION_ID)
    return collection_id
