"""A collection's list page in SQL: dashboards and reports as one union, filtered, counted,
sorted and cut to the page by the database, so a page of a collection of thousands reads only
its own rows (and the data of its own reports, for their visualization)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Subquery,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlmodel import Session, col

from adapters.sqlmodel.errors import translated_errors
from adapters.sqlmodel.mappers import as_utc
from adapters.sqlmodel.tables import DashboardRow, ReportRow, TileRow
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
            entities = _entities(query.collection_id)
            named = _named(entities, query.name_part)
            counted = select(entities.c.entity_type, func.count()).where(named)
            by_type = {
                EntityType(kind): int(count)
                for kind, count in connection.execute(counted.group_by(entities.c.entity_type))
            }
            rows = connection.execute(
                _ordered(select(entities).where(*_matching(entities, query)), entities, query)
                .offset(offset)
                .limit(limit)
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
            entities = _entities(query.collection_id)
            rows = connection.execute(
                _ordered(
                    select(entities.c.id, entities.c.entity_type).where(
                        *_matching(entities, query)
                    ),
                    entities,
                    query,
                )
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


def _entities(collection_id: str | None) -> Subquery:
    dashboard_columns: list[ColumnElement[Any]] = [
        col(DashboardRow.id).label("id"),
        col(DashboardRow.name).label("name"),
        literal(EntityType.DASHBOARD.value).label("entity_type"),
        col(DashboardRow.created).label("created"),
    ]
    report_columns: list[ColumnElement[Any]] = [
        col(ReportRow.id).label("id"),
        col(ReportRow.name).label("name"),
        col(ReportRow.entity_type).label("entity_type"),
        col(ReportRow.created).label("created"),
    ]
    dashboards = select(*dashboard_columns).where(col(DashboardRow.collection_id) == collection_id)
    reports = select(*report_columns).where(col(ReportRow.collection_id) == collection_id)
    return union_all(dashboards, reports).subquery("entity")


def _named(entities: Subquery, name_part: str) -> ColumnElement[bool]:
    """Names holding `name_part`, case aside (ILIKE on PostgreSQL; lower() LIKE lower() on
    SQLite, whose lower() folds ASCII letters only); % and _ in it are themselves."""
    if not name_part:
        return literal(True)  # noqa: FBT003 - a SQL literal
    escaped = (
        name_part.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", r"\%").replace("_", r"\_")
    )
    return entities.c.name.ilike(f"%{escaped}%", escape=_LIKE_ESCAPE)


def _matching(entities: Subquery, query: ListingQuery) -> list[ColumnElement[bool]]:
    conditions = [_named(entities, query.name_part)]
    if query.types != frozenset(EntityType):
        conditions.append(entities.c.entity_type.in_(sorted(t.value for t in query.types)))
    return conditions


def _ordered(statement: Select[Any], entities: Subquery, query: ListingQuery) -> Select[Any]:
    name = func.lower(entities.c.name)
    keys: list[ColumnElement[Any]]
    if query.sort is ListingSort.NAME:
        keys = [name]
    elif query.sort is ListingSort.TYPE:
        keys = [case(_TYPE_ORDER, value=entities.c.entity_type, else_=9), name]
    else:
        keys = [entities.c.created]
    keys.append(entities.c.id)
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
