"""The one ASGI app: the HTTP API (entrypoints.http) and the web pages (entrypoints.web) mounted
side by side over one container's use cases. What applies to every path is decided here: the
container's attributes as dependencies, the bearer check under /api/public/, the check of
request bodies, the security headers, the JSON error bodies, CORS and the OpenAPI document. The
pages' router answers its own refusals, as pages, and checks its own forms."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from litestar import Litestar, Request, Response
from litestar.datastructures import State
from litestar.types import ExceptionHandlersMap

from entrypoints.asgi_shared.dependencies import container_dependencies
from entrypoints.asgi_shared.security_headers import add_security_headers
from entrypoints.container import Container, build_container
from entrypoints.history_retention import HourlyRetention
from entrypoints.http.api import api_cors, api_openapi, api_router
from entrypoints.http.auth import BearerTokenAuth
from entrypoints.http.errors import EXCEPTION_HANDLERS
from entrypoints.http.request_checks import json_body_check
from entrypoints.runtime import collect_and_freeze_startup_heap, unfreeze_heap
from entrypoints.settings import Settings
from entrypoints.web.error_pages import PAGE_ERRORS, is_api_path
from entrypoints.web.router import page_templates, web_app_state, web_routers


def create_app(container: Container | None = None) -> Litestar:
    """The API and the pages over a container's use cases. Without a container, one is built
    from the environment now, at call time; nothing connects until the first request."""
    if container is None:
        container = build_container(Settings.from_environ(os.environ))
    settings: Settings = container.settings()
    retention = HourlyRetention(lambda: container.forget_old_history()())  # noqa: PLW0108 - a new use case per run
    return Litestar(
        route_handlers=[
            api_router(),
            *web_routers(container.session_store(), container.pending_import_store()),
        ],
        dependencies=container_dependencies(container),
        middleware=[BearerTokenAuth(container.token_verifier())],
        before_request=json_body_check(settings.max_json_depth),
        before_send=[add_security_headers],
        exception_handlers=_by_path(EXCEPTION_HANDLERS, PAGE_ERRORS),
        state=State(web_app_state(container.session_store())),
        template_config=page_templates(),
        request_max_body_size=settings.max_body_bytes,
        cors_config=api_cors(settings),
        openapi_config=api_openapi(),
        on_startup=[retention.start],
        on_shutdown=[
            retention.stop,
            container.change_counter().close,
            lambda: container.engine().dispose(),
        ],
    )


_Handler = Callable[[Request[Any, Any, Any], Any], Response[Any]]


def _by_path(api: ExceptionHandlersMap, pages: Mapping[type[Exception], _Handler]) -> Any:
    """Each error answered as the API's JSON under the API's paths, as a page elsewhere."""

    def either(api_handler: Any, page_handler: _Handler) -> _Handler:
        def handler(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
            if is_api_path(request.url.path):
                return api_handler(request, error)  # type: ignore[no-any-return]
            return page_handler(request, error)

        return handler

    assert api.keys() == pages.keys(), "each error needs an answer on both sides"  # noqa: S101
    return {kind: either(api[kind], pages[kind]) for kind in api}  # type: ignore[index]


def create_served_app() -> Litestar:
    """`serve`'s app in each worker: the environment's settings, its start-up heap frozen
    once it has started."""
    return _startup_heap_frozen(create_app())


def create_demo_app() -> Litestar:
    """`serve --demo`'s app in each worker: the environment's settings, with the demo token
    unless one is configured, its start-up heap frozen once it has started."""
    demo = Settings.from_environ(os.environ).for_demo()
    return _startup_heap_frozen(create_app(build_container(demo)))


def _startup_heap_frozen(app: Litestar) -> Litestar:
    app.on_startup.append(collect_and_freeze_startup_heap)
    app.on_shutdown.append(unfreeze_heap)
    return app
