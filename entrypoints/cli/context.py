from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

import click

from domain.actor import Actor
from entrypoints.settings import Settings, SettingsError

if TYPE_CHECKING:
    # The server's container (SQLModel, the engine, the web app's wiring) is imported only by
    # the commands that use it: the client commands start without it.
    from entrypoints.container import Container

T = TypeVar("T")
P = ParamSpec("P")


def cli_actor() -> Actor:
    """Who writes through the CLI on its own database: the operating system's user, as history
    records it ("cli:<login name>")."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no user name for this process's uid (a bare container)
        login = str(os.getuid())
    return Actor.cli(login)


def load_settings() -> Settings:
    try:
        return Settings.from_environ(os.environ)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def container_from_environment() -> Container:
    from entrypoints.container import build_container  # noqa: PLC0415 - see TYPE_CHECKING

    return build_container(load_settings())


@contextmanager
def closing_database(container: Container) -> Iterator[Container]:
    """The container, for the block; then its database connections closed (the engine
    disposed of), however the block ends."""
    try:
        yield container
    finally:
        container.engine().dispose()


def with_container(command: Callable[Concatenate[Container, P], T]) -> Callable[P, T]:
    """A command's set-up and tear-down, written once: the container built from the
    environment comes as its first argument, and its engine is disposed of when the command
    ends, however it ends."""

    @functools.wraps(command)
    def run_with_container(*args: P.args, **kwargs: P.kwargs) -> T:
        with closing_database(container_from_environment()) as container:
            return command(container, *args, **kwargs)

    return run_with_container
