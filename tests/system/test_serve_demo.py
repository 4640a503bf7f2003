"""`boardport serve --demo` as a real process with two workers and no token configured: each
worker builds its app with the demo token, though nothing wrote it to the environment."""

from __future__ import annotations

from pathlib import Path

import httpx

from entrypoints.settings import DEMO_TOKEN
from tests.system.servers import running_server

CONNECTIONS = 8


def test_every_worker_of_serve_demo_accepts_the_demo_token(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'boardport.sqlite3'}"
    no_token = {"BOARDPORT_API_ACCESS_TOKEN": "", "OPTIMIZE_API_ACCESS_TOKEN": ""}
    with running_server(database, tmp_path, workers=2, demo=True, settings=no_token) as server:
        for _ in range(CONNECTIONS):  # a new connection each, so both workers answer some
            answer = httpx.post(
                f"{server.url}/api/public/export/dashboard/definition/json",
                json=["123", "456"],
                headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
                timeout=60.0,
            )
            assert answer.status_code == 200, answer.text
        refused = httpx.post(
            f"{server.url}/api/public/export/dashboard/definition/json", json=["123"], timeout=60.0
        )
        assert refused.status_code == 401
