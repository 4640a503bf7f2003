"""How the API's handlers and the web pages get what they name: every attribute of the
container is a Litestar dependency of the same name, asked of its provider on every request. A
Factory builds a fresh use case; a Singleton answers its one instance. A new use case is
registered once, in the container, and a handler names it (`delete_report:
NamedDependency[DeleteReport]`). The container itself knows nothing of Litestar."""

from __future__ import annotations

from collections.abc import Callable

from litestar.di import Provide

from entrypoints.container import Container


def container_dependencies(container: Container) -> dict[str, Provide]:
    return {name: _provided(provider) for name, provider in container.providers.items()}


def _provided(provider: Callable[[], object]) -> Provide:
    # Litestar reads a dependency's signature for its parameters; a provider's says *args.
    def dependency() -> object:
        return provider()

    return Provide(dependency, sync_to_thread=False)
