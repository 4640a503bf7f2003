"""`boardport convert` (offline, no database) and `boardport export --target-version`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient

from entrypoints.cli.main import cli
from tests.conftest import AUTH, TOKEN
from tests.optimize_fixtures import LEGACY_LAYOUT_FILE, fixtures_dir, load_fixture

DASHBOARD_WITH_TEXT_TILE = "kh-c8-sm84-9reports-2dashboards-text-tiles.json"


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """No database can be reached: convert must not need one."""
    monkeypatch.setenv("BOARDPORT_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    return CliRunner()


def fixture_path(name: str) -> str:
    load_fixture(name)  # skips or fails as the other fixture tests do when it is absent
    return str(fixtures_dir() / name)


def test_convert_writes_the_legacy_file_for_3_7_and_summarizes_each_entity(
    offline: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "at-3.7.json"
    result = offline.invoke(
        cli, ["convert", fixture_path(LEGACY_LAYOUT_FILE), "--to", "3.7", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    converted = json.loads(target.read_bytes())
    assert [e["sourceIndexVersion"] for e in converted] == [8] * 11 + [5]
    assert "reports" in converted[-1]
    lines = result.stderr.splitlines()
    assert lines[0].endswith(": 3.8 to 3.9 -> 3.6 to 3.7: nothing lost")
    assert lines[-2].startswith(
        'dashboard "8a7103a7-c086-48f8-b5b7-a7f83e864688": 3.9 -> 3.7 to 3.8'
    )
    assert lines[-1] == f"wrote 12 entities to {target}"


def test_convert_up_to_the_latest_prints_to_standard_output(offline: CliRunner) -> None:
    result = offline.invoke(cli, ["convert", fixture_path(LEGACY_LAYOUT_FILE), "--to", "latest"])
    assert result.exit_code == 0, result.output
    converted = json.loads(result.stdout)
    assert {e["sourceIndexVersion"] for e in converted} == {11, 8}
    assert "tiles" in converted[-1]


def test_convert_refuses_losses_naming_them_unless_allowed(
    offline: CliRunner, tmp_path: Path
) -> None:
    source = fixture_path(DASHBOARD_WITH_TEXT_TILE)
    refused = offline.invoke(cli, ["convert", source, "--to", "3.9"])
    assert refused.exit_code == 1
    assert "badRequestError" in refused.stderr
    assert "text tile" in refused.stderr
    target = tmp_path / "out.json"
    allowed = offline.invoke(
        cli, ["convert", source, "--to", "3.9", "--allow-loss", "-o", str(target)]
    )
    assert allowed.exit_code == 0, allowed.output
    assert "text tile" in allowed.stderr
    assert all("tiles" not in e for e in json.loads(target.read_bytes()))


def test_convert_names_the_entity_and_field_of_a_bad_input(
    offline: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "bad.json"
    entity = {
        "id": "r",
        "exportEntityType": "single_process_report",
        "name": "R",
        "sourceIndexVersion": 8,
        "data": {"configuration": {"aggregationTypes": 3}},
    }
    source.write_text(json.dumps([entity, dict(entity, id="s", sourceIndexVersion=2)]))
    result = offline.invoke(cli, ["convert", str(source), "--to", "latest"])
    assert result.exit_code == 1
    assert "importFileInvalid" in result.stderr
    assert "report \"r\", field 'data.configuration.aggregationTypes'" in result.stderr
    assert "report \"s\", field 'sourceIndexVersion' is 2" in result.stderr


def test_convert_refuses_an_unknown_release(offline: CliRunner) -> None:
    result = offline.invoke(cli, ["convert", fixture_path(LEGACY_LAYOUT_FILE), "--to", "3.2"])
    assert result.exit_code == 2
    assert "3.2" in result.stderr


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BOARDPORT_DATABASE_URL", database_url)
    monkeypatch.setenv("BOARDPORT_API_ACCESS_TOKEN", TOKEN)
    return CliRunner()


def test_the_cli_export_for_an_older_release_is_the_apis(
    runner: CliRunner,
    client: TestClient[Litestar],
    tmp_path: Path,
) -> None:
    runner.invoke(cli, ["demo"])
    target = tmp_path / "export.json"
    args = ["export", "dashboards", "123", "456", "--target-version", "3.7", "-o", str(target)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    api = client.post(
        "/api/public/export/dashboard/definition/json?targetVersion=3.7",
        json=["123", "456"],
        headers=AUTH,
    )
    assert json.loads(target.read_bytes()) == api.json()
    assert target.read_bytes() == api.content


def test_the_cli_export_refuses_losses_unless_allowed(runner: CliRunner) -> None:
    runner.invoke(cli, ["demo"])
    overview = "d43ad74f-b77c-4fc2-9b44-41a5eec07e7e"
    refused = runner.invoke(cli, ["export", "dashboards", overview, "--target-version", "3.3"])
    assert refused.exit_code == 1
    assert "badRequestError" in refused.stderr
    assert f'dashboard "{overview}"' in refused.stderr
    allowed = runner.invoke(
        cli, ["export", "reports", overview, "--target-version", "3.3", "--allow-loss"]
    )
    assert allowed.exit_code == 1  # a dashboard id is not a report
    allowed = runner.invoke(
        cli, ["export", "dashboards", overview, "--target-version", "3.3", "--allow-loss"]
    )
    assert allowed.exit_code == 0, allowed.output
    assert "lost in 3.3" in allowed.stderr
    assert {e["sourceIndexVersion"] for e in json.loads(allowed.stdout)} <= {4, 5}
