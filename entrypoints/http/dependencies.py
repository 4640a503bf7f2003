"""How the HTTP API and the web pages ask the container for what a handler names: by the
container's typed attribute, through its provider, on every request. A Factory builds a fresh
use case; a Singleton answers its one instance. The container itself knows nothing of Litestar."""

from __future__ import annotations

from collections.abc import Callable

from litestar.di import Provide

from entrypoints.container import Container


def provided(provider: Callable[[], object]) -> Provide:
    def dependency() -> object:
        return provider()

    return Provide(dependency, sync_to_thread=False)


def api_dependencies(container: Container) -> dict[str, Provide]:
    """What the API's handlers (and the web pages that call the same use cases) name."""
    return {
        "list_dashboard_ids": provided(container.list_dashboard_ids),
        "list_report_ids": provided(container.list_report_ids),
        "check_readiness": provided(container.check_readiness),
        "import_entities": provided(container.import_entities),
        "import_once": provided(container.import_once),
        "read_import_file": provided(container.read_import_file),
        "create_collection": provided(container.create_collection),
        "list_collections": provided(container.list_collections),
        "get_collection": provided(container.get_collection),
        "add_to_collection_scope": provided(container.add_to_collection_scope),
        "register_definition": provided(container.register_definition),
        "list_definitions": provided(container.list_definitions),
        "delete_report": provided(container.delete_report),
        "delete_dashboard": provided(container.delete_dashboard),
        "set_sharing": provided(container.set_sharing),
        "export": provided(container.export),
    }
