"""Reading changes and revisions in SQL; each revision's content is kept in parts
(revision_content.py), so a name changed a hundred times costs a hundred small rows, not a
hundred copies of the XML."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from adapters.sqlmodel.id_filter import id_among
from adapters.sqlmodel.mappers import as_utc
from adapters.sqlmodel.revision_content import entity_from, unpacked
from adapters.sqlmodel.tables import HistoryBlobRow, HistoryChangeRow, HistoryRevisionRow
from application.ports.history import HistoryReader
from domain.history import (
    ChangeCounts,
    ChangeEntry,
    ChangeKind,
    ChangeSummary,
    EntityKey,
    HistoryEntityType,
    Origin,
    RevisionAction,
    RevisionEntry,
    RevisionHead,
    StoredRevision,
)

REVISION_TABLE = HistoryRevisionRow.__table__  # type: ignore[attr-defined]
BLOB_TABLE = HistoryBlobRow.__table__  # type: ignore[attr-defined]
_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


def _summary(row: HistoryChangeRow) -> ChangeSummary:
    assert row.id is not None  # noqa: S101 - a stored row has its ID
    return ChangeSummary(
        str(row.id),
        _change_kind(row.kind),
        as_utc(row.at),
        row.actor,
        row.collection_id,
        ChangeCounts(row.created, row.updated, row.deleted),
    )


def change_number(change_id: str) -> int | None:
    return int(change_id) if change_id.isdigit() and len(change_id) < 19 else None


class SqlHistoryReader(HistoryReader):
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def changes(
        self, collection_id: str | None, limit: int, before: str | None = None
    ) -> list[ChangeSummary]:
        query = select(HistoryChangeRow).order_by(col(HistoryChangeRow.id).desc()).limit(limit)
        if collection_id is not None:
            query = query.where(col(HistoryChangeRow.collection_id) == collection_id)
        if before is not None:
            number = change_number(before)
            query = query.where(col(HistoryChangeRow.id) < (number if number is not None else 0))
        return [_summary(row) for row in self._session.execute(query).scalars()]

    def change(self, change_id: str) -> ChangeSummary | None:
        number = change_number(change_id)
        row = None if number is None else self._session.get(HistoryChangeRow, number)
        return None if row is None else _summary(row)

    def entries(self, change_id: str) -> list[ChangeEntry]:
        number = change_number(change_id)
        if number is None:
            return []
        rows = self._session.execute(
            select(
                col(HistoryRevisionRow.entity_kind),
                col(HistoryRevisionRow.entity_id),
                col(HistoryRevisionRow.number),
                col(HistoryRevisionRow.action),
                col(HistoryRevisionRow.name),
            )
            .where(col(HistoryRevisionRow.change_id) == number)
            .order_by(col(HistoryRevisionRow.entity_kind).desc(), col(HistoryRevisionRow.entity_id))
        ).all()
        return [
            ChangeEntry(
                EntityKey(_kind(kind), entity_id),
                name,
                _action(action),
                None if action == "created" else revision - 1,
                revision,
            )
            for kind, entity_id, revision, action, name in rows
        ]

    def revisions(self, key: EntityKey) -> list[RevisionEntry]:
        rows = self._session.execute(
            select(
                col(HistoryRevisionRow.number),
                col(HistoryRevisionRow.change_id),
                col(HistoryRevisionRow.action),
                col(HistoryChangeRow.at),
                col(HistoryChangeRow.actor),
            )
            .outerjoin(
                HistoryChangeRow, col(HistoryChangeRow.id) == col(HistoryRevisionRow.change_id)
            )
            .where(*_is(key))
            .order_by(col(HistoryRevisionRow.number).desc())
        ).all()
        return [
            RevisionEntry(
                number,
                None if change_id is None else str(change_id),
                # A baseline has no change; it was what history first saw, at its first change.
                as_utc(at) if at is not None else self._first_seen(key),
                actor,
                _action(action),
            )
            for number, change_id, action, at, actor in rows
        ]

    def _first_seen(self, key: EntityKey) -> datetime:
        at = self._session.execute(
            select(func.min(HistoryChangeRow.at))
            .join(HistoryRevisionRow, col(HistoryChangeRow.id) == col(HistoryRevisionRow.change_id))
            .where(*_is(key))
        ).scalar_one()
        return as_utc(at)

    def revision(self, key: EntityKey, number: int) -> StoredRevision | None:
        return self.revisions_of([(key, number)]).get((key, number))

    def revisions_of(
        self, wanted: Collection[tuple[EntityKey, int]]
    ) -> Mapping[tuple[EntityKey, int], StoredRevision]:
        if not wanted:
            return {}
        found: dict[tuple[EntityKey, int], StoredRevision] = {}
        ids = {key.id for key, _ in wanted}
        wanted_set = set(wanted)
        rows = [
            row
            for row in self._session.execute(
                select(HistoryRevisionRow).where(
                    id_among(HistoryRevisionRow.entity_id, ids, self._dialect)
                )
            ).scalars()
            if (EntityKey(_kind(row.entity_kind), row.entity_id), row.number) in wanted_set
        ]
        blobs = self._blobs({r.body_hash for r in rows} | {r.xml_hash for r in rows if r.xml_hash})
        for row in rows:
            key = EntityKey(_kind(row.entity_kind), row.entity_id)
            xml = blobs[row.xml_hash] if row.xml_hash else None
            origin = (
                Origin(row.source_id, row.source_label or "") if row.source_id is not None else None
            )
            found[(key, row.number)] = StoredRevision(
                entity_from(row, blobs[row.body_hash], xml), row.action == "deleted", origin
            )
        return found

    def _blobs(self, hashes: Collection[str]) -> dict[str, str]:
        if not hashes:
            return {}
        rows = self._session.execute(
            select(col(HistoryBlobRow.hash), col(HistoryBlobRow.content)).where(
                id_among(HistoryBlobRow.hash, hashes, self._dialect)
            )
        ).all()
        return {h: unpacked(c) for h, c in rows}

    def heads(self, keys: Collection[EntityKey]) -> Mapping[EntityKey, RevisionHead]:
        if not keys:
            return {}
        wanted = set(keys)
        newest = self._newest({k.id for k in keys})
        rows = self._session.execute(
            select(
                col(HistoryRevisionRow.entity_kind),
                col(HistoryRevisionRow.entity_id),
                col(HistoryRevisionRow.number),
                col(HistoryRevisionRow.change_id),
                col(HistoryRevisionRow.action),
                col(HistoryRevisionRow.source_id),
                col(HistoryRevisionRow.source_label),
            ).join(
                newest,
                and_(
                    col(HistoryRevisionRow.entity_kind) == newest.c.kind,
                    col(HistoryRevisionRow.entity_id) == newest.c.entity_id,
                    col(HistoryRevisionRow.number) == newest.c.number,
                ),
            )
        ).all()
        heads: dict[EntityKey, RevisionHead] = {}
        for kind, entity_id, number, change_id, action, source_id, label in rows:
            key = EntityKey(_kind(kind), entity_id)
            if key in wanted:
                heads[key] = RevisionHead(
                    number,
                    None if change_id is None else str(change_id),
                    action == "deleted",
                    None if source_id is None else Origin(source_id, label or ""),
                )
        return heads

    def _newest(self, ids: Collection[str]) -> Any:
        """Each entity's newest revision number, for the entities among `ids`."""
        return (
            select(
                col(HistoryRevisionRow.entity_kind).label("kind"),
                col(HistoryRevisionRow.entity_id).label("entity_id"),
                func.max(HistoryRevisionRow.number).label("number"),
            )
            .where(id_among(HistoryRevisionRow.entity_id, ids, self._dialect))
            .group_by(col(HistoryRevisionRow.entity_kind), col(HistoryRevisionRow.entity_id))
            .subquery()
        )

    def latest_change_at(self, keys: Collection[EntityKey]) -> Mapping[EntityKey, datetime]:
        if not keys:
            return {}
        wanted = set(keys)
        rows = self._session.execute(
            select(
                col(HistoryRevisionRow.entity_kind),
                col(HistoryRevisionRow.entity_id),
                func.max(HistoryChangeRow.at),
            )
            .join(HistoryChangeRow, col(HistoryChangeRow.id) == col(HistoryRevisionRow.change_id))
            .where(id_among(HistoryRevisionRow.entity_id, {k.id for k in keys}, self._dialect))
            .group_by(col(HistoryRevisionRow.entity_kind), col(HistoryRevisionRow.entity_id))
        ).all()
        latest = {EntityKey(_kind(kind), entity_id): as_utc(at) for kind, entity_id, at in rows}
        return {key: at for key, at in latest.items() if key in wanted}


def _is(key: EntityKey) -> tuple[Any, Any]:
    return (
        col(HistoryRevisionRow.entity_kind) == key.entity_type,
        col(HistoryRevisionRow.entity_id) == key.id,
    )


def _action(text: str) -> RevisionAction:
    if text not in {"created", "updated", "deleted"}:
        raise ValueError(f"unknown revision action {text!r}")
    return text  # type: ignore[return-value]


def _kind(text: str) -> HistoryEntityType:
    if text not in {"report", "dashboard"}:
        raise ValueError(f"unknown history entity kind {text!r}")
    return text  # type: ignore[return-value]


def _change_kind(text: str) -> ChangeKind:
    if text not in {"import", "delete", "revert"}:
        raise ValueError(f"unknown change kind {text!r}")
    return text  # type: ignore[return-value]
