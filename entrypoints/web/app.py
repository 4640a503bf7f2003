from __future__ import annotations

from litestar import Router
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from entrypoints.container import Container
from entrypoints.http.dependencies import provided
from entrypoints.web.pending_imports import PendingImports
from entrypoints.web.router import template_config, web_router
from entrypoints.web.sessions import SignInSessions


def web_pages(container: Container) -> list[Router]:
    """The web pages over the container's use cases: those the API uses (the app provides
    them), and the reads only pages need, asked for by the container's typed attributes.
    Sessions (with their CSRF tokens) and pending imports live in this process."""
    clock = container.clock()
    return web_router(
        SignInSessions(clock),
        PendingImports(clock),
        {
            "browse_collections": provided(container.browse_collections),
            "show_collection": provided(container.show_collection),
            "show_dashboard": provided(container.show_dashboard),
            "preview_report_deletion": provided(container.preview_report_deletion),
            "token_verifier": provided(container.token_verifier),
        },
    )


def web_template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return template_config()
