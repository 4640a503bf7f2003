"""The HTTP API as the ASGI composition mounts it: its controllers and reference pages, who may
call it from another origin, and how its OpenAPI document describes it."""

from __future__ import annotations

from litestar import Router
from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig

from entrypoints.http.api_reference import render_plugins, swagger_ui_files
from entrypoints.http.controllers.collections import CollectionController
from entrypoints.http.controllers.definitions import DefinitionController
from entrypoints.http.controllers.deletion import DeletionController
from entrypoints.http.controllers.entity_ids import EntityIdController
from entrypoints.http.controllers.export import ExportController
from entrypoints.http.controllers.health import HealthController
from entrypoints.http.controllers.history import HistoryController
from entrypoints.http.controllers.import_entities import ImportController
from entrypoints.http.controllers.sharing import SharingController
from entrypoints.release import release_version
from entrypoints.settings import Settings

CONTROLLERS = (
    ExportController,
    ImportController,
    EntityIdController,
    DeletionController,
    CollectionController,
    DefinitionController,
    SharingController,
    HistoryController,
    HealthController,
)
"""Every controller of the API, each listed here once; Litestar finds no controller by itself."""


def api_router() -> Router:
    """The controllers (each with the path it answers under) and the Swagger UI's files."""
    return Router(path="/", route_handlers=[*CONTROLLERS, swagger_ui_files()])


def api_cors(settings: Settings) -> CORSConfig | None:
    """Closed unless origins are configured: then only those, only for the API's methods."""
    if not settings.cors_allow_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_allow_origins),
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
        allow_credentials=False,
    )


def api_openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="boardport",
        version=release_version(),
        description="Camunda Optimize's public export and import API, wire-compatible.",
        path="/schema",
        render_plugins=render_plugins(),
    )
