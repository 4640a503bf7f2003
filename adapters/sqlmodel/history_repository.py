"""Recording changes and revisions in SQL, in the writing unit of work's transaction, and
forgetting old ones (`BOARDPORT_HISTORY_DAYS`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col

from adapters.sqlmodel.bulk_insert import insert_rows
from adapters.sqlmodel.history_reader import SqlHistoryReader, change_number
from adapters.sqlmodel.id_filter import id_among
from adapters.sqlmodel.revision_content import digest, packed, parts_of
from adapters.sqlmodel.tables import HistoryBlobRow, HistoryChangeRow, HistoryRevisionRow
from application.ports.history import HistoryRepository, NewChange
from domain.entity_type import EntityType
from domain.history import NewRevision, counts_of
from domain.report import Report

REVISION_TABLE = HistoryRevisionRow.__table__  # type: ignore[attr-defined]
BLOB_TABLE = HistoryBlobRow.__table__  # type: ignore[attr-defined]
BLOB_BATCH = 500


class SqlHistoryRepository(SqlHistoryReader, HistoryRepository):
    def record(self, change: NewChange) -> str:
        counts = counts_of(change.revisions)
        number = self._session.execute(
            insert(HistoryChangeRow)
            .values(
                kind=change.kind,
                at=change.at,
                actor=change.actor,
                collection_id=change.collection_id,
                created=counts.created,
                updated=counts.updated,
                deleted=counts.deleted,
                reverts=None if change.reverts is None else change_number(change.reverts),
            )
            .returning(col(HistoryChangeRow.id))
        ).scalar_one()
        blobs: dict[str, str] = {}
        rows = [self._row(r, number, blobs) for r in change.revisions]
        self._keep_blobs(blobs)
        insert_rows(self._session, REVISION_TABLE, rows)
        return str(number)

    def _row(self, revision: NewRevision, change_id: int, blobs: dict[str, str]) -> dict[str, Any]:
        entity = revision.entity
        parts = parts_of(entity)
        body_hash = digest(parts.body)
        blobs[body_hash] = parts.body
        xml_hash = None
        if parts.xml is not None:
            xml_hash = digest(parts.xml)
            blobs[xml_hash] = parts.xml
        origin = revision.origin
        return {
            "entity_kind": revision.key.entity_type,
            "entity_id": revision.key.id,
            "number": revision.number,
            "change_id": None if revision.baseline else change_id,
            "action": revision.action,
            "export_type": (
                entity.entity_type.value
                if isinstance(entity, Report)
                else EntityType.DASHBOARD.value
            ),
            "name": entity.name,
            "description": entity.description,
            "collection_id": entity.collection_id,
            "source_id": None if origin is None else origin.source_id,
            "source_label": None if origin is None else origin.label,
            "body_hash": body_hash,
            "xml_hash": xml_hash,
            "xml_at": parts.xml_at,
        }

    def _keep_blobs(self, blobs: Mapping[str, str]) -> None:
        """Stores the blobs not stored yet; one a concurrent writer stores first is the same."""
        if not blobs:
            return
        known = set(
            self._session.execute(
                select(col(HistoryBlobRow.hash)).where(
                    id_among(HistoryBlobRow.hash, blobs.keys(), self._dialect)
                )
            ).scalars()
        )
        missing = [{"hash": h, "content": packed(c)} for h, c in blobs.items() if h not in known]
        if not missing:
            return
        dialect_insert = postgres_insert if self._dialect == "postgresql" else sqlite_insert
        statement = dialect_insert(BLOB_TABLE).on_conflict_do_nothing(index_elements=["hash"])
        for start in range(0, len(missing), BLOB_BATCH):
            self._session.execute(statement, missing[start : start + BLOB_BATCH])

    def forget_before(self, cutoff: datetime) -> int:
        old = select(col(HistoryChangeRow.id)).where(col(HistoryChangeRow.at) < cutoff)
        newest = select(
            col(HistoryRevisionRow.entity_kind),
            col(HistoryRevisionRow.entity_id),
            func.max(HistoryRevisionRow.number),
        ).group_by(col(HistoryRevisionRow.entity_kind), col(HistoryRevisionRow.entity_id))
        current = tuple_(
            col(HistoryRevisionRow.entity_kind),
            col(HistoryRevisionRow.entity_id),
            col(HistoryRevisionRow.number),
        ).in_(newest)
        self._session.execute(
            delete(HistoryRevisionRow).where(
                or_(
                    col(HistoryRevisionRow.change_id).in_(old),
                    col(HistoryRevisionRow.change_id).is_(None),
                ),
                ~current,
            )
        )
        # An old change that still names a current revision stays, so that revision keeps its
        # time and actor; the rest go.
        kept = select(col(HistoryRevisionRow.change_id)).where(
            col(HistoryRevisionRow.change_id).is_not(None)
        )
        result = self._session.execute(
            delete(HistoryChangeRow).where(
                col(HistoryChangeRow.at) < cutoff, col(HistoryChangeRow.id).not_in(kept)
            )
        )
        gone = int(result.rowcount)  # type: ignore[attr-defined]
        used = select(col(HistoryRevisionRow.body_hash)).union(
            select(col(HistoryRevisionRow.xml_hash)).where(
                col(HistoryRevisionRow.xml_hash).is_not(None)
            )
        )
        self._session.execute(delete(HistoryBlobRow).where(col(HistoryBlobRow.hash).not_in(used)))
        return gone
