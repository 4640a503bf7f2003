"""A loopback OAuth token endpoint for the client-credentials grant, as Camunda Identity,
Keycloak or the SaaS login answer it: form-encoded request, JSON `access_token` and
`expires_in`. Kept on its own so that the JWT tests and these can share one."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class TokenState:
    client_id: str
    client_secret: str
    audience: str
    expires_in: int = 300
    issued: list[str] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)
    requests: list[dict[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self) -> str:
        with self.lock:
            self.issued.append(f"issued-token-{len(self.issued) + 1}")
            return self.issued[-1]

    def valid(self, token: str) -> bool:
        with self.lock:
            return token in self.issued and token not in self.revoked

    def expire_all(self) -> None:
        """Every token issued so far expires now, as if the run outlived them."""
        with self.lock:
            self.revoked.update(self.issued)


class _Handler(BaseHTTPRequestHandler):
    server: _TokenServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""

    def do_POST(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        state.requests.append(form)
        expected = {
            "grant_type": ["client_credentials"],
            "client_id": [state.client_id],
            "client_secret": [state.client_secret],
            "audience": [state.audience],
        }
        form_encoded = self.headers.get("Content-Type", "").startswith(
            "application/x-www-form-urlencoded"
        )
        if form != expected or not form_encoded:
            self._answer(401, {"error": "invalid_client"})
            return
        self._answer(
            200,
            {"access_token": state.issue(), "token_type": "Bearer", "expires_in": state.expires_in},
        )

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _TokenServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: TokenState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@contextmanager
def token_server(state: TokenState) -> Iterator[str]:
    """The token URL."""
    server = _TokenServer(state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/oauth/token"
    finally:
        server.shutdown()
        server.server_close()
