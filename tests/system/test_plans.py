"""`boardport plan` against a real boardport (issue 21), its target on SQLite and PostgreSQL: the
demo collection pulled, pushed into a collection of its own, one edit made to the directory as
a person makes it, and the plan printed exactly. After each plan the target's exports are
byte-identical to what they were before it."""

# ruff: noqa: RUF001 - the plan writes a tile's size with the multiplication sign
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.collection_directory import MANIFEST
from tests.conftest import TOKEN
from tests.system.deploys import DeployServers, document, fresh_collection
from tests.system.servers import Server
from tests.system.test_client import Run, boardport, migrate_args
from tests.system.test_converging_pushes import pull, push

Entity = dict[str, Any]


@dataclass
class Deployed:
    """A pulled directory pushed once into a collection of the target."""

    directory: Path
    collection: str
    url: str
    ids: dict[str, str]
    """The target's id of each entity, by its id in the directory."""
    target: Server

    def plan(self, *extra: str) -> Run:
        """The plan, checked to have left the target's content as it was."""
        before = export_bytes(self.target, self.collection)
        run = boardport(
            "plan", str(self.directory), "--to", self.url, "--collection", self.collection, *extra
        )
        assert export_bytes(self.target, self.collection) == before
        return run

    def heading(self) -> str:
        return (
            f"Plan for collection {self.collection} at {self.url}: the target's dry run of "
            "this import; nothing was written.\n\n"
        )


@pytest.fixture
def deployed(converging: DeployServers, tmp_path: Path) -> Deployed:
    pull(converging, tmp_path)
    collection = fresh_collection(converging)
    pushed = document(push(tmp_path, converging.target.url, collection))
    return Deployed(tmp_path, collection, converging.target.url, pushed["idMap"], converging.target)


def export_bytes(server: Server, collection_id: str) -> bytes:
    """The collection's dashboards and reports exported, as the server sends them."""
    answers = []
    with server.client() as client:
        for kind in ("dashboard", "report"):
            listed = client.get(f"/api/public/{kind}", params={"collectionId": collection_id})
            ids = sorted(i["id"] for i in listed.raise_for_status().json())
            answer = client.post(f"/api/public/export/{kind}/definition/json", json=ids)
            answers.append(answer.raise_for_status().content)
    return b"\n".join(answers)


