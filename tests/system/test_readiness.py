"""/api/readyz follows the database: 503 while PostgreSQL is unreachable, 200 again once it is
back, without a restart. (SQLite is a file inside the process; it cannot become unreachable.)"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.engine import URL

from entrypoints.asgi import create_app
from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.conftest import AUTH, TOKEN
from tests.system.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def proxy(postgres_url: URL) -> Iterator[TcpProxy]:
    tunnel = TcpProxy(postgres_url.host or "127.0.0.1", postgres_url.port or 5432)
    tunnel.start()
    yield tunnel
    tunnel.stop()


def answers(client: TestClient[Litestar], expected: int) -> bool:
    """Whether readiness reaches `expected` within a few seconds."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if client.get("/api/readyz").status_code == expected:
            return True
        time.sleep(0.1)
    return False


def test_readiness_is_503_while_the_database_is_away_and_recovers_by_itself(
    postgres_url: URL, proxy: TcpProxy
) -> None:
    through_proxy = postgres_url.set(host="127.0.0.1", port=proxy.port)
    settings = Settings(
        database_url=through_proxy.render_as_string(hide_password=False), api_access_token=TOKEN
    )
    with TestClient(create_app(build_container(settings))) as client:
        assert answers(client, 200)
        assert client.get("/api/public/dashboard?collectionId=x", headers=AUTH).status_code == 200
        proxy.stop()
        assert answers(client, 503)
        down = client.get("/api/readyz")
        assert down.json()["errorCode"] == "serviceUnavailableError"
        listing = client.get("/api/public/dashboard?collectionId=x", headers=AUTH)
        assert listing.status_code == 503
        assert listing.json()["errorCode"] == "serviceUnavailableError"
        proxy.start()
        assert answers(client, 200)
        assert client.get("/api/public/dashboard?collectionId=x", headers=AUTH).status_code == 200
