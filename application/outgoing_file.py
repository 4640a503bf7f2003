"""An export file assembled batch by batch on a spool, for one import: each entity once, and
what the target needs before it can take the file."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from application.ports.json_codec import JsonCodec
from application.ports.optimize_server import ExportedBatch
from application.ports.spool import Spool
from domain.collection import ScopeEntry
from domain.definition import Definition
from domain.definitions_from_export import definitions_to_register, scope_needed
from domain.errors import ImportFileInvalid
from domain.export_format.reader import FileEntry, read_export_file
from domain.json_document import JsonValue, encode_json

PIECE = 100
"""Entities of an exported batch checked and written together."""


def _among(entity: JsonValue, ids: frozenset[str]) -> bool:
    return isinstance(entity, dict) and isinstance(entity.get("id"), str) and entity["id"] in ids


class OutgoingFile:
    """Entities are checked as an import would read them (check 2), kept once by id, and
    written to the spool as they come, so only the batch at hand is in memory. Given the
    definitions a target knows (an earlier boardport, prepared by separate calls), it notes
    the definitions and scope the file needs beyond them; given None, it notes nothing."""

    def __init__(
        self,
        spool: Spool,
        known_definitions: Iterable[Definition] | None = None,
        *,
        codec: JsonCodec | None = None,
    ) -> None:
        self._spool = spool
        self._codec = codec
        self._noting = known_definitions is not None
        self._known = list(known_definitions or ())
        self._needed: list[Definition] = []
        self._scope: dict[tuple[str, str], dict[str | None, None]] = {}
        self._scope_types: dict[tuple[str, str], ScopeEntry] = {}
        self.source_ids: list[str] = []
        self.source_kinds: list[str] = []
        """`report` or `dashboard` for each of source_ids, as an import answer names them."""
        self.source_names: list[str] = []
        """The name of each of source_ids, for a plan to show."""
        self._seen: set[str] = set()
        self._closed = False

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._seen

    def __len__(self) -> int:
        return len(self.source_ids)

    def add(self, entities: Sequence[JsonValue]) -> int:
        """Adds the entities not added before; returns how many were new. Raises
        ImportFileInvalid for an entity an import could not read. An ExportedBatch is checked
        and written PIECE entities at a time, its texts as they came, so that one piece of it
        at most is held parsed; when a piece fails, the batch is read whole again for the
        error to name each problem of the batch, as a batch read at once does."""
        before = frozenset(self._seen)
        size = PIECE if isinstance(entities, ExportedBatch) else max(len(entities), 1)
        added = 0
        try:
            for start in range(0, len(entities), size):
                added += self._add_piece(entities, start, min(start + size, len(entities)), before)
        except ImportFileInvalid:
            read_export_file([e for e in entities if not _among(e, before)])
            raise
        return added

    def _add_piece(
        self, entities: Sequence[JsonValue], start: int, stop: int, before: frozenset[str]
    ) -> int:
        texts = entities.texts if isinstance(entities, ExportedBatch) else None
        piece = [(p, entities[p]) for p in range(start, stop)]
        fresh = [(p, e) for p, e in piece if not _among(e, before)]
        entries = read_export_file([e for _, e in fresh])
        if self._noting:
            self._note_needs(entries)
        parts: list[bytes | memoryview] = []  # the piece goes to the spool in one write
        for (position, entity), entry in zip(fresh, entries, strict=True):
            if entry.entity.id in self._seen:
                continue  # the same entity twice in one batch
            self._seen.add(entry.entity.id)
            self.source_ids.append(entry.entity.id)
            self.source_kinds.append(
                "dashboard" if entry.entity_type.value == "dashboard" else "report"
            )
            self.source_names.append(entry.entity.name)
            parts.append(b"," if len(self.source_ids) > 1 else b"[")
            parts.append(self._encoded(entity) if texts is None else texts[position])
        if parts:
            self._spool.write(b"".join(parts))
        return len(parts) // 2

    def _encoded(self, entity: JsonValue) -> bytes:
        """An entity that came parsed (from a directory), written again: by the codec when
        given one (scenario 12 of the benchmark, docs/performance.md)."""
        if self._codec is not None:
            return self._codec.encode(entity)
        return encode_json(entity).encode()

    def _note_needs(self, entries: Sequence[FileEntry]) -> None:
        new = definitions_to_register(entries, [*self._known, *self._needed])
        self._needed.extend(new)
        for scope in scope_needed(entries):
            identity = (scope.definition_type.value, scope.key)
            self._scope_types.setdefault(identity, scope)
            self._scope.setdefault(identity, {}).update(dict.fromkeys(scope.tenants))

    def finish(self) -> None:
        if not self._closed:
            self._spool.write(b"]" if self.source_ids else b"[]")
            self._closed = True

    @property
    def definitions_needed(self) -> list[Definition]:
        """Definition versions the file names that the target was not known to have."""
        return list(self._needed)

    @property
    def scope_needed(self) -> list[ScopeEntry]:
        return [
            ScopeEntry(self._scope_types[k].definition_type, k[1], tuple(tenants))
            for k, tenants in self._scope.items()
        ]

    def chunks(self) -> Iterator[bytes]:
        self.finish()
        return self._spool.chunks()

    def entities(self) -> list[JsonValue]:
        """The whole file, parsed: only for a conversion, which needs it all at once."""
        return list(json.loads(b"".join(self.chunks())))