def edit(directory: Path, file_start: str, change: Callable[[Entity], object]) -> str:
    """Changes the one entity file whose name starts so, as a person edits it; its id."""
    (path,) = directory.glob(f"*/{file_start}*.json")
    entity = json.loads(path.read_text(encoding="utf-8"))
    change(entity)
    path.write_text(json.dumps(entity, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(entity["id"])


def tiles(entity: Entity) -> Iterator[Entity]:
    return iter(entity["tiles"])


def report_tile(id_start: str) -> Callable[[Entity], Entity]:
    """The tile of the report whose id starts so, in an overview dashboard."""
    return lambda dashboard: next(t for t in tiles(dashboard) if t["id"].startswith(id_start))


def test_a_renamed_report_is_one_change_of_its_name(deployed: Deployed) -> None:
    report = edit(deployed.directory, "invoices-approved", lambda r: r.update(name="Approvals"))
    run = deployed.plan()
    assert (run.returncode, run.stdout) == (
        2,
        deployed.heading()
        + f'~ report    "Approvals" {deployed.ids[report]}\n'
        + '    name: "Invoices approved per week" → "Approvals"\n\n'
        + "Plan: 0 to create, 1 to update, 0 to delete, 7 unchanged.\n",
    )


def test_a_moved_tile_and_a_resized_tile_are_said_in_words(deployed: Deployed) -> None:
    def layout(dashboard: Entity) -> None:
        report_tile("6441b60c")(dashboard)["position"] = {"x": 6, "y": 0}
        report_tile("922176a0")(dashboard)["dimensions"] = {"width": 12, "height": 8}

    dashboard = edit(deployed.directory, "invoice-approval-overview", layout)
    run = deployed.plan()
    assert (run.returncode, run.stdout) == (
        2,
        deployed.heading()
        + f'~ dashboard "Invoice approval overview" {deployed.ids[dashboard]}\n'
        + '    tile "Open invoices over 10 000 EUR" moved from (12,0) to (6,0)\n'
        + '    tile "Invoices approved per week" resized from 9×5 to 12×8\n\n'
        + "Plan: 0 to create, 1 to update, 0 to delete, 7 unchanged.\n",
    )


def test_a_text_tiles_new_words_are_one_change_inside_the_tile(deployed: Deployed) -> None:
    def reword(dashboard: Entity) -> None:
        text = next(t for t in tiles(dashboard) if t["type"] == "text")
        text["configuration"]["text"]["root"]["children"][0]["children"][0]["text"] = "Invoices"

    dashboard = edit(deployed.directory, "invoice-approval-overview", reword)
    run = deployed.plan()
    assert (run.returncode, run.stdout) == (
        2,
        deployed.heading()
        + f'~ dashboard "Invoice approval overview" {deployed.ids[dashboard]}\n'
        + "    text tile #1: configuration.text.root.children[0].children[0].text: "
        + '"Invoice approval at a glance" → "Invoices"\n\n'
        + "Plan: 0 to create, 1 to update, 0 to delete, 7 unchanged.\n",
    )


def versions(report: Entity, *chosen: str) -> None:
    report["data"]["definitions"][0]["versions"] = list(chosen)


def test_a_reports_definition_version(deployed: Deployed) -> None:
    report = edit(deployed.directory, "approval-time", lambda r: versions(r, "1"))
    run = deployed.plan()
    assert (run.returncode, run.stdout) == (
        2,
        deployed.heading()
        + f'~ report    "Approval time by approver group" {deployed.ids[report]}\n'
        + '    data.definitions[invoice].versions[0]: "all" → "1"\n\n'
        + "Plan: 0 to create, 1 to update, 0 to delete, 7 unchanged.\n",
    )


def test_a_new_version_on_the_target_changes_the_xml_of_each_report_on_all_versions(
    deployed: Deployed,
) -> None:
    """The import stores the target's XML of the version a report resolves to: version 2
    registered there, a report that names it, and the four that name "all", get its XML."""
    old = (deployed.directory / "definitions" / "invoice-all.bpmn").read_text(encoding="utf-8")
    new = old.replace('name="Invoice Approval"', 'name="Invoice Approval 2"')
    assert new != old
    register(deployed, new)
    chosen = edit(deployed.directory, "approval-time", lambda r: versions(r, "2"))
    xml = f"definition XML changed (sha256 {digest(old)} → {digest(new)})"
    on_all = [
        edit(deployed.directory, start, lambda _: None)
        for start in ("invoices-approved", "invoices-rejected", "open-invoices")
    ]
    expected = [
        (
            f'~ report    "Approval time by approver group" {deployed.ids[chosen]}\n'
            f"    {xml}\n"
            '    data.definitions[invoice].versions[0]: "all" → "2"\n'
        ),
        *(f"~ report    {name(deployed, i)} {deployed.ids[i]}\n    {xml}\n" for i in on_all),
    ]
    run = deployed.plan()
    assert (run.returncode, run.stdout) == (
        2,
        deployed.heading()
        + "".join(expected)
        + "\nPlan: 0 to create, 4 to update, 0 to delete, 4 unchanged.\n",
    )


def register(deployed: Deployed, xml: str) -> None:
    answer = httpx.post(
        f"{deployed.url}/api/public/definition",
        json={"type": "process", "version": "2", "tenantId": "<default>", "xml": xml},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    answer.raise_for_status()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8] + "…"


def name(deployed: Deployed, source_id: str) -> str:
    (path,) = deployed.directory.glob(f"reports/*{source_id}.json")
    return json.dumps(json.loads(path.read_text(encoding="utf-8"))["name"])


RUNNING = {"type": "runningInstancesOnly", "filterLevel": "instance", "data": None}


def test_a_filter_added(deployed: Deployed) -> None:
    report = edit(
        deployed.directory, "invoices-rejected", lambda r: r["data"]["filter"].append(RUNNING)
    )
    run = deployed.plan()
    assert (run.returncode, run.stdout) == (
        2,
        deployed.heading()
        + f'~ report    "Invoices rejected per week" {deployed.ids[report]}\n'
        + '    data.filter[2] added: {"type": "runningInstancesOnly", "filterLevel": "instance", '
        + '"data": null}\n\n'
        + "Plan: 0 to create, 1 to update, 0 to delete, 7 unchanged.\n",
    )


def forget(directory: Path, file_start: str) -> str:
    """A file deleted, and its line in boardport.json: how an entity leaves a directory."""
    (path,) = directory.glob(f"*/{file_start}*.json")
    entity_id = str(json.loads(path.read_text(encoding="utf-8"))["id"])
    path.unlink()
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    del manifest["entities"][entity_id]
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return entity_id


def test_a_file_deleted_is_a_delete_under_prune(deployed: Deployed) -> None:
    dashboard = forget(deployed.directory, "invoice-classification-decisions")
    run = deployed.plan("--prune")
    assert (run.returncode, run.stdout) == (
        2,
        deployed.heading()
        + f'- dashboard "Invoice classification decisions" {deployed.ids[dashboard]}\n\n'
        + "Plan: 0 to create, 0 to update, 1 to delete, 7 unchanged.\n",
    )
    without_prune = deployed.plan()
    assert (without_prune.returncode, without_prune.stdout.splitlines()[-1]) == (
        0,
        "Plan: 0 to create, 0 to update, 0 to delete, 7 unchanged.",
    )


def test_a_file_deleted_but_still_listed_stops_the_plan_naming_it(deployed: Deployed) -> None:
    (path,) = deployed.directory.glob("dashboards/invoice-classification-decisions*.json")
    path.unlink()
    run = deployed.plan("--prune")
    assert run.returncode == 1
    assert "directoryIncomplete" in run.stderr
    assert f"dashboards/{path.name}" in run.stderr
    assert "remove its file and its line in boardport.json" in run.stderr


def test_nothing_changed_plans_nothing_and_exits_0(deployed: Deployed) -> None:
    run = deployed.plan()
    assert (run.returncode, run.stdout) == (
        0,
        deployed.heading()
        + "No changes: the collection already holds what the file says.\n"
        + "Plan: 0 to create, 0 to update, 0 to delete, 8 unchanged.\n",
    )


def test_a_migrate_plan_into_a_new_collection_creates_everything_as_one_document(
    converging: DeployServers,
) -> None:
    collection = fresh_collection(converging)
    before = export_bytes(converging.target, collection)
    args = migrate_args(collection, source=converging.source.url, target=converging.target.url)
    run = boardport(*args, "--plan", "--json")
    assert run.returncode == 2, run.stderr
    plan = json.loads(run.stdout)
    assert plan["counts"] == {"create": 8, "update": 0, "delete": 0, "unchanged": 0}
    assert {e["action"] for e in plan["entities"]} == {"create"}
    assert export_bytes(converging.target, collection) == before
