from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import text
from sqlmodel import Session, col, select

from adapters.sqlmodel.id_filter import id_among
from adapters.sqlmodel.mappers import definition_from_row, definition_values
from adapters.sqlmodel.tables import DefinitionRow
from adapters.sqlmodel.upsert import upsert
from application.ports.definition_repository import DefinitionReader, DefinitionRepository
from domain.definition import Definition, DefinitionType

DEFINITION_TABLE = DefinitionRow.__table__  # type: ignore[attr-defined]
IDENTITY = ("definition_type", "key", "version", "tenant_id")


class SqlDefinitionReader(DefinitionReader):
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def of_keys(self, keys: Collection[tuple[DefinitionType, str]]) -> list[Definition]:
        if not keys:
            return []
        names = {key for _, key in keys}
        rows = self._session.exec(
            select(DefinitionRow).where(id_among(DefinitionRow.key, names, self._dialect))
        )
        found = (definition_from_row(row) for row in rows)
        return [d for d in found if (d.type, d.key) in keys]

    def list_all(self) -> list[Definition]:
        rows = self._session.exec(
            select(DefinitionRow).order_by(
                col(DefinitionRow.definition_type),
                col(DefinitionRow.key),
                col(DefinitionRow.tenant_id),
                col(DefinitionRow.version),
            )
        )
        return [definition_from_row(row) for row in rows]


class SqlDefinitionRepository(SqlDefinitionReader, DefinitionRepository):
    def save(self, definition: Definition) -> None:
        upsert(self._session, DEFINITION_TABLE, definition_values(definition), IDENTITY)

    def lock_key(self, definition_type: DefinitionType, key: str) -> None:
        if self._dialect == "postgresql":
            # A transaction-scoped advisory lock on the key: released at commit or rollback.
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"),
                {"name": f"boardport definition {definition_type.value}:{key}"},
            )
        # SQLite: a writing unit of work holds the database's write lock from its start.
