"""A collection's list page in SQL: dashboards and reports as one union, filtered, counted,
sorted and cut to the page by the database, so a page of a collection of thousands reads only
its own rows (and the data of its own reports, for their visualization)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    Subquery,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from adapters.sqlmodel.errors import translated_errors
from adapters.sqlmodel.mappers import as_utc
from adapters.sqlmodel.tables import (
    DashboardRow,
    HistoryChangeRow,
    HistoryRevisionRow,
    ReportRow,
    TileRow,
)
from adapters.sqlmodel.unit_of_work import READ_ONLY
from application.ports.collection_listing import (
    CollectionListing,
    ListedEntity,
    ListingPage,
    ListingQuery,
    ListingSort,
    MatchingIds,
)
from domain.entity_type import EntityType

_TYPE_ORDER = {
    EntityType.DASHBOARD.value: 0,
    EntityType.SINGLE_PROCESS_REPORT.value: 1,
    EntityType.SINGLE_DECISION_REPORT.value: 2,
    EntityType.COMBINED_REPORT.value: 3,
}
_LIKE_ESCAPE = "\\"


class SqlCollectionListing(CollectionListing):
    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def page(self, query: ListingQuery, offset: int, limit: int) -> ListingPage:
        with self._reading() as connection:
            by_type = _counts(connection, query)
            # Each table gives its first offset + limit rows in the query's order (a top-N sort
            # of its own rows), and only those are merged and cut: no union of every row.
            branches = [
                select(b.subquery())
                for b in (
                    _ordered(branch, query).limit(offset + limit) for branch in _branches(query)
                )
            ]
            rows: Sequence[Row[Any]] = ()
            if branches:
                merged = union_all(*branches).subquery("entity")
                rows = connection.execute(
                    _ordered(select(merged), query, merged).offset(offset).limit(limit)
                ).all()
            tiles = _tile_counts(connection, [r.id for r in rows if r.entity_type == "dashboard"])
            shown = _visualizations(
                connection, [r.id for r in rows if r.entity_type != "dashboard"]
            )
        matching = sum(count for kind, count in by_type.items() if kind in query.types)
        entries = tuple(
            ListedEntity(
                r.id,
                r.name,
                EntityType(r.entity_type),
                as_utc(r.created),
                tiles.get(r.id, 0),
                shown.get(r.id, ""),
            )
            for r in rows
        )
        return ListingPage(entries, matching, by_type)

    def matching_ids(self, query: ListingQuery) -> MatchingIds:
        with self._reading() as connection:
            branches = [select(b.subquery()) for b in _branches(query)]
            rows: Sequence[Row[Any]] = ()
            if branches:
                merged = union_all(*branches).subquery("entity")
                rows = connection.execute(
                    _ordered(select(merged.c.id, merged.c.entity_type), query, merged)
                ).all()
        dashboards = tuple(r.id for r in rows if r.entity_type == EntityType.DASHBOARD.value)
        reports = tuple(r.id for r in rows if r.entity_type != EntityType.DASHBOARD.value)
        return MatchingIds(dashboards, reports)

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """One read-only snapshot (PostgreSQL: REPEATABLE READ, READ ONLY), as a reading unit
        of work has: the counts and the page agree."""
        with translated_errors(), self._session_factory() as session:
            session.info[READ_ONLY] = True
            options: dict[str, Any] = {}
            if session.get_bind().dialect.name == "postgresql":
                options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
            try:
                yield session.connection(execution_options=options)
            finally:
                session.rollback()


def _branches(query: ListingQuery) -> list[Select[Any]]:
    """A select of each table the query's types reach, its rows filtered by collection, name
    and type, as (id, name, entity_type, created)."""
    branches: list[Select[Any]] = []
    if EntityType.DASHBOARD in query.types:
        dashboard_columns: list[ColumnElement[Any]] = [
            col(DashboardRow.id).label("id"),
            col(DashboardRow.name).label("name"),
            literal(EntityType.DASHBOARD.value).label("entity_type"),
            col(DashboardRow.created).label("created"),
            _changed(query, "dashboard", col(DashboardRow.id), col(DashboardRow.created)),
        ]
        branches.append(
            select(*dashboard_columns).where(
                col(DashboardRow.collection_id) == query.collection_id,
                _named(col(DashboardRow.name), query.name_part),
            )
        )
    report_types = sorted(t.value for t in query.types if t.is_report)
    if report_types:
        report_columns: list[ColumnElement[Any]] = [
            col(ReportRow.id).label("id"),
            col(ReportRow.name).label("name"),
            col(ReportRow.entity_type).label("entity_type"),
            col(ReportRow.created).label("created"),
            _changed(query, "report", col(ReportRow.id), col(ReportRow.created)),
        ]
        conditions = [
            col(ReportRow.collection_id) == query.collection_id,
            _named(col(ReportRow.name), query.name_part),
        ]
        if len(report_types) < len(_TYPE_ORDER) - 1:
            conditions.append(col(ReportRow.entity_type).in_(report_types))
        branches.append(select(*report_columns).where(*conditions))
    return branches


def _counts(connection: Connection, query: ListingQuery) -> dict[EntityType, int]:
    """How many entities of each type hold the name part, whatever types were asked for."""
    dashboards = connection.execute(
        select(func.count()).where(
            col(DashboardRow.collection_id) == query.collection_id,
            _named(col(DashboardRow.name), query.name_part),
        )
    ).scalar_one()
    reports = connection.execute(
        select(col(ReportRow.entity_type), func.count())
        .where(
            col(ReportRow.collection_id) == query.collection_id,
            _named(col(ReportRow.name), query.name_part),
        )
        .group_by(col(ReportRow.entity_type))
    ).all()
    counts = {EntityType(kind): int(count) for kind, count in reports}
    if dashboards:
        counts[EntityType.DASHBOARD] = int(dashboards)
    return counts


def _named(name: Mapped[str], name_part: str) -> ColumnElement[bool]:
    """Names holding `name_part`, case aside (ILIKE on PostgreSQL; lower() LIKE lower() on
    SQLite, whose lower() folds ASCII letters only); % and _ in it are themselves."""
    if not name_part:
        return literal(True)  # noqa: FBT003 - a SQL literal
    escaped = (
        name_part.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", r"\%").replace("_", r"\_")
    )
    return col(name).ilike(f"%{escaped}%", escape=_LIKE_ESCAPE)


def _changed(query: ListingQuery, kind: str, entity_id: Any, created: Any) -> ColumnElement[Any]:
    """When the entity last changed, by history (its creation when history holds none); read
    only when the list is sorted by it, one index seek per row."""
    if query.sort is not ListingSort.CHANGED:
        label: ColumnElement[Any] = created.label("changed")
        return label
    newest = (
        select(func.max(HistoryChangeRow.at))
        .join(HistoryRevisionRow, col(HistoryRevisionRow.change_id) == col(HistoryChangeRow.id))
        .where(
            col(HistoryRevisionRow.entity_kind) == kind,
            col(HistoryRevisionRow.entity_id) == entity_id,
        )
        .scalar_subquery()
    )
    return func.coalesce(newest, created).label("changed")


def _ordered(
    statement: Select[Any], query: ListingQuery, source: Subquery | None = None
) -> Select[Any]:
    """The statement in the query's order, ties by ID; on `source`'s columns when given, else
    on the columns the statement selects (a branch's labels)."""
    columns = source.c if source is not None else statement.selected_columns
    name = func.lower(columns.name)
    keys: list[ColumnElement[Any]]
    if query.sort is ListingSort.NAME:
        keys = [name]
    elif query.sort is ListingSort.TYPE:
        keys = [case(_TYPE_ORDER, value=columns.entity_type, else_=9), name]
    elif query.sort is ListingSort.CHANGED:
        keys = [columns.changed]
    else:
        keys = [columns.created]
    keys.append(columns.id)
    return statement.order_by(*(k.desc() if query.descending else k.asc() for k in keys))


def _tile_counts(connection: Connection, dashboard_ids: list[str]) -> dict[str, int]:
    if not dashboard_ids:
        return {}
    query = (
        select(col(TileRow.dashboard_id), func.count())
        .where(col(TileRow.dashboard_id).in_(dashboard_ids))
        .group_by(col(TileRow.dashboard_id))
    )
    return {dashboard_id: int(count) for dashboard_id, count in connection.execute(query)}


def _visualizations(connection: Connection, report_ids: list[str]) -> dict[str, str]:
    if not report_ids:
        return {}
    query = select(col(ReportRow.id), col(ReportRow.data)).where(col(ReportRow.id).in_(report_ids))
    return {report_id: _visualization(data) for report_id, data in connection.execute(query)}


def _visualization(data: str) -> str:
    try:
        value = json.loads(data)
    except ValueError:
        return ""
    shown = value.get("visualization") if isinstance(value, dict) else None
    return shown if isinstance(shown, str) else ""
