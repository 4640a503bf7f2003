"""Whether a server is a boardport, asked once (PUBLIC_API.md §5, "Deploys converge"): by the
header every boardport answer under /api/ carries, else by the title of its OpenAPI document.
When neither can be read, the run stops: a guess of Optimize would create copies where a
boardport updates in place."""

from __future__ import annotations

import json

from adapters.remote.answers import Answer
from adapters.remote.http_calls import Call, HttpCalls, TlsFailure
from application.ports.optimize_server import (
    ServerKind,
    ServerKindUnknown,
    ServerRefused,
    ServerUnreachable,
)

VERSION_HEADER = "X-Boardport-Version"
BOARDPORT_TITLE = "boardport"
API_PROBE = "/api/readyz"
"""Open (no token) on a boardport and on Optimize 8, which the official SDK calls."""
OPENAPI = "/schema/openapi.json"


def _settled(answer: Answer) -> bool:
    """An answer that tells something: one that says boardport, or any that is not a 5xx (a
    5xx from a gateway hides what is behind it)."""
    return VERSION_HEADER in answer.headers or answer.status_code < 500


def probe_kind(calls: HttpCalls) -> ServerKind:
    api_failure = None
    try:
        answer = calls.send(Call("GET", API_PROBE, authorized=False, accepts=_settled))
    except TlsFailure:
        raise
    except ServerUnreachable as error:  # the same host serves the OpenAPI document
        raise _unknown(calls, f"{API_PROBE}: {error}", None) from None
    except ServerRefused as error:
        api_failure = f"{API_PROBE}: {error}"
    else:
        if VERSION_HEADER in answer.headers:
            return ServerKind.BOARDPORT
    try:
        document = calls.send(Call("GET", OPENAPI, authorized=False, accepts=_settled))
    except (ServerRefused, ServerUnreachable) as error:
        raise _unknown(calls, api_failure, f"{OPENAPI}: {error}") from None
    if _titled_boardport(document):
        return ServerKind.EARLIER_BOARDPORT
    if api_failure is not None:
        raise _unknown(calls, api_failure, f"{OPENAPI} answered {document.status_code}")
    return ServerKind.OPTIMIZE


def _titled_boardport(answer: Answer) -> bool:
    if answer.status_code != 200:
        return False
    try:
        info = json.loads(answer.body).get("info", {})
    except (ValueError, AttributeError):
        return False
    return isinstance(info, dict) and info.get("title") == BOARDPORT_TITLE


def _unknown(calls: HttpCalls, api_failure: str | None, openapi: str | None) -> ServerKindUnknown:
    said = "; ".join(part for part in (api_failure, openapi) if part)
    return ServerKindUnknown(
        f"cannot tell whether {calls.url} is a boardport ({said}). The run stops rather "
        "than guess: a boardport updates what an earlier run deployed, an Optimize would get "
        "copies beside it.",
        server=calls.server,
    )
