"""The CLI of issue 3 through click's runner: collections, definitions, import, delete, and the
worked example that moves dashboards from one boardport database into another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from entrypoints.cli.main import cli
from entrypoints.container import Container
from tests.builders.wire import Entity, dashboard_entity, process_report_entity
from tests.conftest import TOKEN
from tests.e2e.importing import (
    DEMO_DECISION_DASHBOARD,
    DEMO_FOLDER,
    DEMO_OVERVIEW_DASHBOARD,
    Client,
    assert_collection_empty,
    by_id,
    ids_in,
    new_ids,
)
from tests.exporting import exported

BPMN_FILE = DEMO_FOLDER / "invoice.bpmn"
DMN_FILE = DEMO_FOLDER / "invoice-classification.dmn"


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BOARDPORT_DATABASE_URL", database_url)
    monkeypatch.setenv("BOARDPORT_API_ACCESS_TOKEN", TOKEN)
    return CliRunner()


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.stderr, result.exception)
    return result


def invoke(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(cli, list(args), env=env)


def create(runner: CliRunner, name: str = "Target", env: dict[str, str] | None = None) -> str:
    collection_id = ok(invoke(runner, "collections", "create", name, env=env)).stdout.strip()
    assert collection_id
    assert "\n" not in collection_id
    return collection_id


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def small_file(tmp_path: Path) -> Path:
    return write_json(
        tmp_path / "small.json",
        [
            process_report_entity("r1"),
            process_report_entity("r2"),
            dashboard_entity("dash", ["r1", "r2"]),
        ],
    )


def prepared(runner: CliRunner, file: Path) -> str:
    collection_id = create(runner)
    ok(invoke(runner, "definitions", "from-export", str(file), "--collection", collection_id))
    return collection_id


def items(result: Result) -> list[Entity]:
    parsed: list[Entity] = json.loads(result.stdout)
    return parsed


# --- collections -----------------------------------------------------------------------------


def test_collections_create_prints_the_new_id_and_list_shows_it(
    runner: CliRunner, container: Container
) -> None:
    collection_id = create(runner, "Operations")
    assert container.get_collection()(collection_id).name == "Operations"
    listed = ok(invoke(runner, "collections", "list")).stdout
    assert f"{collection_id}\tOperations\t(empty scope)" in listed.splitlines()


def test_collections_scope_adds_a_process_for_a_tenant(
    runner: CliRunner, container: Container
) -> None:
    collection_id = create(runner)
    result = ok(
        invoke(
            runner, "collections", "scope", collection_id, "--process", "invoice", "--tenant", "t1"
        )
    )
    assert "process:invoice [t1]" in result.stdout
    ok(invoke(runner, "collections", "scope", collection_id, "--process", "invoice"))
    (entry,) = container.get_collection()(collection_id).scope
    assert (entry.key, entry.tenants) == ("invoice", ("t1", None))
    assert "process:invoice [t1, null]" in ok(invoke(runner, "collections", "list")).stdout


def test_collections_scope_of_an_unknown_collection_fails_with_not_found(
    runner: CliRunner,
) -> None:
    result = invoke(runner, "collections", "scope", "nope", "--process", "invoice")
    assert result.exit_code == 1
    assert "notFoundError: Could not find collections with IDs [nope]" in result.stderr


# --- definitions -----------------------------------------------------------------------------


def test_definitions_add_registers_a_bpmn_file_with_an_optional_version_and_tenant(
    runner: CliRunner, container: Container
) -> None:
    first = ok(invoke(runner, "definitions", "add", str(BPMN_FILE))).stdout
    assert first.strip() == "process\tinvoice\tversion 1\ttenant -\tInvoice Approval\twith XML"
    chosen = ok(
        invoke(runner, "definitions", "add", str(BPMN_FILE), "--version", "5", "--tenant", "t1")
    ).stdout
    assert chosen.strip() == "process\tinvoice\tversion 5\ttenant t1\tInvoice Approval\twith XML"
    decision = ok(invoke(runner, "definitions", "add", str(DMN_FILE))).stdout
    assert decision.startswith("decision\tinvoiceClassification\tversion 1\t")
    registered = {(d.key, d.version, d.tenant_id) for d in container.list_definitions()()}
    assert registered == {
        ("invoice", "1", None),
        ("invoice", "5", "t1"),
        ("invoiceClassification", "1", None),
    }
    assert len(ok(invoke(runner, "definitions", "list")).stdout.splitlines()) == 3


def test_definitions_add_refuses_a_file_with_a_doctype(
    runner: CliRunner, container: Container, tmp_path: Path
) -> None:
    evil = tmp_path / "evil.bpmn"
    evil.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        '<process id="p" name="&x;"/></definitions>',
        encoding="utf-8",
    )
    result = invoke(runner, "definitions", "add", str(evil))
    assert result.exit_code == 1
    assert result.stderr.startswith("badRequestError: ")
    assert container.list_definitions()() == []


def test_definitions_from_export_registers_once_and_scopes_the_collection(
    runner: CliRunner, container: Container, tmp_path: Path
) -> None:
    file = small_file(tmp_path)
    collection_id = create(runner)
    arguments = ("definitions", "from-export", str(file), "--collection", collection_id)
    first = ok(invoke(runner, *arguments)).stdout
    assert "1 definition version(s) registered" in first
    assert f"collection {collection_id} scope: process:invoice" in first
    second = ok(invoke(runner, *arguments)).stdout
    assert "0 definition version(s) registered" in second
    assert [d.key for d in container.list_definitions()()] == ["invoice"]
    (entry,) = container.get_collection()(collection_id).scope
    assert (entry.key, entry.tenants) == ("invoice", (None,))


# --- import ----------------------------------------------------------------------------------


def test_import_dry_run_prints_the_items_with_null_ids_and_writes_nothing(
    runner: CliRunner, client: Client, tmp_path: Path
) -> None:
    file = small_file(tmp_path)
    collection_id = prepared(runner, file)
    result = ok(invoke(runner, "import", str(file), "--collection", collection_id, "--dry-run"))
    current = {"readAsRelease": "3.11 to 8.10"}  # a dry run says which format it read
    assert items(result) == [
        {"id": None, "entityType": "report", "sourceId": "r1", **current},
        {"id": None, "entityType": "report", "sourceId": "r2", **current},
        {"id": None, "entityType": "dashboard", "sourceId": "dash", **current},
    ]
    assert "dry run, nothing written" in result.stderr
    assert_collection_empty(client, collection_id)


def test_the_cli_imports_with_the_cyclic_collector_paused_and_resumes_it(
    runner: CliRunner, tmp_path: Path, collector_at_reads: list[bool]
) -> None:
    file = small_file(tmp_path)
    collection_id = prepared(runner, file)
    collector_at_reads.clear()  # what `definitions from-export` read
    ok(invoke(runner, "import", str(file), "--collection", collection_id))
    assert collector_at_reads == [False]


def test_import_prints_the_json_items_of_what_it_created(
    runner: CliRunner, client: Client, tmp_path: Path
) -> None:
    file = small_file(tmp_path)
    collection_id = prepared(runner, file)
    answer = items(ok(invoke(runner, "import", str(file), "--collection", collection_id)))
    assert [(i["entityType"], i["sourceId"]) for i in answer] == [
        ("report", "r1"),
        ("report", "r2"),
        ("dashboard", "dash"),
    ]
    assert sorted(ids_in(client, "report", collection_id)) == sorted(new_ids(answer, "report"))
    assert ids_in(client, "dashboard", collection_id) == new_ids(answer, "dashboard")


def test_delete_dashboard_and_delete_report_remove_them(
    runner: CliRunner, container: Container
) -> None:
    ok(invoke(runner, "demo"))
    assert ok(invoke(runner, "delete", "dashboard", "123")).stdout.strip() == (
        "deleted dashboard 123"
    )
    report = "94a7252e-d5c3-45ea-9906-75271cc0cac2"
    assert ok(invoke(runner, "delete", "report", report)).stdout.strip() == (
        f"deleted report {report}"
    )
    dashboard_456 = json.loads(ok(invoke(runner, "export", "dashboards", "456")).stdout)
    assert dashboard_456[-1]["tiles"] == []
    missing = invoke(runner, "export", "dashboards", "123")
    assert missing.exit_code == 1
    kept = ["61ae2232-51e1-4c35-b72c-c7152ba264f9"]
    assert len(json.loads(exported(container.export_uncached(), "reports", kept))) == 1


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (("import", "{small}", "--collection", "nope"), "notFoundError: "),
        (("import", "{invalid}", "--collection", "{collection}"), "importFileInvalid: "),
        (("import", "{unknown}", "--collection", "{collection}"), "importDefinitionDoesNotExist: "),
        (("definitions", "from-export", "{invalid}"), "importFileInvalid: "),
        (("delete", "report", "nope"), "notFoundError: Could not find reports with IDs [nope]"),
        (
            ("delete", "dashboard", "nope"),
            "notFoundError: Could not find dashboards with IDs [nope]",
        ),
    ],
    ids=[
        "unknown-collection",
        "invalid-file",
        "unknown-definition",
        "from-export-invalid",
        "unknown-report",
        "unknown-dashboard",
    ],
)
def test_a_cli_error_prints_the_error_code_and_message_and_exits_1(
    runner: CliRunner,
    client: Client,
    tmp_path: Path,
    arguments: tuple[str, ...],
    expected: str,
) -> None:
    small = small_file(tmp_path)
    invalid = tmp_path / "invalid.json"
    invalid.write_text('[{"id": "r1"', encoding="utf-8")
    unknown = write_json(tmp_path / "unknown.json", [process_report_entity("r9", key="shipping")])
    collection_id = prepared(runner, small)
    names = {"small": small, "invalid": invalid, "unknown": unknown, "collection": collection_id}
    result = invoke(runner, *(a.format(**names) for a in arguments))
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr
    assert result.stdout == ""
    assert_collection_empty(client, collection_id)


def test_an_unknown_definition_prints_the_definitions_field_too(
    runner: CliRunner, tmp_path: Path
) -> None:
    file = write_json(tmp_path / "f.json", [process_report_entity("r9", key="shipping")])
    collection_id = create(runner)
    result = invoke(runner, "import", str(file), "--collection", collection_id)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("importDefinitionDoesNotExist: ")
    assert json.loads(lines[1].removeprefix("definitions: ")) == [
        {"type": "process", "key": "shipping", "versions": ["all"], "tenantIds": [None]}
    ]


# --- the worked example ----------------------------------------------------------------------


def test_dashboards_exported_from_one_database_import_into_another_and_export_the_same(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    source = {
        "BOARDPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'source.sqlite3'}",
        "BOARDPORT_API_ACCESS_TOKEN": TOKEN,
    }
    target = {**source, "BOARDPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'target.sqlite3'}"}
    dashboards = ["123", "456", DEMO_OVERVIEW_DASHBOARD, DEMO_DECISION_DASHBOARD]
    exported_file = tmp_path / "dashboards.json"

    ok(invoke(runner, "demo", env=source))
    ok(invoke(runner, "export", "dashboards", *dashboards, "-o", str(exported_file), env=source))
    original: list[Entity] = json.loads(exported_file.read_text(encoding="utf-8"))

    ok(invoke(runner, "db", "upgrade", env=target))
    collection_id = create(runner, "Production", env=target)
    prepared_output = ok(
        invoke(
            runner,
            "definitions",
            "from-export",
            str(exported_file),
            "--collection",
            collection_id,
            env=target,
        )
    ).stdout
    assert "2 definition version(s) registered" in prepared_output
    answer = items(
        ok(invoke(runner, "import", str(exported_file), "--collection", collection_id, env=target))
    )
    assert [i["sourceId"] for i in answer] == [e["id"] for e in original]
    ids = {i["sourceId"]: i["id"] for i in answer}
    again_file = tmp_path / "again.json"
    ok(
        invoke(
            runner,
            "export",
            "dashboards",
            *[ids[d] for d in dashboards],
            "-o",
            str(again_file),
            env=target,
        )
    )
    again: list[Entity] = json.loads(again_file.read_text(encoding="utf-8"))
    assert [e["id"] for e in again] == [ids[e["id"]] for e in original]
    assert by_id(again) == by_id(original, ids)
    assert {e["collectionId"] for e in again} == {collection_id}
    source_listing = ok(invoke(runner, "collections", "list", env=source)).stdout
    assert collection_id not in source_listing


def test_the_cli_import_keeps_the_configured_json_depth(runner: CliRunner, tmp_path: Path) -> None:
    collection_id = create(runner)
    nested: object = "deep"
    for _ in range(20):
        nested = [nested]
    deep_file = write_json(
        tmp_path / "deep.json", [process_report_entity("r1") | {"extra": nested}]
    )
    env = {"BOARDPORT_MAX_JSON_DEPTH": "12"}
    for command in (
        ["import", str(deep_file), "--collection", collection_id],
        ["definitions", "from-export", str(deep_file)],
    ):
        result = invoke(runner, *command, env=env)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("importFileInvalid: "), result.stderr
        assert "nested deeper than 12 levels" in result.stderr
