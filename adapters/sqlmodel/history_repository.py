"""Recording changes and revisions in SQL, in the writing unit of work's transaction, and
forgetting old ones (`BOARDPORT_HISTORY_DAYS`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
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
RECORD_BATCH = 1000


class _Blobs(dict[str, str]):
    """A batch's blobs by hash. The reports of one process share its definition XML, often
    the very same string: each distinct XML is hashed once in a change, and kept by the first
    batch that holds it (cleared, the batch's blobs go; the XML hashes stay)."""

    def __init__(self) -> None:
        super().__init__()
        self._xml_hashes: dict[str, str] = {}

    def keep(self, text: str) -> str:
        blob_hash = digest(text)
        self[blob_hash] = text
        return blob_hash

    def keep_xml(self, xml: str) -> str:
        blob_hash = self._xml_hashes.get(xml)
        if blob_hash is None:
            blob_hash = self._xml_hashes[xml] = self.keep(xml)
        return blob_hash


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
        blobs = _Blobs()
        revisions = change.revisions
        # A batch at a time, so that an import of thousands holds one batch's content.
        for start in range(0, len(revisions), RECORD_BATCH):
            rows = [self._row(r, number, blobs) for r in revisions[start : start + RECORD_BATCH]]
            bodies = {(r["entity_kind"], r["entity_id"]): r["body_hash"] for r in rows}
            self._keep_blobs(blobs, bodies)
            insert_rows(self._session, REVISION_TABLE, rows)
            blobs.clear()
        return str(number)

    def _row(self, revision: NewRevision, change_id: int, blobs: _Blobs) -> dict[str, Any]:
        entity = revision.entity
        parts = parts_of(entity)
        body_hash = blobs.keep(parts.body)
        xml_hash = None if parts.xml is None else blobs.keep_xml(parts.xml)
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

    def _keep_blobs(self, blobs: Mapping[str, str], bodies: Mapping[tuple[str, str], str]) -> None:
        """Stores the blobs not stored yet (one a concurrent writer stores first is the same);
        an entity's new body as a delta of its previous one where that is much smaller."""
        if not blobs:
            return
        known = set(
            self._session.execute(
                select(col(HistoryBlobRow.hash)).where(
                    id_among(HistoryBlobRow.hash, blobs.keys(), self._dialect)
                )
            ).scalars()
        )
        new_bodies = {key: h for key, h in bodies.items() if h not in known}
        bases = self._bases(new_bodies)
        missing = []
        for blob_hash, text in blobs.items():
            if blob_hash in known:
                continue
            base = bases.get(blob_hash)
            content, is_delta = packed(text, base[1] if base else None)
            base_hash = base[0] if base and is_delta else None
            missing.append({"hash": blob_hash, "content": content, "base_hash": base_hash})
            known.add(blob_hash)
        if not missing:
            return
        dialect_insert = postgres_insert if self._dialect == "postgresql" else sqlite_insert
        statement = dialect_insert(BLOB_TABLE).on_conflict_do_nothing(index_elements=["hash"])
        for start in range(0, len(missing), BLOB_BATCH):
            self._session.execute(statement, missing[start : start + BLOB_BATCH])

    def _bases(self, new_bodies: Mapping[tuple[str, str], str]) -> dict[str, tuple[str, str]]:
        """For each new body, the whole blob its entity's newest revision's body is, or is a
        delta of: (its hash, its text)."""
        if not new_bodies:
            return {}
        newest = self._newest({entity_id for _, entity_id in new_bodies})
        rows = self._session.execute(
            select(
                col(HistoryRevisionRow.entity_kind),
                col(HistoryRevisionRow.entity_id),
                col(HistoryRevisionRow.body_hash),
                col(HistoryBlobRow.base_hash),
            )
            .join(
                newest,
                and_(
                    col(HistoryRevisionRow.entity_kind) == newest.c.kind,
                    col(HistoryRevisionRow.entity_id) == newest.c.entity_id,
                    col(HistoryRevisionRow.number) == newest.c.number,
                ),
            )
            .join(HistoryBlobRow, col(HistoryBlobRow.hash) == col(HistoryRevisionRow.body_hash))
        ).all()
        whole_of = {(kind, entity_id): base or body for kind, entity_id, body, base in rows}
        texts = self._blobs(set(whole_of.values()))
        return {
            body: (whole_of[key], texts[whole_of[key]])
            for key, body in new_bodies.items()
            if key in whole_of and whole_of[key] in texts
        }

    def forget_before(self, cutoff: datetime) -> int:
        old = select(col(HistoryChangeRow.id)).where(col(HistoryChangeRow.at) < cutoff)
        if self._session.execute(old.limit(1)).first() is None:
            return 0  # one index seek: a start, or an hour, with nothing old reads no more
        forgotten = self._forget_revisions(old)
        # An old change that still names a kept revision stays, so that revision keeps its time
        # and actor; the rest go.
        kept = select(col(HistoryRevisionRow.change_id)).where(
            col(HistoryRevisionRow.change_id).is_not(None)
        )
        result = self._session.execute(
            delete(HistoryChangeRow).where(
                col(HistoryChangeRow.at) < cutoff, col(HistoryChangeRow.id).not_in(kept)
            )
        )
        if forgotten:
            # Only a forgotten revision leaves a blob unused: a start, or an hour, with nothing
            # old never reads the whole of history to find none.
            self._forget_blobs()
        return int(result.rowcount)  # type: ignore[attr-defined]

    def _forget_revisions(self, old: Select[int | None]) -> int:
        """The revisions of old changes, except each entity's newest; and a baseline (the
        content an entity had before history knew it) once the revision after it is old."""
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
        after = aliased(HistoryRevisionRow)
        superseded_long_ago = (
            select(col(after.number))
            .where(
                col(after.entity_kind) == col(HistoryRevisionRow.entity_kind),
                col(after.entity_id) == col(HistoryRevisionRow.entity_id),
                col(after.number) == col(HistoryRevisionRow.number) + 1,
                col(after.change_id).in_(old),
            )
            .exists()
        )
        baseline = col(HistoryRevisionRow.change_id).is_(None)
        baselines = self._session.execute(
            delete(HistoryRevisionRow).where(baseline, superseded_long_ago, ~current)
        )
        revisions = self._session.execute(
            delete(HistoryRevisionRow).where(col(HistoryRevisionRow.change_id).in_(old), ~current)
        )
        return int(baselines.rowcount) + int(revisions.rowcount)  # type: ignore[attr-defined]

    def _forget_blobs(self) -> None:
        """A blob goes when no revision uses it and no blob they use is a delta of it."""
        used = select(col(HistoryRevisionRow.body_hash)).union(
            select(col(HistoryRevisionRow.xml_hash)).where(
                col(HistoryRevisionRow.xml_hash).is_not(None)
            )
        )
        bases = select(col(HistoryBlobRow.base_hash)).where(
            col(HistoryBlobRow.base_hash).is_not(None), col(HistoryBlobRow.hash).in_(used)
        )
        self._session.execute(
            delete(HistoryBlobRow).where(
                col(HistoryBlobRow.hash).not_in(used), col(HistoryBlobRow.hash).not_in(bases)
            )
        )
