from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Concatenate, NoReturn, ParamSpec, TypeVar

import click
import msgspec

from application.errors import StorageError
from domain.errors import DomainError
from entrypoints.error_table import ErrorAnswer, body_for, storage_body
from entrypoints.settings import Settings, SettingsError

if TYPE_CHECKING:
    # The server's container (SQLModel, the engine, the web app's wiring) is imported only by
    # the commands that use it: the client commands start without it.
    from entrypoints.container import Container

T = TypeVar("T")
P = ParamSpec("P")


def load_settings() -> Settings:
    try:
        return Settings.from_environ(os.environ)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def container_from_environment() -> Container:
    from entrypoints.container import build_container  # noqa: PLC0415 - see TYPE_CHECKING

    return build_container(load_settings())


def fail(body: ErrorAnswer) -> NoReturn:
    """Reports an error as the API would, on stderr, and exits non-zero."""
    click.echo(f"{body.error_code}: {body.detailed_message}", err=True)
    for name, value in body.extra.items():
        click.echo(f"{name}: {msgspec.json.encode(value).decode()}", err=True)
    sys.exit(1)


@contextmanager
def reporting_failures() -> Iterator[None]:
    """Database failures as the API reports them, for commands that are not use cases."""
    try:
        yield
    except StorageError as error:
        fail(_storage_body(error))


def run(action: Callable[[], T]) -> T:
    try:
        return action()
    except DomainError as error:
        fail(body_for(error))
    except StorageError as error:
        fail(_storage_body(error))


@contextmanager
def closing_database(container: Container) -> Iterator[Container]:
    """The container, for the block; then its database connections closed (the engine
    disposed of), however the block ends."""
    try:
        yield container
    finally:
        container.engine().dispose()


def _storage_body(error: StorageError) -> ErrorAnswer:
    """The API's answer, and on a terminal also the database's own words (the operator's)."""
    body = storage_body(error)
    return replace(body, detailed_message=f"{body.detailed_message} ({error.detail})")


def with_container(command: Callable[Concatenate[Container, P], T]) -> Callable[P, T]:
    """A command's set-up and tear-down, written once: the container built from the
    environment comes as its first argument, and its engine is disposed of when the command
    ends, however it ends."""

    @functools.wraps(command)
    def run_with_container(*args: P.args, **kwargs: P.kwargs) -> T:
        with closing_database(container_from_environment()) as container:
            return command(container, *args, **kwargs)

    return run_with_container
