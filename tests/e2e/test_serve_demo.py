"""`boardport serve --demo`: the demo's settings reach the app by the factory uvicorn is given,
nothing is written to the environment, and the database is migrated once."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from typing import Any

import alembic.command
import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient
from uvicorn.importer import import_from_string

from entrypoints.cli.main import cli
from entrypoints.settings import DEMO_TOKEN
from tests.conftest import TOKEN

EXPORT = "/api/public/export/dashboard/definition/json"


@pytest.fixture
def upgrades(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each revision alembic was asked to upgrade to, in order."""
    asked: list[str] = []
    upgrade = alembic.command.upgrade

    def counted(config: Any, revision: str, **options: Any) -> None:
        asked.append(revision)
        upgrade(config, revision, **options)

    monkeypatch.setattr(alembic.command, "upgrade", counted)
    return asked


def served_app(serving: dict[str, Any]) -> Litestar:
    """The app as each uvicorn worker builds it: the factory imported by name, then called."""
    assert serving["factory"] is True
    factory: Callable[[], Litestar] = import_from_string(serving["app"])
    return factory()


def test_serve_demo_migrates_once_and_writes_nothing_to_the_environment(
    serving: dict[str, Any], upgrades: list[str]
) -> None:
    environ = dict(os.environ)
    result = CliRunner().invoke(cli, ["serve", "--demo"])
    assert result.exit_code == 0, result.output
    assert upgrades == ["head"]
    assert dict(os.environ) == environ
    assert f"the demo token {DEMO_TOKEN}" in result.output
    assert serving["app"] == "entrypoints.asgi:create_demo_app"


def test_the_app_serve_demo_runs_accepts_the_demo_token_and_serves_the_demo_data(
    serving: dict[str, Any],
) -> None:
    assert CliRunner().invoke(cli, ["serve", "--demo"]).exit_code == 0
    with TestClient(served_app(serving)) as client:
        demo = client.post(EXPORT, json=["123"], headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
        assert demo.status_code == 200
        assert client.post(EXPORT, json=["123"]).status_code == 401


def test_serve_demo_keeps_a_configured_token_and_refuses_the_demo_one(
    serving: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDPORT_API_ACCESS_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["serve", "--demo"])
    assert result.exit_code == 0, result.output
    assert "the configured API token" in result.output
    with TestClient(served_app(serving)) as client:
        demo = client.post(EXPORT, json=["123"], headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
        assert demo.status_code == 401
        configured = client.post(EXPORT, json=["123"], headers={"Authorization": f"Bearer {TOKEN}"})
        assert configured.status_code == 200


def test_serve_without_demo_runs_the_plain_app_which_has_no_demo_token(
    serving: dict[str, Any],
) -> None:
    assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    assert serving["app"] == "entrypoints.asgi:create_served_app"
    with TestClient(served_app(serving)) as client:
        demo = client.post(EXPORT, json=["123"], headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
        assert demo.status_code == 401


@pytest.mark.parametrize("arguments", [["serve"], ["serve", "--demo"]])
def test_a_served_app_freezes_its_start_up_heap_and_thaws_it_at_shutdown(
    serving: dict[str, Any], arguments: list[str]
) -> None:
    """Full collections must not rescan what start-up built: that scan is a pause of every
    request in flight (issue 13: PostgreSQL's one-export p99)."""
    assert CliRunner().invoke(cli, arguments).exit_code == 0
    app = served_app(serving)
    assert gc.get_freeze_count() == 0
    try:
        with TestClient(app):
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
