from __future__ import annotations

from sqlalchemy import insert
from sqlmodel import Session, col, select

from adapters.sqlmodel.mappers import collection_from_row, collection_values
from adapters.sqlmodel.tables import CollectionRow
from application.ports.collection_repository import CollectionRepository
from domain.collection import Collection


class SqlCollectionRepository(CollectionRepository):
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, collection_id: str) -> Collection | None:
        row = self._session.get(CollectionRow, collection_id)
        return None if row is None else collection_from_row(row)

    def list_all(self) -> list[Collection]:
        query = select(CollectionRow).order_by(col(CollectionRow.created), col(CollectionRow.id))
        return [collection_from_row(row) for row in self._session.exec(query)]

    def add(self, collection: Collection) -> None:
        self._session.execute(insert(CollectionRow), [collection_values(collection)])
