from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from adapters.sqlmodel.id_filter import id_among
from adapters.sqlmodel.mappers import definition_from_row, definition_values
from adapters.sqlmodel.tables import DefinitionRow
from application.ports.definition_repository import DefinitionRepository
from domain.definition import Definition, DefinitionType


class SqlDefinitionRepository(DefinitionRepository):
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

    def save(self, definition: Definition) -> None:
        values = definition_values(definition)
        identity = {k: values[k] for k in ("definition_type", "key", "version", "tenant_id")}
        existing = self._session.get(DefinitionRow, identity)
        if existing is None:
            self._session.execute(insert(DefinitionRow), [values])
            return
        self._session.execute(
            update(DefinitionRow)
            .where(*(getattr(DefinitionRow, k) == v for k, v in identity.items()))
            .values(name=values["name"], xml=values["xml"])
        )
