"""A loopback HTTP proxy in front of a real server that answers chosen requests with faults, as
a gateway (Envoy, Istio) or a network does: a 502, 503 or 504 or a dropped connection, either
before the server saw the request or after it acted on it; a 429 with Retry-After; an answer
cut mid-way; a delay before forwarding. It can also stand in for an OAuth resource server: it
lets through only the tokens a TokenServer issued and has not revoked, and forwards them as the
upstream's static token."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

STATUSES = frozenset({"429", "502", "503", "504"})


@dataclass
class Fault:
    """Answers the next `times` requests whose method and path start as given with `action`:
    a status ("502", "503", "504", "429" with Retry-After) or "drop" (no answer at all),
    without forwarding, unless `after`: then the request is forwarded, the server acts on it,
    and its answer is replaced by the status or the drop. Also "cut" (forwarded, half the
    answer), "delay" (forwarded after `seconds`) and "hold" (sets `arrived`, waits for
    `release`, then forwards)."""

    method: str
    path: str
    action: str
    times: int = 1
    retry_after: str = "1"
    after: bool = False
    seconds: float = 0.0
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    forwarded: threading.Event = field(default_factory=threading.Event)
    """Set once the server answered the request this fault held, delayed or cut."""

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and method == self.method and path.startswith(self.path)


@dataclass
class Seen:
    method: str
    path: str
    outcome: str
    idempotency_key: str | None = None
    replayed: bool = False
    """The server answered with the stored answer of an earlier try (Idempotent-Replayed)."""


@dataclass
class ProxyState:
    upstream: str
    faults: list[Fault] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    authorize: Callable[[str | None], str | None] | None = None
    """Given the Authorization header, the one to forward, or None to answer 401."""
    only_api: bool = False
    """Routes only /api/: anything else is a 404 page, as a gateway that exposes the API."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fault_for(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    return fault
        return None

    def outcomes(self, method: str, path: str) -> list[str]:
        return [s.outcome for s in self.seen if s.method == method and s.path.startswith(path)]


class _Handler(BaseHTTPRequestHandler):
    server: _ProxyServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        state = self.server.state
        body = self._body()
        if state.only_api and not self.path.startswith("/api/"):
            self._answer(404, b"<html>Not Found</html>", {"Content-Type": "text/html"})
            return
        fault = state.fault_for(self.command, self.path)
        key = self.headers.get("Idempotency-Key")
        seen = Seen(self.command, self.path, _outcome(fault), key)
        state.seen.append(seen)
        if fault is not None and not fault.after and fault.action in STATUSES | {"drop"}:
            self._fail(fault)
            return
        if fault is not None and fault.action == "hold":
            fault.arrived.set()
            fault.release.wait(timeout=120)
        if fault is not None and fault.action == "delay":
            time.sleep(fault.seconds)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
        if state.authorize is not None:
            forwarded = state.authorize(self.headers.get("Authorization"))
            if forwarded is None:
                seen.outcome = "401"
                self._answer(
                    401,
                    b'{"errorCode":"notAuthorizedError","errorMessage":"no",'
                    b'"detailedMessage":"the token expired"}',
                )
                return
            headers["Authorization"] = forwarded
        status, answer_headers, answer = _forward(
            state.upstream, self.command, self.path, headers, body
        )
        seen.replayed = ("idempotent-replayed", "true") in {
            (k.lower(), v) for k, v in answer_headers
        }
        if fault is not None:
            fault.forwarded.set()
        if fault is not None and fault.after:
            self._fail(fault)
            return
        if fault is not None and fault.action == "cut":
            self._cut(status, answer)
            return
        self._answer(
            status,
            answer,
            {k: v for k, v in answer_headers if k.lower() not in _HOP_HEADERS | {"content-length"}},
        )

    def _fail(self, fault: Fault) -> None:
        """The fault's status with a gateway's body, or no answer at all."""
        if fault.action == "drop":
            self._drop()
            return
        self._answer(
            int(fault.action),
            b'{"errorCode":"serviceUnavailableError",'
            b'"errorMessage":"busy","detailedMessage":"injected by the proxy"}',
            {"Retry-After": fault.retry_after} if fault.action == "429" else {},
        )

    def _cut(self, status: int, answer: bytes) -> None:
        """The answer's status and length, half its body, then the connection closed."""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer[: len(answer) // 2])
        self.wfile.flush()
        self._drop()

    do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body and all(name.lower() != "content-type" for name in headers or {}):
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drop(self) -> None:
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _outcome(fault: Fault | None) -> str:
    if fault is None:
        return "forwarded"
    return f"{fault.action} after" if fault.after else fault.action


_HOP_HEADERS = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "upgrade",
    "proxy-authorization",
    "content-length",
    "host",
}


def _forward(
    upstream: str, method: str, path: str, headers: dict[str, str], body: bytes
) -> tuple[int, list[tuple[str, str]], bytes]:
    parts = urlsplit(upstream)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        connection.request(method, path, body=body or None, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.getheaders(), answer.read()
    finally:
        connection.close()


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: ProxyState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@contextmanager
def fault_proxy(upstream: str) -> Iterator[tuple[str, ProxyState]]:
    """(its URL, its state: add faults, read what it saw)."""
    state = ProxyState(upstream)
    server = _ProxyServer(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
