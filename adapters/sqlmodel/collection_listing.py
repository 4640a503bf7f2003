"""A collection's list page in SQL: dashboards and reports as one union, filtered, counted,
sorted and cut to the page by the database, so a page of a collection of thousands reads only
its own rows (and the visualization of its own reports); the statements are
`listing_statements`'."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import JSON, Connection, Row, cast, func, select, type_coerce
from sqlmodel import Session, col

from adapters.sqlmodel.change_counter import CURRENT_SQL
from adapters.sqlmodel.collection_repository import SqlCollectionReader
from adapters.sqlmodel.errors import translated_errors
from adapters.sqlmodel.kept_pages import KeptPages
from adapters.sqlmodel.listing_statements import (
    ListingShape,
    bound_values,
    count_statements,
    matching_statement,
    page_statement,
)
from adapters.sqlmodel.mappers import as_utc
from adapters.sqlmodel.tables import ReportRow, TileRow
from adapters.sqlmodel.unit_of_work import READ_ONLY
from application.ports.collection_listing import (
    CollectionListing,
    ListedEntity,
    ListingPage,
    ListingQuery,
    MatchingIds,
)
from domain.collection import Collection
from domain.entity_type import EntityType

KEPT_PAGES = 256
"""Pages kept in memory (a page is at most 100 rows of a few short fields)."""


class SqlCollectionListing(CollectionListing):
    """Counting a collection's thousands of entities and finding a page deep in them reads
    every entity's index entry, so pages are kept (`KeptPages`) and answered again while the
    change counter, read first in the page's own snapshot, is unchanged."""

    def __init__(self, session_factory: Callable[[], Session], max_pages: int = KEPT_PAGES) -> None:
        self._session_factory = session_factory
        self._kept: KeptPages[ListingPage] = KeptPages(max_pages)

    def page(self, query: ListingQuery, offset: int, limit: int) -> ListingPage | None:
        key = (query, offset, limit)
        with self._reading() as session:
            generation = int(session.connection().exec_driver_sql(CURRENT_SQL).scalar_one())
            page = self._kept.get(key, generation)
            if page is not None:
                return page
            collection = None
            if query.collection_id is not None:
                collection = SqlCollectionReader(session).get(query.collection_id)
                if collection is None:
                    return None
            page = _page(session.connection(), query, offset, limit, collection)
        self._kept.put(key, generation, page)
        return page

    def matching_ids(self, query: ListingQuery) -> MatchingIds:
        statement = matching_statement(ListingShape.of(query))
        rows: Sequence[Row[Any]] = ()
        if statement is not None:
            with self._reading() as session:
                rows = session.connection().execute(statement, bound_values(query)).all()
        dashboards = tuple(r.id for r in rows if r.entity_type == EntityType.DASHBOARD.value)
        reports = tuple(r.id for r in rows if r.entity_type != EntityType.DASHBOARD.value)
        return MatchingIds(dashboards, reports)

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """One read-only snapshot (PostgreSQL: REPEATABLE READ, READ ONLY), as a reading unit
        of work has: the counter, the collection, the counts and the page agree."""
        with translated_errors(), self._session_factory() as session:
            session.info[READ_ONLY] = True
            options: dict[str, Any] = {}
            if session.get_bind().dialect.name == "postgresql":
                options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
            try:
                session.connection(execution_options=options)
                yield session
            finally:
                session.rollback()


def _page(
    connection: Connection,
    query: ListingQuery,
    offset: int,
    limit: int,
    collection: Collection | None,
) -> ListingPage:
    shape = ListingShape.of(query)
    # Each table gives its first offset + limit rows in the query's order (a top-N sort of
    # its own rows), and only those are merged and cut: no union of every row.
    values = bound_values(query) | {"top": offset + limit, "offset": offset, "limit": limit}
    dashboards, reports = count_statements(shape.outside, shape.named)
    by_type = {EntityType(kind): int(n) for kind, n in connection.execute(reports, values)}
    if counted := connection.execute(dashboards, values).scalar_one():
        by_type[EntityType.DASHBOARD] = int(counted)
    statement = page_statement(shape)
    rows = connection.execute(statement, values).all() if statement is not None else ()
    tiles = _tile_counts(connection, [r.id for r in rows if r.entity_type == "dashboard"])
    shown = _visualizations(connection, [r.id for r in rows if r.entity_type != "dashboard"])
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
    return ListingPage(entries, matching, by_type, collection)


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
    """Each report's `data.visualization`, read by the database's own JSON functions: the data
    (kilobytes, a definition's XML among them) never leaves it."""
    if not report_ids:
        return {}
    data = col(ReportRow.data)
    # SQLite's CAST AS JSON would make the text a number: its JSON functions read text as is.
    stored = (
        cast(data, JSON) if connection.dialect.name == "postgresql" else type_coerce(data, JSON)
    )
    shown = stored["visualization"].as_string()
    query = select(col(ReportRow.id), shown).where(col(ReportRow.id).in_(report_ids))
    return {report_id: value for report_id, value in connection.execute(query) if value}
