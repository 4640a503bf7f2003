"""The floor of the one-export scenario: a bare Litestar app that checks the same Authorization
header as boardport and answers the same response bytes from memory.

It runs under the same server with the same settings as `boardport serve` (uvicorn, the factory
form, host, port, worker count and log level from the same BOARDPORT_* variables, no server
header), so the difference between the two is what boardport does per request.

    BENCH_FLOOR_BODY=path/to/body.json BOARDPORT_API_ACCESS_TOKEN=... python -m benchmarks.floor_app
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path
from typing import Any

import uvicorn
from litestar import Litestar, MediaType, Request, Response, get, post

from benchmarks.client import EXPORT_DASHBOARDS, READYZ
from entrypoints.server_options import uvicorn_options
from entrypoints.settings import Settings

_UNAUTHORIZED = (
    b'{"errorCode":"notAuthorizedError","errorMessage":"The API access token is missing or '
    b'not valid.","detailedMessage":"The API access token is not valid."}'
)


def create_app() -> Litestar:
    settings = Settings.from_environ(os.environ)
    if not settings.api_access_token:
        raise SystemExit("the floor app needs BOARDPORT_API_ACCESS_TOKEN")
    token = settings.api_access_token.encode()
    body = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes()

    @post(EXPORT_DASHBOARDS, status_code=200)
    async def export(request: Request[Any, Any, Any]) -> Response[bytes]:
        scheme, _, credentials = request.headers.get("authorization", "").encode().partition(b" ")
        if scheme.lower() != b"bearer" or not hmac.compare_digest(credentials.strip(), token):
            return Response(_UNAUTHORIZED, media_type=MediaType.JSON, status_code=401)
        return Response(body, media_type=MediaType.JSON)

    @get(READYZ)
    async def readyz() -> dict[str, str]:
        return {"status": "ready"}

    return Litestar(route_handlers=[export, readyz], openapi_config=None)


def main() -> None:
    settings = Settings.from_environ(os.environ)
    uvicorn.run("benchmarks.floor_app:create_app", **uvicorn_options(settings))


if __name__ == "__main__":
    main()
