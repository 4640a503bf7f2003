"""The system tests' shared fixtures: the deploy tests' two servers, one target database after
the other."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from adapters.sqlmodel.migrate import upgrade_database
from entrypoints.container import build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.settings import Settings
from tests.system.deploys import VERSION_HEADER, DeployServers, target_database
from tests.system.servers import running_server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def deploy_servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DeployServers]:
    folder = tmp_path_factory.mktemp(f"deploys-{request.param}")
    source_url = f"sqlite:///{folder / 'source.sqlite3'}"
    demo = build_container(Settings(database_url=source_url))
    upgrade_database(demo.engine())
    demo.load_seed()(demo_seed())
    demo.engine().dispose()
    with (
        target_database(request.param, folder) as target_url,
        running_server(source_url, folder) as source,
        running_server(target_url, folder) as target,
    ):
        yield DeployServers(source, target)


@pytest.fixture
def converging(deploy_servers: DeployServers) -> DeployServers:
    """The servers, the target checked to speak the converging wire (PUBLIC_API.md §4:
    overwrite, source, prune, prepare and Idempotency-Key on the import, X-Boardport-Version
    on every /api answer): without it these tests would test a guess."""
    answer = httpx.get(f"{deploy_servers.target.url}/api/readyz", timeout=10)
    assert VERSION_HEADER in answer.headers, "the target does not say X-Boardport-Version"
    return deploy_servers
