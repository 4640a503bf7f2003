"""A server's answer as the client keeps it: read whole, once, into one buffer."""

from __future__ import annotations

import json
import ssl
from typing import NamedTuple

import httpx

from application.ports.optimize_server import ServerRefused

LARGEST_ALLOCATED = 256 * 1024 * 1024
"""An announced length above this is not trusted with one allocation: the buffer grows."""


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


def refusal(answer: Answer, what: str) -> ServerRefused:
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
        return ServerRefused(answer.status_code, body["errorCode"], str(detail), extra)
    return ServerRefused(
        answer.status_code,
        None,
        f"{what} answered {answer.status_code}: "
        + bytes(answer.body[:300]).decode(errors="replace"),
    )


def certificate_problem(error: BaseException) -> str | None:
    """What TLS said of a certificate it could not verify, found in httpx's chain of causes."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause.verify_message or str(cause)
        cause = cause.__cause__ or cause.__context__
    return None
