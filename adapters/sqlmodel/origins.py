"""The queries on origins that reports and dashboards share: which stored entities a file's
entities match, what a source deployed into a collection, and an origin moving to a newer copy."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from adapters.sqlmodel.id_filter import id_among
from domain.entity_type import EntityType
from domain.overwrite import StoredOrigin

TypeOf = Callable[[Any], EntityType]
"""The entity type of a row, from its `entity_type` column (reports) or fixed (dashboards)."""


class Origins:
    def __init__(self, session: Session, row: Any, type_column: Any, type_of: TypeOf) -> None:
        self._session = session
        self._row = row
        self._type_column = type_column
        self._type_of = type_of
        self._dialect = session.get_bind().dialect.name

    def matching(self, collection_id: str, label: str, ids: frozenset[str]) -> list[StoredOrigin]:
        if not ids:
            return []
        row = self._row
        found: dict[str, StoredOrigin] = {}
        # Two queries, each on an index of its own; an OR of both would scan the collection.
        by_origin = self._query().where(
            col(row.collection_id) == collection_id,
            col(row.source_label) == label,
            id_among(row.source_id, ids, self._dialect),
        )
        by_id = self._query().where(
            col(row.collection_id) == collection_id, id_among(row.id, ids, self._dialect)
        )
        for query in (by_origin, by_id):
            for entity_id, entity_type, source_id, source_label in self._session.execute(query):
                origin = source_id if source_label == label else None
                found.setdefault(
                    entity_id, StoredOrigin(entity_id, self._type_of(entity_type), origin)
                )
        return list(found.values())

    def of_label(self, collection_id: str, label: str) -> list[StoredOrigin]:
        row = self._row
        query = self._query().where(
            col(row.collection_id) == collection_id,
            col(row.source_label) == label,
            col(row.source_id).is_not(None),
        )
        return [
            StoredOrigin(entity_id, self._type_of(entity_type), source_id)
            for entity_id, entity_type, source_id, _ in self._session.execute(query)
        ]

    def release(self, collection_id: str, label: str, source_ids: Collection[str]) -> None:
        if not source_ids:
            return
        row = self._row
        self._session.execute(
            update(row)
            .where(
                col(row.collection_id) == collection_id,
                col(row.source_label) == label,
                id_among(row.source_id, source_ids, self._dialect),
            )
            .values(source_id=None, source_label="")
        )

    def _query(self) -> Any:
        row = self._row
        return select(col(row.id), self._type_column, col(row.source_id), col(row.source_label))
