from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    bindparam,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, col

from adapters.sqlmodel.bulk_insert import insert_rows, one_copy_per_source, update_rows
from adapters.sqlmodel.errors import translated_errors
from adapters.sqlmodel.id_filter import id_among
from adapters.sqlmodel.mappers import (
    REPORT_COLUMNS,
    child_values,
    report_from_columns,
    report_values,
    stored_text,
)
from adapters.sqlmodel.origins import Origins
from adapters.sqlmodel.tables import CombinedReportChildRow, ReportRow
from application.ports.report_repository import ReportReader, ReportRepository
from domain.entity_type import EntityType
from domain.json_document import JsonDocument
from domain.overwrite import StoredOrigin
from domain.report import Report, ReportOutline

# Rows in the order of a JSON array or a PostgreSQL array of IDs, as it is given.
_IN_ORDER = {
    "postgresql": text(
        "SELECT r.id, r.name, r.description, r.collection_id, r.data "
        "FROM unnest(:ids) WITH ORDINALITY AS wanted(id, position) "
        "JOIN report r ON r.id = wanted.id ORDER BY wanted.position"
    ).bindparams(bindparam("ids", type_=ARRAY(String))),
    # CROSS JOIN makes the array the outer loop, and json_each walks it in order, so the rows
    # come out ordered; an ORDER BY would make SQLite sort every row, data and all, in a temporary
    # B-tree. As a BLOB, the text arrives as the UTF-8 bytes the export sends, never decoded.
    "sqlite": text(
        "SELECT r.id, r.name, r.description, r.collection_id, CAST(r.data AS BLOB) "
        "FROM json_each(:ids) AS wanted CROSS JOIN report r ON r.id = wanted.value"
    ),
}
STREAM_BATCH_ROWS = 200
REPORT_TABLE = ReportRow.__table__  # type: ignore[attr-defined]
CHILD_TABLE = CombinedReportChildRow.__table__  # type: ignore[attr-defined]


class SqlReportReader(ReportReader):
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name
        self._origins = Origins(session, ReportRow, col(ReportRow.entity_type), EntityType)

    def get_many(self, ids: frozenset[str]) -> Mapping[str, Report]:
        if not ids:
            return {}
        rows = self._session.execute(
            select(*REPORT_COLUMNS).where(id_among(ReportRow.id, ids, self._dialect))
        ).all()
        children = self._children_of([row[0] for row in rows if row[1] == "combined_report"])
        return {row[0]: report_from_columns(row, children.get(row[0], ())) for row in rows}

    def outlines(self, ids: frozenset[str]) -> Mapping[str, ReportOutline]:
        if not ids:
            return {}
        # Not a byte of data: measuring it would read it all (overflow pages, TOAST) twice.
        query = select(col(ReportRow.id), col(ReportRow.entity_type)).where(
            id_among(ReportRow.id, ids, self._dialect)
        )
        rows = self._session.execute(query).all()
        combined = [r[0] for r in rows if r[1] == EntityType.COMBINED_REPORT.value]
        children = self._children_of(combined)
        return {
            report_id: ReportOutline(
                report_id, EntityType(entity_type), tuple(children.get(report_id, ()))
            )
            for report_id, entity_type in rows
        }

    def stream_in_order(self, outlines: Sequence[ReportOutline]) -> Iterator[Report]:
        if not outlines:
            return
        ids = [o.id for o in outlines]
        by_id = {o.id: o for o in outlines}
        parameter = ids if self._dialect == "postgresql" else json.dumps(ids)
        with translated_errors():  # it is read as the export is sent, after its `with` block
            yield from self._read_in_order(ids, by_id, parameter)

    def _read_in_order(
        self, ids: list[str], by_id: Mapping[str, ReportOutline], parameter: object
    ) -> Iterator[Report]:
        rows = self._session.execute(
            _IN_ORDER[self._dialect].execution_options(yield_per=STREAM_BATCH_ROWS),
            {"ids": parameter},
        )
        expected = iter(ids)
        for report_id, name, description, collection_id, data in rows:
            if report_id != next(expected, None):
                # Within one snapshot every outlined report is there, in the order asked for.
                raise RuntimeError(f"storage returned report {report_id!r} out of order")
            outline = by_id[report_id]
            yield Report(
                report_id,
                outline.entity_type,
                name,
                description,
                collection_id,
                JsonDocument.from_utf8(data)
                if isinstance(data, bytes)
                else JsonDocument.from_text(data),
                outline.child_ids,
            )

    def ids_in_collection(self, collection_id: str | None) -> list[str]:
        query = (
            select(col(ReportRow.id))
            .where(col(ReportRow.collection_id) == collection_id)
            .order_by(col(ReportRow.created), col(ReportRow.id))
        )
        return list(self._session.execute(query).scalars())

    def origins_in_collection(
        self, collection_id: str, label: str, ids: frozenset[str]
    ) -> list[StoredOrigin]:
        return self._origins.matching(collection_id, label, ids)

    def sourced_from(self, collection_id: str, label: str) -> list[StoredOrigin]:
        return self._origins.of_label(collection_id, label)

    def combining(self, report_id: str) -> list[Report]:
        found = self.get_many(frozenset(self._session.execute(_combining(report_id)).scalars()))
        return [found[i] for i in sorted(found)]

    def _children_of(self, combined_ids: list[str]) -> Mapping[str, list[str]]:
        if not combined_ids:
            return {}
        query = (
            select(col(CombinedReportChildRow.combined_id), col(CombinedReportChildRow.child_id))
            .where(id_among(CombinedReportChildRow.combined_id, combined_ids, self._dialect))
            .order_by(col(CombinedReportChildRow.combined_id), col(CombinedReportChildRow.position))
        )
        children: defaultdict[str, list[str]] = defaultdict(list)
        for combined_id, child_id in self._session.execute(query):
            children[combined_id].append(child_id)
        return children


