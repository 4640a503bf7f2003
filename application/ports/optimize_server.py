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


class ServerKind(StrEnum):
    """What a server says it is, asked once (PUBLIC_API.md §5, "Deploys converge")."""

    OPTIMIZE = "Optimize"
    BOARDPORT = "boardport"
    """Says X-Boardport-Version on its /api answers: its import takes `overwrite`, `source`,
    `prune`, `prepare` and an Idempotency-Key."""
    EARLIER_BOARDPORT = "earlier boardport"
    """Known by its OpenAPI title only: a boardport from before that header, whose import
    neither prepares nor prunes; definitions are registered and the scope widened by
    separate calls."""

    @property
    def is_boardport(self) -> bool:
        return self is not ServerKind.OPTIMIZE


@dataclass(frozen=True, slots=True)
class ImportAnswerItem:
    """One item of an import's answer: the entity's id on the target, and where it came from."""

    id: str
    entity_type: str
    source_id: str | None = None
    action: str | None = None
    """`created`, `updated`, `unchanged`, or `deleted` (pruned), from a target that imports
    with overwrite; None from one that only creates."""


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """One import, as the client asks for it. Everything but the collection is a boardport
    extension: the caller sets it only for a boardport target."""

    collection_id: str
    dry_run: bool = False
    overwrite: bool = False
    prune: bool = False
    prepare: bool = False
    source: str | None = None
    """The `source` label: where the file comes from, recorded with each origin."""
    idempotency_key: str | None = None
    """Made once per run and body and sent on every try of it: the target answers a repeat
    with the first answer, so the import may be sent again after any fault."""


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
    retries ran out. Carries the contract's errorCode and detailedMessage when it sent them,
    and `server`, which server answered ("target https://..."), set by the adapter."""

    def __init__(
        self,
        status: int,
        error_code: str | None,
        detailed_message: str,
        extra: Mapping[str, JsonValue] | None = None,
        *,
        server: str = "",
    ) -> None:
        super().__init__(f"{status} {error_code or 'error'}: {detailed_message}")
        self.status = status
        self.error_code = error_code
        self.detailed_message = detailed_message
        self.extra: Mapping[str, JsonValue] = dict(extra or {})
        self.server = server


class ServerUnreachable(Exception):
    """The server could not be reached, or kept dropping the connection, after every retry.
    `server` names it, as for ServerRefused."""

    def __init__(self, message: str, *, server: str = "") -> None:
        super().__init__(message)
        self.server = server


class AnswerLost(ServerUnreachable):
    """A request that may have been acted on got no answer (the connection went, the answer
    was cut, a gateway said 502, 503 or 504) and was not sent again: it may have landed."""


class ServerKindUnknown(ServerUnreachable):
    """Whether the server is a boardport could not be read: the run stops rather than guess,
    since a wrong guess of Optimize creates copies where a boardport would update."""


class ImportBody(Protocol):
    def chunks(self) -> Iterator[bytes]:
        """The export file's bytes from the start; may be called again for a retry."""
        ...


class OptimizeServer(Protocol):
    """A server that keeps the Optimize public-API contract: a real Optimize or a boardport.
    Every method raises ServerRefused or ServerUnreachable, nothing else of its own."""

    @property
    def url(self) -> str: ...

    def kind(self) -> ServerKind:
        """What the server is: asked once, then remembered. Raises ServerKindUnknown when
        neither way of telling could be read."""
        ...

    def check_collection(self, collection_id: str) -> None:
        """Raises ServerRefused (404 notFoundError) when the server has no such collection."""
        ...

    def list_ids(self, kind: EntityKind, collection_id: str) -> list[str]:
        """The ids of the dashboards or reports of a collection, in the server's order."""
        ...

    def export(self, kind: EntityKind, ids: Sequence[str]) -> Sequence[JsonValue]:
        """One export request for these ids: the entities they name and the reports those
        need, as the server writes them (reports first); an ExportedBatch when the entities'
        texts were kept."""
        ...

    def import_file(self, body: ImportBody, request: ImportRequest) -> list[ImportAnswerItem]:
        """One import request. Raises AnswerLost when it was sent, may have been acted on, and
        could not be sent again (no idempotency key)."""
        ...

    def delete(self, kind: EntityKind, entity_id: str) -> bool:
        """Deletes one entity; False when the server does not know it (any more)."""
        ...

    def definitions(self) -> list[Definition]:
        """[ext] Every definition version an earlier boardport knows."""
        ...

    def register_definition(self, definition: Definition) -> None:
        """[ext] Registers one definition version, with its XML when it has one."""
        ...

    def widen_scope(self, collection_id: str, entries: Sequence[ScopeEntry]) -> None:
        """Adds these definitions and tenants to the collection's scope; never narrows it."""
        ...
