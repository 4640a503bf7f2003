"""`boardport history`, `show`, `diff` and `revert` with `--from`, against a real `boardport
serve` on loopback (issue 22): what a deploy did, read and undone from another machine with the
client's credentials; a revert whose answer a gateway lost is sent again with its key and
reverts once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.e2e.importing import ready_collection
from tests.e2e.test_history_api import deploy, deploy_file, edited_file
from tests.system.fault_proxy import Fault, fault_proxy
from tests.system.servers import Server, running_server
from tests.system.test_client import Run, boardport

REVERT = "/api/public/change/"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("history-remote")
    with running_server(f"sqlite:///{folder / 'history.sqlite3'}", folder) as running:
        yield running


@dataclass
class Deployed:
    """The history file deployed into a new collection of the server, then deployed edited."""

    server: Server
    collection: str
    ids: dict[str, str]

    def ok(self, *args: str, url: str | None = None) -> Run:
        run = self.run(*args, url=url)
        assert run.returncode == 0, run.stderr
        return run

    def run(self, *args: str, url: str | None = None) -> Run:
        return boardport(*args, "--from", url or self.server.url)

    def changes(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = json.loads(
            self.ok("history", "--collection", self.collection, "--json").stdout
        )
        return listed

    def name_of(self, source_id: str) -> str:
        with self.server.client() as client:
            answer = client.post(
                "/api/public/export/report/definition/json", json=[self.ids[source_id]]
            )
        name: str = answer.raise_for_status().json()[0]["name"]
        return name


@pytest.fixture
def deployed(server: Server) -> Deployed:
    with server.client() as client:
        collection = ready_collection(client)  # type: ignore[arg-type] # an httpx client too
        ids = {i["sourceId"]: i["id"] for i in deploy(client, collection, deploy_file())}  # type: ignore[arg-type]
        deploy(client, collection, edited_file())  # type: ignore[arg-type]
    return Deployed(server, collection, ids)


def test_history_revisions_show_and_diff_are_read_from_the_server(deployed: Deployed) -> None:
    lines = deployed.ok("history", "--collection", deployed.collection).stdout.splitlines()
    assert lines[0] == f"Changes in collection {deployed.collection}, newest first:"
    assert [line.split()[4:] for line in lines[2:]] == [
        ["import", "token", "3", "updated"],
        ["import", "token", "6", "created"],
    ]
    report = deployed.ids["r1"]
    revisions = deployed.ok("history", "report", report).stdout.splitlines()
    assert [line.split()[0] for line in revisions[1:]] == ["REVISION", "2", "1"]
    shown = deployed.ok("show", "report", report, "--revision", "1", "--json").stdout
    with deployed.server.client() as client:
        answer = client.get(f"/api/public/report/{report}/revision/1")
    assert shown.encode() == answer.raise_for_status().content + b"\n"
    first_name = json.loads(shown)["name"]
    diff = deployed.ok("diff", "report", report, "1", "2").stdout.splitlines()
    assert diff == [
        f"report {report}: revision 1 → revision 2",
        f'    name: "{first_name}" → "Invoices, renamed"',
        "1 change(s).",
    ]
    missing = deployed.run("show", "report", report, "--revision", "9")
    assert missing.returncode == 1
    assert missing.stderr.startswith(f"server {deployed.server.url}: notFoundError: ")


def test_a_remote_revert_dry_run_then_a_conflict_then_force(deployed: Deployed) -> None:
    overwrite = deployed.changes()[0]["id"]
    dry = deployed.ok("revert", overwrite, "--dry-run").stdout.splitlines()
    assert dry[-1] == "Would revert: 3 updated."
    assert deployed.name_of("r1") == "Invoices, renamed"
    later = edited_file()
    later[0]["name"] = "Invoices, once more"
    with deployed.server.client() as client:
        deploy(client, deployed.collection, later)  # type: ignore[arg-type]
    refused = deployed.run("revert", overwrite)
    assert refused.returncode == 1
    newest = deployed.changes()[0]["id"]
    said = refused.stderr.splitlines()
    assert said[0] == (
        f"server {deployed.server.url}: revertConflict: a later change touched what this "
        "revert would restore:"
    )
    assert said[1] == (
        f'    report {deployed.ids["r1"]} "Invoices, renamed": changed later by change {newest}'
    )
    assert "--force" in said[2]
    assert deployed.name_of("r1") == "Invoices, once more"
    forced = json.loads(deployed.ok("revert", overwrite, "--force", "--json").stdout)
    assert sorted(i["action"] for i in forced) == ["updated"] * 3
    assert deployed.name_of("r1") not in {"Invoices, renamed", "Invoices, once more"}
    assert deployed.changes()[0]["kind"] == "revert"


def test_a_revert_whose_answer_was_lost_is_sent_again_with_its_key_and_reverts_once(
    deployed: Deployed,
) -> None:
    overwrite = deployed.changes()[0]["id"]
    with fault_proxy(deployed.server.url) as (url, proxy):
        proxy.faults.append(Fault("POST", REVERT, "503", after=True))
        reverted = deployed.ok("revert", overwrite, url=url).stdout.splitlines()
    tries = [s for s in proxy.seen if s.method == "POST" and s.path.startswith(REVERT)]
    assert [s.outcome for s in tries] == ["503 after", "forwarded"]
    assert len({s.idempotency_key for s in tries}) == 1
    assert tries[0].idempotency_key
    assert tries[1].replayed
    assert reverted[-1] == "Reverted: 3 updated."
    kinds = [c["kind"] for c in deployed.changes()]
    assert kinds == ["revert", "import", "import"]
