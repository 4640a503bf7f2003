from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient

from entrypoints.cli.main import cli
from tests.conftest import AUTH, TOKEN


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BOARDPORT_DATABASE_URL", database_url)
    monkeypatch.setenv("BOARDPORT_API_ACCESS_TOKEN", TOKEN)
    return CliRunner()


def test_db_upgrade_and_demo_are_idempotent(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(cli, ["demo"])
    second = runner.invoke(cli, ["demo"])
    assert first.exit_code == second.exit_code == 0
    assert "14 entities added" in first.output  # a collection, 9 reports and 4 dashboards
    assert "0 entities added" in second.output


def test_the_cli_writes_the_same_json_as_the_api(
    runner: CliRunner,
    client: TestClient[Litestar],
    tmp_path: Path,
) -> None:
    runner.invoke(cli, ["demo"])
    target = tmp_path / "export.json"
    result = runner.invoke(cli, ["export", "dashboards", "123", "456", "-o", str(target)])
    assert result.exit_code == 0, result.output
    api = client.post(
        "/api/public/export/dashboard/definition/json", json=["123", "456"], headers=AUTH
    )
    assert target.read_bytes() == api.content
    assert "wrote 5 entities" in result.output


def test_the_cli_prints_reports_to_standard_output(runner: CliRunner) -> None:
    runner.invoke(cli, ["demo"])
    result = runner.invoke(cli, ["export", "reports", "61ae2232-51e1-4c35-b72c-c7152ba264f9"])
    assert result.exit_code == 0
    (report,) = json.loads(result.stdout)
    assert report["name"] == "Number: Process instance duration"


def test_a_cli_error_prints_the_apis_error_code_and_exits_non_zero(runner: CliRunner) -> None:
    runner.invoke(cli, ["demo"])
    result = runner.invoke(cli, ["export", "dashboards", "123", "nope"])
    assert result.exit_code == 1
    assert "notFoundError: Could not find dashboards with IDs [nope]" in result.stderr


def test_serve_refuses_a_token_shorter_than_sixteen_characters(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDPORT_API_ACCESS_TOKEN", "mySecret")
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert "refusing to serve with a short token" in result.output
    assert "mySecret" not in result.output


def test_a_database_failure_is_reported_as_the_api_would_not_as_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOARDPORT_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    for command in (["db", "upgrade"], ["demo"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1
        assert result.stderr.startswith("serviceUnavailableError: ")
        assert "Traceback" not in result.output
