"""The API reference at /schema: Swagger UI, served from the files of the `swagger-ui-py`
package (Swagger UI under the Apache License 2.0; its LICENSE is served beside it), so the page
loads nothing from another host and renders with no network at all."""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import (
    JsonRenderPlugin,
    OpenAPIRenderPlugin,
    SwaggerRenderPlugin,
    YamlRenderPlugin,
)
from litestar.static_files import create_static_files_router

from entrypoints.asgi_shared.security_headers import PAGE_POLICY_STATE

SWAGGER_UI_VERSION = version("swagger-ui-py")
SWAGGER_UI_PATH = f"/static/swagger-ui/{SWAGGER_UI_VERSION}"
"""Versioned, so the files can be cached for a year: an upgrade changes their URL."""
_FAVICON = f"{SWAGGER_UI_PATH}/favicon-32x32.png"
_ONE_YEAR = 365 * 24 * 60 * 60
_SWAGGER_OPTION = b"deepLinking: true,"
_INLINE = re.compile(
    rb"<(script|style)(?![^>]*\bsrc=)[^>]*>(.*?)</\1>", flags=re.DOTALL | re.IGNORECASE
)


def swagger_ui_directory() -> Path:
    return Path(str(files("swagger_ui") / "static"))


def swagger_ui_files() -> Router:
    """The package's files (the page loads the bundle, the preset, the stylesheet and the
    favicon; LICENSE is there too), each answered with a year-long cache header."""
    return create_static_files_router(
        path=SWAGGER_UI_PATH,
        directories=[swagger_ui_directory()],
        cache_control=CacheControlHeader(max_age=_ONE_YEAR, public=True),
        include_in_schema=False,
        name="swagger-ui",
    )


class SelfContainedSwagger(SwaggerRenderPlugin):
    """Litestar's Swagger UI page, pointed at boardport's own copy of Swagger UI. The page's
    inline blocks (the start-up script with the document, a body style) are allowed by their
    hashes in the page's Content-Security-Policy, which otherwise allows only 'self'."""

    def __init__(self) -> None:
        super().__init__(
            js_url=f"{SWAGGER_UI_PATH}/swagger-ui-bundle.js",
            css_url=f"{SWAGGER_UI_PATH}/swagger-ui.css",
            standalone_preset_js_url=f"{SWAGGER_UI_PATH}/swagger-ui-standalone-preset.js",
            path=["/", "/swagger"],
            favicon=f'<link rel="icon" type="image/png" href="{_FAVICON}">',
        )

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        page = super().render(request, openapi_schema)
        # Show each operation's ID (what clients and the contract call it) beside its path.
        if _SWAGGER_OPTION not in page:
            raise RuntimeError("Litestar's Swagger UI page changed; revisit SelfContainedSwagger")
        page = page.replace(_SWAGGER_OPTION, _SWAGGER_OPTION + b"\n  displayOperationId: true,", 1)
        request.state[PAGE_POLICY_STATE] = page_policy(page)
        return page


def page_policy(page: bytes) -> str:
    """A Content-Security-Policy allowing the service's own origin and, of inline code, only the
    blocks this page holds, by their SHA-256."""
    hashes: dict[bytes, list[str]] = {b"script": [], b"style": []}
    for match in _INLINE.finditer(page):
        digest = base64.b64encode(hashlib.sha256(match.group(2)).digest()).decode()
        hashes[match.group(1).lower()].append(f"'sha256-{digest}'")
    return (
        "default-src 'self'; "
        f"script-src 'self' {' '.join(hashes[b'script'])}; "
        f"style-src 'self' {' '.join(hashes[b'style'])}; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def render_plugins() -> list[OpenAPIRenderPlugin]:
    return [SelfContainedSwagger(), JsonRenderPlugin(), YamlRenderPlugin()]
