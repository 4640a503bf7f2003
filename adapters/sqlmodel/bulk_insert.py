from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from domain.errors import OverwriteConflict

BATCH_ROWS = 256
"""Rows a statement gets at once: an import's rows carry its reports' data, so the parameters of
a batch, not of the whole file, are held at a time."""


def insert_rows(session: Session, table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """Inserts many rows a batch at a time: an import writes thousands, and the ORM's per-row
    work would cost more than the database's. `rows` is consumed a batch at a time. Values go
    through each column's own bind processor (SQLite stores timestamps as SQLAlchemy writes
    them). SQLite takes a driver `executemany`; PostgreSQL takes `COPY ... FROM STDIN`, which
    skips a statement's parse, bind and execute per row (`copy_rows`). Either way the statement
    passes SQLAlchemy's events and error handling, as any other does."""
    _execute_batches(session, table, rows, None)


def update_rows(
    session: Session, table: Table, key: str, rows: Iterable[Mapping[str, Any]]
) -> None:
    """Updates many rows, each found by its `key` column, a batch at a time, as `insert_rows`
    inserts them."""
    _execute_batches(session, table, rows, key)


def _execute_batches(
    session: Session, table: Table, rows: Iterable[Mapping[str, Any]], key: str | None
) -> None:
    pending = iter(rows)
    batch = list(islice(pending, BATCH_ROWS))
    if not batch:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = [c for c in batch[0] if c != key] + ([key] if key is not None else [])
    processors = [table.c[name].type.bind_processor(dialect) for name in columns]
    if key is None and dialect.name == "postgresql":
        statement = f"{_COPY} {table.name} ({', '.join(columns)}) {_FROM_STDIN}"
    else:
        statement = _statement(table, columns, key, "?" if dialect.paramstyle == "qmark" else "%s")
    while batch:
        parameters = [
            tuple(
                value if process is None or value is None else process(value)
                for value, process in zip((row[c] for c in columns), processors, strict=True)
            )
            for row in batch
        ]
        connection.exec_driver_sql(statement, parameters)
        batch = list(islice(pending, BATCH_ROWS))


_COPY = "COPY"
_FROM_STDIN = "FROM STDIN"


def copy_rows(cursor: Any, statement: str, parameters: Sequence[Any], _context: Any) -> bool:
    """A PostgreSQL engine's `do_executemany` hook (`engine.create_database_engine` listens with
    it): runs `insert_rows`' `COPY ... FROM STDIN` with the batch as its rows, and tells
    SQLAlchemy the statement is done. Any other statement is left to the driver."""
    if not _is_copy(statement):
        return False
    with cursor.copy(statement) as copy:
        for row in parameters:
            copy.write_row(row)
    return True


def copy_row(cursor: Any, statement: str, parameters: Sequence[Any], context: Any) -> bool:
    """The `do_execute` hook beside `copy_rows`: SQLAlchemy executes a batch of one row as a
    single statement."""
    return _is_copy(statement) and copy_rows(cursor, statement, [parameters], context)


def _is_copy(statement: str) -> bool:
    return statement.startswith(_COPY) and statement.endswith(_FROM_STDIN)


def _statement(table: Table, columns: list[str], key: str | None, marker: str) -> str:
    if key is None:
        return (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "  # noqa: S608 - names from our schema
            f"VALUES ({', '.join([marker] * len(columns))})"
        )
    assigned = ", ".join(f"{c} = {marker}" for c in columns[:-1])
    return f"UPDATE {table.name} SET {assigned} WHERE {key} = {marker}"  # noqa: S608 - names from our schema


@contextmanager
def one_copy_per_source(table: Table) -> Iterator[None]:
    """Turns the database refusing a second entity of one origin in a collection (the unique
    index behind import with overwrite) into the import's own conflict. Imports hold
    the collection while they write, so only a writer that did not would meet it."""
    try:
        yield
    except IntegrityError as error:
        origin_columns = (
            f"{table.name}.collection_id, {table.name}.source_label, {table.name}.source_id"
        )
        if f"ix_{table.name}_collection_origin" not in str(error) and (
            origin_columns not in str(error)
        ):
            raise
        raise OverwriteConflict(
            f"Another import wrote {table.name}s from the same source IDs into this collection "
            "at the same time; nothing was written. Retry."
        ) from error
