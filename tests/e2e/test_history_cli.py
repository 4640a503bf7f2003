"""`boardport history`, `show`, `diff` and `revert` on the CLI's own database, SQLite and
PostgreSQL, through click's runner (issue 22): the writes are the CLI's own imports, so history
names the CLI's login; what the commands print as JSON is what the API answers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from litestar import Litestar
from litestar.testing import TestClient

from entrypoints.cli.context import cli_actor
from entrypoints.cli.main import cli
from tests.builders.wire import Entity
from tests.conftest import AUTH, TOKEN
from tests.e2e.test_history_api import deploy_file, edited_file

ARROW = "→"


@dataclass
class Deployed:
    """The history file deployed into a new collection by the CLI, then deployed again edited."""

    runner: CliRunner
    collection: str
    ids: dict[str, str]
    """The stored id of each entity, by its id in the file."""
    file: Path

    def run(self, *args: str) -> Result:
        return self.runner.invoke(cli, list(args))

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        return result

    def deploy(self, entities: list[Entity]) -> list[Entity]:
        self.file.write_text(json.dumps(entities), encoding="utf-8")
        imported = self.ok(
            "import", str(self.file), "--collection", self.collection, "--overwrite",
            "--source", "dev",
        )  # fmt: skip
        answer: list[Entity] = json.loads(imported.stdout)
        return answer

    def change_ids(self) -> list[str]:
        listed = self.ok("history", "--collection", self.collection, "--json").stdout
        return [c["id"] for c in json.loads(listed)]

    def report_name(self, source_id: str) -> str:
        (report,) = json.loads(self.ok("export", "reports", self.ids[source_id]).stdout)
        name: str = report["name"]
        return name


@pytest.fixture
def deployed(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Deployed:
    monkeypatch.setenv("BOARDPORT_DATABASE_URL", database_url)
    monkeypatch.setenv("BOARDPORT_API_ACCESS_TOKEN", TOKEN)
    runner = CliRunner()
    collection = runner.invoke(cli, ["collections", "create", "Production"]).stdout.strip()
    state = Deployed(runner, collection, {}, tmp_path / "deploy.json")
    state.file.write_text(json.dumps(deploy_file()), encoding="utf-8")
    state.ok("definitions", "from-export", str(state.file), "--collection", collection)
    state.ids = {i["sourceId"]: i["id"] for i in state.deploy(deploy_file())}
    state.deploy(edited_file())
    return state


def api_json(client: TestClient[Litestar], path: str, **params: str) -> object:
    answer = client.get(path, params=params, headers=AUTH)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_history_lists_the_clis_own_changes_newest_first_as_the_api_does(
    deployed: Deployed, client: TestClient[Litestar]
) -> None:
    lines = deployed.ok("history", "--collection", deployed.collection).stdout.splitlines()
    assert lines[0] == f"Changes in collection {deployed.collection}, newest first:"
    assert lines[1].split() == ["CHANGE", "AT", "KIND", "ACTOR", "ENTITIES"]
    newest, first = lines[2], lines[3]
    assert f" import  {cli_actor().name}  3 updated" in newest
    assert first.endswith("6 created")
    assert len(lines) == 4
    listed = json.loads(deployed.ok("history", "--limit", "1", "--json").stdout)
    assert listed == api_json(client, "/api/public/change", limit="1")
    assert listed[0]["counts"] == {"created": 0, "updated": 3, "deleted": 0}


def test_a_reports_revisions_one_revision_and_the_diff_between_two(
    deployed: Deployed, client: TestClient[Litestar]
) -> None:
    report, dashboard = deployed.ids["r1"], deployed.ids["d1"]
    first, second = reversed(deployed.change_ids())
    lines = deployed.ok("history", "report", report).stdout.splitlines()
    assert lines[0] == f"Revisions of report {report}, newest first:"
    assert [line.split()[0:1] + line.split()[4:] for line in lines[2:]] == [
        ["2", "updated", cli_actor().name, second],
        ["1", "created", cli_actor().name, first],
    ]
    shown = deployed.ok("show", "report", report, "--revision", "1").stdout
    path = f"/api/public/report/{report}/revision/1"
    assert json.loads(shown) == api_json(client, path)
    assert json.loads(shown)["name"] != "Invoices, renamed"
    exact = deployed.ok("show", "report", report, "--revision", "2", "--json").stdout
    assert exact.encode() == client.get(f"{path[:-1]}2", headers=AUTH).content + b"\n"
    renamed = deployed.ok("diff", "report", report, "1").stdout.splitlines()
    assert renamed[0] == f"report {report}: revision 1 {ARROW} the current one"
    assert renamed[1:] == [f'    name: "{json.loads(shown)["name"]}" {ARROW} "Invoices, renamed"',
                           "1 change(s)."]  # fmt: skip
    moved = deployed.ok("diff", "dashboard", dashboard, "1", "2").stdout.splitlines()
    assert "moved from (0,0) to (6,0)" in moved[1]
    as_json = json.loads(deployed.ok("diff", "dashboard", dashboard, "1", "2", "--json").stdout)
    assert as_json == api_json(client, f"/api/public/dashboard/{dashboard}/revision/1/diff", to="2")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["show", "report", "nope", "--revision", "1"], "notFoundError: Could not find reports"),
        (["history", "dashboard", "nope"], "notFoundError: Could not find dashboards"),
        (["revert", "no-such-change"], "notFoundError: Could not find changes"),
    ],
)
def test_an_unknown_entity_or_change_is_an_error_with_the_apis_code(
    database_url: str, monkeypatch: pytest.MonkeyPatch, args: list[str], said: str
) -> None:
    monkeypatch.setenv("BOARDPORT_DATABASE_URL", database_url)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert said in result.stderr


def test_a_revert_dry_run_writes_nothing_a_conflict_is_refused_and_force_restores(
    deployed: Deployed,
) -> None:
    overwrite = deployed.change_ids()[0]
    renamed = deployed.report_name("r1")
    dry = deployed.ok("revert", overwrite, "--dry-run").stdout.splitlines()
    assert dry[0] == f"Dry run of reverting change {overwrite}: nothing was written."
    assert sorted(line.split()[0:3] for line in dry[1:-1]) == sorted(
        [["~", kind, deployed.ids[i]] for kind, i in (("report", "r1"), ("report", "r2"),
                                                      ("dashboard", "d1"))]
    )  # fmt: skip
    assert dry[-1] == "Would revert: 3 updated."
    assert deployed.report_name("r1") == renamed
    later = edited_file()
    later[0]["name"] = "Invoices, renamed again"
    deployed.deploy(later)
    conflict = deployed.run("revert", overwrite)
    assert conflict.exit_code == 1
    newest = deployed.change_ids()[0]
    assert conflict.stderr.splitlines() == [
        "revertConflict: a later change touched what this revert would restore:",
        f'    report {deployed.ids["r1"]} "Invoices, renamed": changed later by change {newest}',
        (
            "Nothing was reverted. Revert the later changes first (newest first), or run again "
            "with --force to restore these entities anyway."
        ),
    ]
    assert deployed.report_name("r1") == "Invoices, renamed again"
    forced = deployed.ok("revert", overwrite, "--force").stdout.splitlines()
    assert forced[0] == f"Reverted change {overwrite}, recorded as a change of its own."
    assert deployed.report_name("r1") == deployed_name_before_edits(deployed)
    reverted = json.loads(deployed.ok("history", "--limit", "1", "--json").stdout)[0]
    assert (reverted["kind"], reverted["actor"]) == ("revert", cli_actor().name)


def deployed_name_before_edits(deployed: Deployed) -> str:
    first = json.loads(deployed.ok("show", "report", deployed.ids["r1"], "--revision", "1").stdout)
    name: str = first["name"]
    assert name != "Invoices, renamed"
    return name
