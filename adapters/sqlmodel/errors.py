"""Translates SQLAlchemy's and the drivers' exceptions into the application's storage errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout

from application.errors import (
    StorageConflict,
    StorageError,
    StorageRefusedValue,
    StorageUnavailable,
    StorageValueTooLarge,
)

_PROGRAM_LIMIT_EXCEEDED = "54"
"""PostgreSQL's SQLSTATE class for a value too large for the database to store or index."""


def storage_error(error: SQLAlchemyError) -> StorageError:
    """The application's name for a database failure. Parameters are hidden by the engine
    (`hide_parameters`), so the text carries no user data."""
    sqlstate = str(getattr(getattr(error, "orig", None), "sqlstate", "") or "")
    if sqlstate.startswith(_PROGRAM_LIMIT_EXCEEDED):
        return StorageValueTooLarge(str(error))
    if isinstance(error, DataError):
        return StorageRefusedValue(str(error))
    if isinstance(error, IntegrityError):
        return StorageConflict(str(error))
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return StorageUnavailable(str(error))
    return StorageError(str(error))


@contextmanager
def translated_errors() -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as error:
        raise storage_error(error) from error
