"""Handlers get what they name from the container, registered there and nowhere else: every
attribute of the container is a Litestar dependency of the same name."""

from __future__ import annotations

import itertools
from typing import Any

from dependency_injector import providers
from litestar import Litestar, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.testing import TestClient

from entrypoints.asgi_shared.dependencies import container_dependencies
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings

_counter = itertools.count(1)


class Greeting:
    """A use case of the test's own, registered only in the container below."""

    def __init__(self) -> None:
        self.number = next(_counter)

    def __call__(self, name: str) -> str:
        return f"hello {name}, from greeting {self.number}"


class WithGreetings(Container):
    greet = providers.Factory(Greeting)
    greet_once = providers.Singleton(Greeting)


@get("/greet/{name:str}", sync_to_thread=False)
def greet_handler(name: FromPath[str], greet: NamedDependency[Greeting]) -> str:
    return greet(name)


@get("/greet-once/{name:str}", sync_to_thread=False)
def greet_once_handler(name: FromPath[str], greet_once: NamedDependency[Greeting]) -> str:
    return greet_once(name)


def _app() -> Litestar:
    container = WithGreetings(settings=providers.Object(Settings()))
    return Litestar(
        route_handlers=[greet_handler, greet_once_handler],
        dependencies=container_dependencies(container),
    )


def test_a_use_case_registered_only_in_the_container_reaches_the_handler_that_names_it() -> None:
    with TestClient(_app()) as client:
        first = client.get("/greet/ada").text
        second = client.get("/greet/ada").text
    assert first.startswith("hello ada, from greeting ")
    assert first != second  # a Factory: a fresh use case for each request


def test_a_singleton_of_the_container_is_the_same_object_for_every_request() -> None:
    with TestClient(_app()) as client:
        answers = {client.get("/greet-once/ada").text for _ in range(3)}
    assert len(answers) == 1


def test_every_attribute_of_the_server_container_is_a_dependency_of_the_same_name() -> None:
    dependencies: dict[str, Any] = container_dependencies(build_container(Settings()))
    assert set(dependencies) == set(Container.providers)
    assert {"import_entities", "export", "read_import_file", "token_verifier"} <= set(dependencies)
