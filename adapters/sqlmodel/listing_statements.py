"""The statements of a collection's list page, built once per shape of query: dashboards and
reports as one union, filtered by collection, type and name, counted and sorted, with the
collection, the name part and the page as bound values. Building a union of selects costs more
than the database takes to run it, so a page never builds one."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Subquery,
    bindparam,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Mapped
from sqlmodel import col

from adapters.sqlmodel.tables import DashboardRow, HistoryChangeRow, HistoryRevisionRow, ReportRow
from application.ports.collection_listing import ListingQuery, ListingSort
from domain.entity_type import EntityType

_TYPE_ORDER = {
    EntityType.DASHBOARD.value: 0,
    EntityType.SINGLE_PROCESS_REPORT.value: 1,
    EntityType.SINGLE_DECISION_REPORT.value: 2,
    EntityType.COMBINED_REPORT.value: 3,
}
_LIKE_ESCAPE = "\\"


@dataclass(frozen=True, slots=True)
class ListingShape:
    """What a query's statements depend on; its values (the collection, the name part, the
    page) are bound parameters."""

    types: frozenset[EntityType]
    sort: ListingSort
    descending: bool
    outside: bool
    """Of no collection: `collection_id IS NULL`, which no bound value can say."""
    named: bool

    @classmethod
    def of(cls, query: ListingQuery) -> ListingShape:
        return cls(
            query.types,
            query.sort,
            query.descending,
            outside=query.collection_id is None,
            named=bool(query.name_part),
        )


def bound_values(query: ListingQuery) -> dict[str, Any]:
    """The bound values of a query's statements: the collection, and the name part as a LIKE
    pattern whose % and _ are themselves."""
    escaped = (
        query.name_part.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
        .replace("%", r"\%")
        .replace("_", r"\_")
    )
    return {"collection_id": query.collection_id, "name_pattern": f"%{escaped}%"}


@functools.lru_cache(maxsize=256)
def page_statement(shape: ListingShape) -> Select[Any] | None:
    branches = [
        select(b.subquery())
        for b in (
            _ordered(branch, shape).limit(bindparam("top", type_=Integer))
            for branch in _branches(shape)
        )
    ]
    if not branches:
        return None
    merged = union_all(*branches).subquery("entity")
    return (
        _ordered(select(merged), shape, merged)
        .offset(bindparam("offset", type_=Integer))
        .limit(bindparam("limit", type_=Integer))
    )


@functools.lru_cache(maxsize=256)
def matching_statement(shape: ListingShape) -> Select[Any] | None:
    branches = [select(b.subquery()) for b in _branches(shape)]
    if not branches:
        return None
    merged = union_all(*branches).subquery("entity")
    return _ordered(select(merged.c.id, merged.c.entity_type), shape, merged)


def _branches(shape: ListingShape) -> list[Select[Any]]:
    """A select of each table the query's types reach, its rows filtered by collection, name
    and type, as (id, name, entity_type, created, changed)."""
    branches: list[Select[Any]] = []
    if EntityType.DASHBOARD in shape.types:
        dashboard_columns: list[ColumnElement[Any]] = [
            col(DashboardRow.id).label("id"),
            col(DashboardRow.name).label("name"),
            literal(EntityType.DASHBOARD.value).label("entity_type"),
            col(DashboardRow.created).label("created"),
            _changed(shape, "dashboard", col(DashboardRow.id), col(DashboardRow.created)),
        ]
        branches.append(
            select(*dashboard_columns).where(
                _in_collection(col(DashboardRow.collection_id), shape),
                _named(col(DashboardRow.name), shape),
            )
        )
    report_types = sorted(t.value for t in shape.types if t.is_report)
    if report_types:
        report_columns: list[ColumnElement[Any]] = [
            col(ReportRow.id).label("id"),
            col(ReportRow.name).label("name"),
            col(ReportRow.entity_type).label("entity_type"),
            col(ReportRow.created).label("created"),
            _changed(shape, "report", col(ReportRow.id), col(ReportRow.created)),
        ]
        conditions = [
            _in_collection(col(ReportRow.collection_id), shape),
            _named(col(ReportRow.name), shape),
        ]
        if len(report_types) < len(_TYPE_ORDER) - 1:
            conditions.append(col(ReportRow.entity_type).in_(report_types))
        branches.append(select(*report_columns).where(*conditions))
    return branches


@functools.lru_cache(maxsize=4)
def count_statements(outside: bool, named: bool) -> tuple[Select[int], Select[str, int]]:
    """How many dashboards, and how many reports of each type, hold the name part (whatever
    types were asked for); the reports' count reads their index by type alone (0009)."""
    shape = ListingShape(frozenset(), ListingSort.CREATED, False, outside, named)  # noqa: FBT003
    dashboards = select(func.count()).where(
        _in_collection(col(DashboardRow.collection_id), shape),
        _named(col(DashboardRow.name), shape),
    )
    reports = (
        select(col(ReportRow.entity_type), func.count())
        .where(
            _in_collection(col(ReportRow.collection_id), shape),
            _named(col(ReportRow.name), shape),
        )
        .group_by(col(ReportRow.entity_type))
    )
    return dashboards, reports


def _in_collection(collection_id: Mapped[str | None], shape: ListingShape) -> ColumnElement[bool]:
    if shape.outside:
        return col(collection_id).is_(None)
    return col(collection_id) == bindparam("collection_id")


def _named(name: Mapped[str], shape: ListingShape) -> ColumnElement[bool]:
    """Names holding the name part, case aside (ILIKE on PostgreSQL; lower() LIKE lower() on
    SQLite, whose lower() folds ASCII letters only)."""
    if not shape.named:
        return literal(True)  # noqa: FBT003 - a SQL literal
    return col(name).ilike(bindparam("name_pattern"), escape=_LIKE_ESCAPE)


def _changed(shape: ListingShape, kind: str, entity_id: Any, created: Any) -> ColumnElement[Any]:
    """When the entity last changed, by history (its creation when history holds none); read
    only when the list is sorted by it, one index seek per row."""
    if shape.sort is not ListingSort.CHANGED:
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
    statement: Select[Any], shape: ListingShape, source: Subquery | None = None
) -> Select[Any]:
    """The statement in the query's order, ties by ID; on `source`'s columns when given, else
    on the columns the statement selects (a branch's labels)."""
    columns = source.c if source is not None else statement.selected_columns
    name = func.lower(columns.name)
    keys: list[ColumnElement[Any]]
    if shape.sort is ListingSort.NAME:
        keys = [name]
    elif shape.sort is ListingSort.TYPE:
        keys = [case(_TYPE_ORDER, value=columns.entity_type, else_=9), name]
    elif shape.sort is ListingSort.CHANGED:
        keys = [columns.changed]
    else:
        keys = [columns.created]
    keys.append(columns.id)
    return statement.order_by(*(k.desc() if shape.descending else k.asc() for k in keys))
