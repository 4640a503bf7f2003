"""A server's answer as the client keeps it (read whole, once, into one buffer), and what a
failed one says in one line."""

from __future__ import annotations

import json
import ssl
from typing import NamedTuple

import httpx

from application.ports.optimize_server import ServerRefused

LARGEST_ALLOCATED = 256 * 1024 * 1024
"""An announced length above this is not trusted with one allocation: the buffer grows."""
NOT_AN_API = "notAnOptimizeApi"
"""The client's own errorCode for an answer that is not the API's JSON (a web page, a 404 of
a server that has no such path)."""
PLAIN_HTTP_REASONS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST"})
"""What OpenSSL says when the other end answers a TLS hello in plain HTTP."""


class Answer(NamedTuple):
    status_code: int
    headers: httpx.Headers
    url: httpx.URL
    body: bytes | bytearray


def read_body(answer: httpx.Response) -> bytearray:
    """The decoded body in one buffer, allocated once when the length is known (and the body
    not compressed, so that the length is the body's); grown as it comes otherwise."""
    announced = answer.headers.get("Content-Length", "")
    compressed = answer.headers.get("Content-Encoding", "identity") != "identity"
    length = int(announced) if announced.isdigit() and not compressed else 0
    body = bytearray(min(length, LARGEST_ALLOCATED))
    filled = 0
    for chunk in answer.iter_bytes():
        end = filled + len(chunk)
        body[filled:end] = chunk  # in place within the length; grows the buffer past it
        filled = end
    del body[filled:]
    return body


def refusal(answer: Answer, what: str, server: str) -> ServerRefused:
    """The error an answer of 400 or more makes: the contract's errorCode, detailedMessage and
    extra fields when the body is the API's error; otherwise one line naming the URL and what
    came back instead, never the body itself (a web page, a proxy's error page)."""
    try:
        body = json.loads(answer.body)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errorCode"), str):
        extra = {
            k: v
            for k, v in body.items()
            if k not in {"errorCode", "errorMessage", "detailedMessage"}
        }
        detail = body.get("detailedMessage") or body.get("errorMessage") or ""
        return ServerRefused(
            answer.status_code, body["errorCode"], str(detail), extra, server=server
        )
    if answer.status_code >= 500:
        return ServerRefused(
            answer.status_code,
            None,
            f"{what} answered {answer.status_code} without the API's error body",
            server=server,
        )
    return not_an_api(answer, what, server)


def not_an_api(answer: Answer, what: str, server: str) -> ServerRefused:
    """An answer that is not the Optimize API's JSON, in one line."""
    kind = answer.headers.get("Content-Type", "").split(";")[0].strip() or "no content type"
    return ServerRefused(
        answer.status_code,
        NOT_AN_API,
        f"{what} answered {answer.status_code} with {kind}, not the Optimize API's JSON: is "
        f"{server.partition(' ')[2] or 'the URL'} the address of an Optimize API?",
        server=server,
    )


def certificate_problem(error: BaseException) -> str | None:
    """What TLS said of a certificate it could not verify, found in httpx's chain of causes."""
    cause = _cause(error, ssl.SSLCertVerificationError)
    if isinstance(cause, ssl.SSLCertVerificationError):
        return cause.verify_message or str(cause)
    return None


def plain_http_answer(error: BaseException) -> str | None:
    """OpenSSL's reason when a TLS hello was answered in plain HTTP (an https:// URL of a
    plain-HTTP port)."""
    cause = _cause(error, ssl.SSLError)
    if isinstance(cause, ssl.SSLError) and cause.reason in PLAIN_HTTP_REASONS:
        return str(cause.reason)
    return None


def _cause(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, kind):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None
