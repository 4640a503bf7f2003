from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from domain.errors import OverwriteConflict


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Inserts many rows with one driver `executemany`: an import writes thousands, and the
    ORM's per-row work would cost more than the database's. Values go through each column's
    own bind processor (SQLite stores timestamps as SQLAlchemy writes them), and the statement
    still passes SQLAlchemy's events."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = list(rows[0])
    processors = [table.c[name].type.bind_processor(dialect) for name in columns]
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "  # noqa: S608 - names from our schema
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    parameters = [
        tuple(
            value if process is None or value is None else process(value)
            for value, process in zip((row[c] for c in columns), processors, strict=True)
        )
        for row in rows
    ]
    connection.exec_driver_sql(statement, parameters)


def update_rows(
    session: Session, table: Table, key: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Updates many rows, each found by its `key` column, with one driver `executemany`, as
    `insert_rows` inserts them."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = [c for c in rows[0] if c != key]
    processors = [table.c[name].type.bind_processor(dialect) for name in [*columns, key]]
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"UPDATE {table.name} SET {', '.join(f'{c} = {marker}' for c in columns)} "  # noqa: S608 - names from our schema
        f"WHERE {key} = {marker}"
    )
    parameters = [
        tuple(
            value if process is None or value is None else process(value)
            for value, process in zip((row[c] for c in [*columns, key]), processors, strict=True)
        )
        for row in rows
    ]
    connection.exec_driver_sql(statement, parameters)


@contextmanager
def one_copy_per_source(table: Table) -> Iterator[None]:
    """Turns the database refusing a second entity of one source ID in a collection (the
    unique index behind import with overwrite) into the import's own conflict. Imports hold
    the collection while they write, so only a writer that did not would meet it."""
    try:
        yield
    except IntegrityError as error:
        if f"ix_{table.name}_collection_source" not in str(error) and (
            f"{table.name}.collection_id, {table.name}.source_id" not in str(error)
        ):
            raise
        raise OverwriteConflict(
            f"Another import wrote {table.name}s from the same source IDs into this collection "
            "at the same time; nothing was written. Retry."
        ) from error
