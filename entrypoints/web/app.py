from __future__ import annotations

import secrets
from collections.abc import Callable

from litestar import Router
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from entrypoints.container import Container
from entrypoints.web.pending_imports import PendingImports
from entrypoints.web.router import template_config, web_router
from entrypoints.web.sessions import SignInSessions

WEB_USE_CASES = (
    "browse_collections",
    "show_collection",
    "show_dashboard",
    "preview_report_deletion",
)


def web_pages(container: Container) -> list[Router]:
    """The web pages over the container's use cases: those the API uses (the app provides
    them), and the reads only pages need. Sessions, pending imports and the CSRF secret live
    in this process."""
    dependencies: dict[str, Provide] = {}
    for name in WEB_USE_CASES:
        dependencies[name] = _provide(getattr(container, name))
    verifier = container.token_verifier()
    dependencies["token_verifier"] = Provide(lambda: verifier, sync_to_thread=False)
    clock = container.clock()
    return web_router(
        SignInSessions(clock),
        PendingImports(clock),
        dependencies,
        csrf_secret=secrets.token_urlsafe(32),
    )


def _provide(factory: Callable[[], object]) -> Provide:
    def use_case() -> object:
        return factory()

    return Provide(use_case, sync_to_thread=False)


def web_template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return template_config()
