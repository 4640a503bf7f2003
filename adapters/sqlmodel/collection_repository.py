from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from adapters.sqlmodel.mappers import collection_from_row, collection_values, scope_values
from adapters.sqlmodel.tables import CollectionRow, CollectionScopeRow
from application.ports.collection_repository import CollectionReader, CollectionRepository
from domain.collection import Collection


class SqlCollectionReader(CollectionReader):
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, collection_id: str) -> Collection | None:
        row = self._session.get(CollectionRow, collection_id)
        if row is None:
            return None
        scope = self._session.exec(
            select(CollectionScopeRow)
            .where(col(CollectionScopeRow.collection_id) == collection_id)
            .order_by(
                col(CollectionScopeRow.definition_type), col(CollectionScopeRow.definition_key)
            )
        )
        return collection_from_row(row, scope)

    def list_all(self) -> list[Collection]:
        rows = self._session.exec(
            select(CollectionRow).order_by(col(CollectionRow.created), col(CollectionRow.id))
        ).all()
        scopes: defaultdict[str, list[CollectionScopeRow]] = defaultdict(list)
        for entry in self._session.exec(
            select(CollectionScopeRow).order_by(
                col(CollectionScopeRow.definition_type), col(CollectionScopeRow.definition_key)
            )
        ):
            scopes[entry.collection_id].append(entry)
        return [collection_from_row(row, scopes[row.id]) for row in rows]


class SqlCollectionRepository(SqlCollectionReader, CollectionRepository):
    def lock(self, collection_id: str) -> Collection | None:
        held = self._session.execute(
            select(col(CollectionRow.id))
            .where(col(CollectionRow.id) == collection_id)
            .with_for_update()
        ).scalar_one_or_none()
        return None if held is None else self.get(collection_id)

    def add(self, collection: Collection) -> None:
        self._session.execute(insert(CollectionRow), [collection_values(collection)])
        if collection.scope:
            self._session.execute(insert(CollectionScopeRow), scope_values(collection))

    def save_scope(self, collection: Collection) -> None:
        self._session.execute(
            delete(CollectionScopeRow).where(col(CollectionScopeRow.collection_id) == collection.id)
        )
        if collection.scope:
            self._session.execute(insert(CollectionScopeRow), scope_values(collection))