class SqlReportRepository(SqlReportReader, ReportRepository):
    def add_all(
        self, reports: Iterable[Report], sources: Mapping[str, str] | None = None, label: str = ""
    ) -> None:
        created = datetime.now(UTC)
        batch = reports if isinstance(reports, Sequence) else list(reports)
        if not batch:
            return
        known = sources or {}
        # Generators: each batch of rows, and its reports' data as text, is made as it is sent.
        with one_copy_per_source(REPORT_TABLE):
            insert_rows(
                self._session,
                REPORT_TABLE,
                (report_values(r, created, known.get(r.id), label) for r in batch),
            )
        insert_rows(
            self._session,
            CHILD_TABLE,
            (link for r in batch for link in child_values(r)),
        )

    def release_origins(self, collection_id: str, label: str, source_ids: Collection[str]) -> None:
        self._origins.release(collection_id, label, source_ids)

    def lock(self, report_ids: Collection[str]) -> Mapping[str, Report]:
        if not report_ids:
            return {}
        held = self._lock_rows(id_among(ReportRow.id, report_ids, self._dialect))
        return self.get_many(frozenset(held))

    def combined_containing(self, report_ids: Collection[str]) -> list[Report]:
        if not report_ids:
            return []
        parents = select(col(CombinedReportChildRow.combined_id)).where(
            id_among(CombinedReportChildRow.child_id, report_ids, self._dialect)
        )
        held = self._lock_rows(col(ReportRow.id).in_(parents))
        # Read after the locks are granted, so a writer that held them first is seen.
        found = self.get_many(frozenset(held))
        return [found[i] for i in held if i in found]

    def _lock_rows(self, condition: ColumnElement[bool]) -> list[str]:
        """Row locks in ID order (PostgreSQL: FOR UPDATE), so two writers never wait on each
        other in a cycle. SQLite has no row locks: its write transactions are serial."""
        query = select(col(ReportRow.id)).where(condition).order_by(col(ReportRow.id))
        return list(self._session.execute(query.with_for_update()).scalars())

    def replace(self, report: Report) -> None:
        self._session.execute(
            update(ReportRow)
            .where(col(ReportRow.id) == report.id)
            .values(name=report.name, description=report.description, data=stored_text(report.data))
        )
        stored = self._children_of([report.id]).get(report.id, [])
        if _is_subsequence(list(report.child_ids), stored):
            gone = set(stored) - set(report.child_ids)
            if gone:
                self._session.execute(
                    delete(CombinedReportChildRow).where(
                        col(CombinedReportChildRow.combined_id) == report.id,
                        col(CombinedReportChildRow.child_id).in_(gone),
                    )
                )
            return
        self._session.execute(
            delete(CombinedReportChildRow).where(
                col(CombinedReportChildRow.combined_id) == report.id
            )
        )
        links = child_values(report)
        if links:
            self._session.execute(insert(CombinedReportChildRow), links)

    def update_all(self, reports: Sequence[Report]) -> None:
        if not reports:
            return
        update_rows(
            self._session,
            REPORT_TABLE,
            "id",
            (
                {
                    "name": r.name,
                    "description": r.description,
                    "data": stored_text(r.data),
                    "id": r.id,
                }
                for r in reports
            ),
        )
        combined = [r for r in reports if r.is_combined]
        if combined:
            self._session.execute(
                delete(CombinedReportChildRow).where(
                    id_among(
                        CombinedReportChildRow.combined_id, [r.id for r in combined], self._dialect
                    )
                )
            )
            insert_rows(self._session, CHILD_TABLE, [c for r in combined for c in child_values(r)])

    def remove(self, report_ids: Collection[str]) -> None:
        if not report_ids:
            return
        # Their own child links first: a combined report deleted with its children would
        # otherwise leave, for a moment, a link to a child already gone (PostgreSQL checks).
        self._session.execute(
            delete(CombinedReportChildRow).where(
                id_among(CombinedReportChildRow.combined_id, report_ids, self._dialect)
            )
        )
        self._session.execute(
            delete(ReportRow).where(id_among(ReportRow.id, report_ids, self._dialect))
        )


def _combining(report_id: str) -> Select[str]:
    """The IDs of the combined reports that list `report_id` among their children."""
    return select(col(CombinedReportChildRow.combined_id)).where(
        col(CombinedReportChildRow.child_id) == report_id
    )


def _is_subsequence(kept: list[str], stored: list[str]) -> bool:
    remaining = iter(stored)
    return all(any(child == candidate for candidate in remaining) for child in kept)
