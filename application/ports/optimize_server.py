from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, overload

from domain.collection import ScopeEntry
from domain.definition import Definition
from domain.json_document import JsonValue


class EntityKind(StrEnum):
    """The two kinds of entity the public API lists, exports and deletes."""

    DASHBOARD = "dashboard"
    REPORT = "report"


@dataclass(frozen=True, slots=True)
class ImportAnswerItem:
    """One item of an import's answer: the entity's id on the target, and where it came from."""

    id: str
    entity_type: str
    source_id: str | None = None
    action: str | None = None
    """`created`, `updated` or `unchanged` from a target that imports with overwrite; None
    from one that only creates."""


Text = bytes | memoryview


class ExportedBatch(Sequence[JsonValue]):
    """A batch of export as the server wrote it: each entity's JSON text, parsed each time it
    is asked for. A caller that goes through it in pieces holds one piece parsed at a time,
    and an entity passed on as it came is not encoded again."""

    __slots__ = ("_parse", "texts")

    def __init__(self, texts: Sequence[Text], parse: Callable[[Text], JsonValue]) -> None:
        self.texts = texts
        self._parse = parse

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def size(self) -> int:
        """The bytes of the entities' texts."""
        return sum(
            text.nbytes if isinstance(text, memoryview) else len(text) for text in self.texts
        )

    @overload
    def __getitem__(self, index: int) -> JsonValue: ...

    @overload
    def __getitem__(self, index: slice) -> list[JsonValue]: ...

    def __getitem__(self, index: int | slice) -> JsonValue | list[JsonValue]:
        if isinstance(index, slice):
            return [self._parse(text) for text in self.texts[index]]
        return self._parse(self.texts[index])

    def __iter__(self) -> Iterator[JsonValue]:
        return (self._parse(text) for text in self.texts)


class ServerRefused(Exception):
    """The server answered with a final error: a 4xx other than 429, or a 5xx after the
    retries ran out. Carries the contract's errorCode and detailedMessage when it sent them."""

    def __init__(
        self,
        status: int,
        error_code: str | None,
        detailed_message: str,
        extra: Mapping[str, JsonValue] | None = None,
    ) -> None:
        super().__init__(f"{status} {error_code or 'error'}: {detailed_message}")
        self.status = status
        self.error_code = error_code
        self.detailed_message = detailed_message
        self.extra: Mapping[str, JsonValue] = dict(extra or {})


class ServerUnreachable(Exception):
    """The server could not be reached, or kept dropping the connection, after every retry."""


class ImportBody(Protocol):
    def chunks(self) -> Iterator[bytes]:
        """The export file's bytes from the start; may be called again for a retry."""
        ...


class OptimizeServer(Protocol):
    """A server that keeps the Optimize public-API contract: a real Optimize or a boardport.
    Every method raises ServerRefused or ServerUnreachable, nothing else of its own."""

    @property
    def url(self) -> str: ...

    def is_boardport(self) -> bool:
        """True when the server says it is a boardport, which offers the [ext] endpoints
        (definitions, scope, dryRun, overwrite). Asked once, then remembered."""
        ...

    def list_ids(self, kind: EntityKind, collection_id: str) -> list[str]:
        """The ids of the dashboards or reports of a collection, in the server's order."""
        ...

    def export(self, kind: EntityKind, ids: Sequence[str]) -> Sequence[JsonValue]:
        """One export request for these ids: the entities they name and the reports those
        need, as the server writes them (reports first); an ExportedBatch when the entities'
        texts were kept."""
        ...

    def import_file(
        self, collection_id: str, body: ImportBody, *, dry_run: bool, overwrite: bool
    ) -> list[ImportAnswerItem]:
        """One import request. `dry_run` and `overwrite` are boardport extensions: the caller
        sets them only for a boardport target."""
        ...

    def delete(self, kind: EntityKind, entity_id: str) -> bool:
        """Deletes one entity; False when the server does not know it (any more)."""
        ...

    def definitions(self) -> list[Definition]:
        """[ext] Every definition version the server knows (boardport only)."""
        ...

    def register_definition(self, definition: Definition) -> None:
        """[ext] Registers one definition version, with its XML when it has one."""
        ...

    def widen_scope(self, collection_id: str, entries: Sequence[ScopeEntry]) -> None:
        """Adds these definitions and tenants to the collection's scope; never narrows it."""
        ...
