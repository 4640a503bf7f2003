from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlmodel import Session, col

from adapters.sqlmodel.id_filter import id_among
from adapters.sqlmodel.mappers import (
    REPORT_COLUMNS,
    child_values,
    report_from_columns,
    report_values,
)
from adapters.sqlmodel.tables import CombinedReportChildRow, ReportRow
from application.ports.report_repository import ReportRepository
from domain.report import Report


class SqlReportRepository(ReportRepository):
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def get_many(self, ids: frozenset[str]) -> Mapping[str, Report]:
        if not ids:
            return {}
        rows = self._session.execute(
            select(*REPORT_COLUMNS).where(id_among(ReportRow.id, ids, self._dialect))
        ).all()
        children = self._children_of([row[0] for row in rows if row[1] == "combined_report"])
        return {row[0]: report_from_columns(row, children.get(row[0], ())) for row in rows}

    def ids_in_collection(self, collection_id: str) -> list[str]:
        query = (
            select(col(ReportRow.id))
            .where(col(ReportRow.collection_id) == collection_id)
            .order_by(col(ReportRow.created), col(ReportRow.id))
        )
        return list(self._session.execute(query).scalars())

    def add_all(self, reports: Iterable[Report]) -> None:
        created = datetime.now(UTC)
        batch = list(reports)
        if not batch:
            return
        self._session.execute(insert(ReportRow), [report_values(r, created) for r in batch])
        links = [link for r in batch for link in child_values(r)]
        if links:
            self._session.execute(insert(CombinedReportChildRow), links)

    def lock(self, report_id: str) -> Report | None:
        held = self._lock_rows(col(ReportRow.id) == report_id)
        return self.get_many(frozenset(held)).get(report_id)

    def combined_containing(self, report_id: str) -> list[Report]:
        parents = select(col(CombinedReportChildRow.combined_id)).where(
            col(CombinedReportChildRow.child_id) == report_id
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
            .values(name=report.name, description=report.description, data=report.data.text)
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

    def remove(self, report_id: str) -> None:
        self._session.execute(delete(ReportRow).where(col(ReportRow.id) == report_id))

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


def _is_subsequence(kept: list[str], stored: list[str]) -> bool:
    remaining = iter(stored)
    return all(any(child == candidate for candidate in remaining) for child in kept)
