from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig

from entrypoints.container import Container, build_container
from entrypoints.http.api_reference import render_plugins, swagger_ui_files
from entrypoints.http.auth import BearerTokenAuth
from entrypoints.http.controllers.collections import CollectionController
from entrypoints.http.controllers.definitions import DefinitionController
from entrypoints.http.controllers.deletion import DeletionController
from entrypoints.http.controllers.entity_ids import EntityIdController
from entrypoints.http.controllers.export import ExportController
from entrypoints.http.controllers.health import HealthController
from entrypoints.http.controllers.import_entities import ImportController
from entrypoints.http.controllers.sharing import SharingController
from entrypoints.http.dependencies import api_dependencies
from entrypoints.http.errors import EXCEPTION_HANDLERS
from entrypoints.http.request_checks import json_body_check
from entrypoints.http.security_headers import add_security_headers
from entrypoints.runtime import collect_and_freeze_startup_heap, unfreeze_heap
from entrypoints.settings import Settings
from entrypoints.web.app import web_pages, web_template_config

CONTROLLERS = (
    ExportController,
    ImportController,
    EntityIdController,
    DeletionController,
    CollectionController,
    DefinitionController,
    SharingController,
    HealthController,
)


def create_app(container: Container | None = None) -> Litestar:
    """The HTTP API and the web pages over a container's use cases. Without a container, one is
    built from the environment now, at call time; nothing connects until the first request.
    The container builds the application's objects, asked for by typed attribute; what only
    HTTP needs (middleware, CORS, error handlers, OpenAPI) is built here."""
    if container is None:
        container = build_container(Settings.from_environ(os.environ))
    settings: Settings = container.settings()
    return Litestar(
        route_handlers=[*CONTROLLERS, swagger_ui_files(), *web_pages(container)],
        dependencies=api_dependencies(container),
        middleware=[BearerTokenAuth(container.token_verifier())],
        before_request=json_body_check(settings.max_json_depth),
        before_send=[add_security_headers],
        exception_handlers=EXCEPTION_HANDLERS,
        template_config=web_template_config(),
        request_max_body_size=settings.max_body_bytes,
        cors_config=_cors(settings),
        openapi_config=_openapi(),
        on_shutdown=[container.change_counter().close, lambda: _dispose(container)],
    )


def create_served_app() -> Litestar:
    """`serve`'s app in each worker: the environment's settings, its start-up heap frozen
    once it has started."""
    return _startup_heap_frozen(create_app())


def create_demo_app() -> Litestar:
    """`serve --demo`'s app in each worker: the environment's settings, with the demo token
    unless one is configured, its start-up heap frozen once it has started."""
    return _startup_heap_frozen(
        create_app(build_container(Settings.from_environ(os.environ).for_demo()))
    )


def _startup_heap_frozen(app: Litestar) -> Litestar:
    app.on_startup.append(collect_and_freeze_startup_heap)
    app.on_shutdown.append(unfreeze_heap)
    return app


def _cors(settings: Settings) -> CORSConfig | None:
    """Closed unless origins are configured: then only those, only for the API's methods."""
    if not settings.cors_allow_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_allow_origins),
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
        allow_credentials=False,
    )


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="boardport",
        version=_version(),
        description="Camunda Optimize's public export and import API, wire-compatible.",
        path="/schema",
        render_plugins=render_plugins(),
    )


def _dispose(container: Container) -> None:
    container.engine().dispose()


def _version() -> str:
    try:
        return version("boardport")
    except PackageNotFoundError:
        return "0+unknown"
