"""A plain HTTP/1.1 client (the standard library's), timed from sending to the last body byte."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from benchmarks.paths import TOKEN

EXPORT_DASHBOARDS = "/api/public/export/dashboard/definition/json"
READYZ = "/api/readyz"


@dataclass(frozen=True, slots=True)
class HttpResult:
    status: int
    body: bytes
    content_type: str
    seconds: float
    size: int = 0
    """Bytes received; the body itself is empty when it was read and discarded."""
    headers: dict[str, str] = field(default_factory=dict)
    """The answer's headers, by lower-case name."""

    def json(self) -> object:
        return json.loads(self.body)

    def describe(self) -> str:
        """The status, with the contract's errorCode when the body has one."""
        try:
            value = self.json()
        except ValueError:
            value = None
        code = value.get("errorCode") if isinstance(value, dict) else None
        return f"{self.status} {code}" if code else str(self.status)


class HttpError(RuntimeError):
    """A request answered with an unexpected status."""


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    *,
    token: str | None = TOKEN,
    timeout: float = 900.0,
    keep_body: bool = True,
    headers: Mapping[str, str] | None = None,
) -> HttpResult:
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        if keep_body:
            content = response.read()
            size = len(content)
        else:
            # Read to the last byte and let it go, as `curl -o /dev/null` does: what is timed is
            # the server, not this process's memory growing to hold a 300 MB answer.
            content, size = b"", 0
            while chunk := response.read(1 << 20):
                size += len(chunk)
        seconds = time.perf_counter() - started
        content_type = response.getheader("Content-Type", "")
        answered = {name.lower(): value for name, value in response.getheaders()}
        return HttpResult(response.status, content, content_type, seconds, size, answered)
    finally:
        connection.close()


def post_json(
    port: int, path: str, value: object, *, expect: int | None = 200, keep_body: bool = True
) -> HttpResult:
    result = request(port, "POST", path, json.dumps(value).encode(), keep_body=keep_body)
    if expect is not None and result.status != expect:
        raise HttpError(f"POST {path} answered {result.describe()}: {result.body[:300]!r}")
    return result


def put_json(port: int, path: str, value: object, *, expect: int = 204) -> HttpResult:
    result = request(port, "PUT", path, json.dumps(value).encode())
    if result.status != expect:
        raise HttpError(f"PUT {path} answered {result.describe()}: {result.body[:300]!r}")
    return result


def export_dashboards(
    port: int, ids: list[str], *, expect: int | None = 200, keep_body: bool = True
) -> HttpResult:
    return post_json(port, EXPORT_DASHBOARDS, ids, expect=expect, keep_body=keep_body)
