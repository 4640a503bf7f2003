from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session


def upsert(session: Session, table: Table, values: Mapping[str, Any], key: Sequence[str]) -> None:
    """Inserts a row, or updates the one with the same `key`: one statement, so two writers
    racing for the same key cannot both find it missing and collide."""
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    updated = {name: value for name, value in values.items() if name not in key}
    statement = insert(table).values(**values)
    if updated:
        statement = statement.on_conflict_do_update(index_elements=list(key), set_=updated)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(key))
    session.execute(statement)
