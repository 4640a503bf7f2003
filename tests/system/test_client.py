"""boardport as a client, end to end with real processes on loopback: two `boardport serve`
(SQLite with the demo data, PostgreSQL empty), the `boardport` command, a fault proxy and a
client-credentials token server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from adapters.sqlmodel.migrate import upgrade_database
from entrypoints.cli.main import cli
from entrypoints.container import build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.settings import Settings
from tests.conftest import TOKEN
from tests.databases import postgres_database, unavailable
from tests.system.fault_proxy import Fault, fault_proxy
from tests.system.servers import Server, free_port, running_server
from tests.token_server import TokenServer

BOARDPORT = Path(sys.executable).with_name("boardport")
DEMO_COLLECTION = "7d1c0a52-6f4e-4b8e-9a51-3c2f1e0b9d11"
RUN_SECONDS = 120


@dataclass
class Servers:
    source: Server
    target: Server
    source_database: str


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    folder = tmp_path_factory.mktemp("client")
    source_url = f"sqlite:///{folder / 'source.sqlite3'}"
    demo = build_container(Settings(database_url=source_url))
    upgrade_database(demo.engine())
    demo.load_seed()(demo_seed())
    demo.engine().dispose()
    with postgres_database("boardport_client") as target_url:
        if target_url is None:
            unavailable("PostgreSQL is not reachable at BOARDPORT_TEST_POSTGRES_URL")
        assert target_url is not None
        with (
            running_server(source_url, folder) as source,
            running_server(target_url.render_as_string(hide_password=False), folder) as target,
        ):
            yield Servers(source, target, source_url)


def client_environ(**environ: str) -> dict[str, str]:
    """Static tokens unless the test says otherwise; quick retries; nothing of the caller's."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOARDPORT_", "CAMUNDA_", "ZEEBE_"))
    }
    return {
        **base,
        "BOARDPORT_SOURCE_TOKEN": TOKEN,
        "BOARDPORT_TARGET_TOKEN": TOKEN,
        "BOARDPORT_CLIENT_BACKOFF_SECONDS": "0.05",
        "BOARDPORT_CLIENT_ATTEMPTS": "4",
        **environ,
    }


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def boardport(*args: str, **environ: str) -> Run:
    """The command, run in this process against the real servers (a new process costs seconds
    of imports on a loaded machine; `boardport_process` runs one where it matters)."""
    runner = CliRunner()
    result = runner.invoke(cli, list(args), env=client_environ(**environ), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def boardport_process(*args: str, **environ: str) -> Run:
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(BOARDPORT), *args],
        env=client_environ(**environ),
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    return Run(result.returncode, result.stdout, result.stderr)


def new_collection(server: Server) -> str:
    with server.client() as client:
        answer = client.post("/api/public/collection/create", json={"name": "client test"})
        answer.raise_for_status()
        collection_id: str = answer.json()["id"]
        return collection_id


def exported(server: Server, collection_id: str) -> list[dict[str, Any]]:
    """Every entity of a collection, each once, as the server exports it."""
    found: dict[str, dict[str, Any]] = {}
    with server.client() as client:
        for kind in ("dashboard", "report"):
            ids = [
                i["id"]
                for i in client.get(
                    f"/api/public/{kind}", params={"collectionId": collection_id}
                ).json()
            ]
            answer = client.post(f"/api/public/export/{kind}/definition/json", json=ids)
            answer.raise_for_status()
            for entity in answer.json():
                found.setdefault(entity["id"], entity)
    return list(found.values())


def modulo_ids(entities: list[dict[str, Any]], id_map: dict[str, str]) -> list[str]:
    """Each entity as text, its ids and the ids it refers to read through `id_map`."""

    def rewritten(entity: dict[str, Any]) -> str:
        value = json.loads(json.dumps(entity))
        value["id"] = id_map.get(value["id"], value["id"])
        value.pop("collectionId", None)
        for tile in value.get("tiles", []):
            tile["id"] = id_map.get(tile["id"], tile["id"])
        if value["exportEntityType"] == "combined_report":
            for child in value["data"]["reports"]:
                child["id"] = id_map.get(child["id"], child["id"])
        return json.dumps(value, sort_keys=True)

    return sorted(rewritten(e) for e in entities)


def run_json(result: Run) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def migrate_args(target_collection: str, *, source: str, target: str) -> list[str]:
    """`boardport migrate` of the demo collection from `source` into a collection of `target`."""
    return [
        "migrate",
        "--from",
        source,
        "--collection",
        DEMO_COLLECTION,
        "--to",
        target,
        "--to-collection",
        target_collection,
    ]


def migrate(
    servers: Servers,
    target_collection: str,
    source_url: str | None = None,
    *extra: str,
    **environ: str,
) -> Run:
    return boardport(
        *migrate_args(
            target_collection, source=source_url or servers.source.url, target=servers.target.url
        ),
        "--json",
        *extra,
        **environ,
    )


def test_migrating_the_demo_collection_gives_the_target_the_same_entities_modulo_ids(
    servers: Servers,
) -> None:
    collection_id = new_collection(servers.target)
    document = run_json(
        boardport_process(
            *migrate_args(collection_id, source=servers.source.url, target=servers.target.url),
            "--batch-size",
            "1",
            "--json",
        )
    )
    source = exported(servers.source, DEMO_COLLECTION)
    assert document["counts"] == {
        "created": 8,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "failed": 0,
    }
    assert document["registeredDefinitions"] == []  # the import registered them itself
    with servers.target.client() as client:
        known = {d["key"] for d in client.get("/api/public/definition").json()}
    assert {"invoice", "invoiceClassification"} <= known
    assert modulo_ids(source, document["idMap"]) == modulo_ids(
        exported(servers.target, collection_id), {}
    )


def test_pulling_twice_gives_byte_identical_files(servers: Servers, tmp_path: Path) -> None:
    def pull() -> dict[str, bytes]:
        result = boardport(
            "pull", str(tmp_path), "--from", servers.source.url, "--collection", DEMO_COLLECTION
        )
        assert result.returncode == 0, result.stderr
        return {
            str(p.relative_to(tmp_path)): p.read_bytes()
            for p in sorted(tmp_path.rglob("*"))
            if p.is_file()
        }

    first = pull()
    assert len([p for p in first if p.startswith("reports/")]) == 6
    assert len([p for p in first if p.startswith("dashboards/")]) == 2
    assert len([p for p in first if p.startswith("definitions/")]) == 2
    assert pull() == first


def test_a_pulled_directory_pushed_gives_the_target_the_same_entities_modulo_ids(
    servers: Servers, tmp_path: Path
) -> None:
    pulled = boardport(
        "pull", str(tmp_path), "--from", servers.source.url, "--collection", DEMO_COLLECTION
    )
    assert pulled.returncode == 0, pulled.stderr
    collection_id = new_collection(servers.target)
    document = run_json(
        boardport(
            "push",
            str(tmp_path),
            "--to",
            servers.target.url,
            "--collection",
            collection_id,
            "--json",
        )
    )
    assert modulo_ids(exported(servers.source, DEMO_COLLECTION), document["idMap"]) == modulo_ids(
        exported(servers.target, collection_id), {}
    )
    assert json.loads((tmp_path / ".boardport" / "id-map.json").read_text()) == document["idMap"]


def test_editing_a_file_and_pushing_again_updates_only_that_entity(
    servers: Servers, tmp_path: Path
) -> None:
    boardport("pull", str(tmp_path), "--from", servers.source.url, "--collection", DEMO_COLLECTION)
    collection_id = new_collection(servers.target)
    push = (
        "push",
        str(tmp_path),
        "--to",
        servers.target.url,
        "--collection",
        collection_id,
        "--json",
    )
    run_json(boardport(*push))
    assert run_json(boardport(*push))["counts"]["unchanged"] == 8  # a re-push changes nothing
    report = sorted((tmp_path / "reports").glob("*.json"))[0]
    entity = json.loads(report.read_text())
    entity["name"] = "Renamed in Git"
    report.write_text(json.dumps(entity, indent=2))
    document = run_json(boardport(*push))
    assert document["counts"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 7,
        "deleted": 0,
        "failed": 0,
    }


# -- faults -----------------------------------------------------------------------------------


def test_503_twice_then_success(servers: Servers) -> None:
    with fault_proxy(servers.source.url) as (url, proxy):
        proxy.faults.append(Fault("POST", "/api/public/export/dashboard", "503", times=2))
        document = run_json(migrate(servers, new_collection(servers.target), url))
    assert proxy.outcomes("POST", "/api/public/export/dashboard") == ["503", "503", "forwarded"]
    assert document["counts"]["created"] == 8


def test_429_with_retry_after(servers: Servers) -> None:
    with fault_proxy(servers.source.url) as (url, proxy):
        proxy.faults.append(Fault("GET", "/api/public/dashboard", "429", retry_after="1"))
        document = run_json(migrate(servers, new_collection(servers.target), url))
    assert proxy.outcomes("GET", "/api/public/dashboard") == ["429", "forwarded"]
    assert document["counts"]["created"] == 8


def test_a_connection_dropped_mid_export(servers: Servers) -> None:
    with fault_proxy(servers.source.url) as (url, proxy):
        proxy.faults.append(Fault("POST", "/api/public/export/dashboard", "cut"))
        document = run_json(migrate(servers, new_collection(servers.target), url))
    assert proxy.outcomes("POST", "/api/public/export/dashboard") == ["cut", "forwarded"]
    assert document["counts"]["created"] == 8


def test_a_token_that_expires_mid_run_is_fetched_again(servers: Servers) -> None:
    secret = "client-secret-value"
    calls = {"n": 0}

    def authorize(header: str | None) -> str | None:
        calls["n"] += 1
        if calls["n"] == 3:
            tokens.expire_all()  # the token in use runs out between two calls
        presented = (header or "").removeprefix("Bearer ")
        return f"Bearer {TOKEN}" if tokens.valid(presented) else None

    with (
        TokenServer(clients={"boardport-ci": secret}) as tokens,
        fault_proxy(servers.source.url) as (url, proxy),
    ):
        proxy.authorize = authorize
        result = migrate(
            servers,
            new_collection(servers.target),
            url,
            BOARDPORT_SOURCE_TOKEN="",
            BOARDPORT_SOURCE_TOKEN_URL=tokens.token_url,
            BOARDPORT_SOURCE_CLIENT_ID="boardport-ci",
            BOARDPORT_SOURCE_CLIENT_SECRET=secret,
            BOARDPORT_SOURCE_AUDIENCE=tokens.audience,
        )
    document = run_json(result)
    assert len(tokens.granted) == 2
    expected_form = {
        "grant_type": "client_credentials",
        "client_id": "boardport-ci",
        "client_secret": secret,
        "audience": tokens.audience,
    }
    assert [r.form for r in tokens.grant_requests] == [expected_form] * 2
    assert all(
        r.content_type.startswith("application/x-www-form-urlencoded")
        for r in tokens.grant_requests
    )
    assert [s.outcome for s in proxy.seen].count("401") == 1
    assert document["counts"]["created"] == 8


def test_a_target_down_for_the_whole_run_is_a_clear_failure(servers: Servers) -> None:
    result = boardport(
        *migrate_args("any", source=servers.source.url, target=f"http://127.0.0.1:{free_port()}"),
    )
    assert result.returncode == 1
    assert "serverKindUnknown: cannot tell whether" in result.stderr
    assert "after 4 attempt(s)" in result.stderr


def test_a_target_that_drops_every_import_has_nothing_half_imported(servers: Servers) -> None:
    collection_id = new_collection(servers.target)
    with fault_proxy(servers.target.url) as (url, proxy):
        proxy.faults.append(Fault("POST", "/api/public/import", "drop", times=100))
        result = boardport(
            *migrate_args(collection_id, source=servers.source.url, target=url),
        )
    assert result.returncode == 1
    assert "serverUnreachable:" in result.stderr
    assert proxy.outcomes("POST", "/api/public/import") == ["drop"] * 4  # with its key each time
    assert (
        len({s.idempotency_key for s in proxy.seen if s.path.startswith("/api/public/import")}) == 1
    )
    assert exported(servers.target, collection_id) == []


def test_a_plain_import_whose_answer_is_dropped_is_not_sent_twice(servers: Servers) -> None:
    collection_id = new_collection(servers.target)
    with fault_proxy(servers.target.url) as (url, proxy):
        proxy.faults.append(Fault("POST", "/api/public/import", "drop", times=100))
        result = boardport(
            *migrate_args(collection_id, source=servers.source.url, target=url), "--new-copies"
        )
    assert result.returncode == 1
    assert "importAnswerLost:" in result.stderr
    assert "cannot be told" in result.stderr
    assert proxy.outcomes("POST", "/api/public/import") == ["drop"]
    assert exported(servers.target, collection_id) == []


def test_an_import_the_target_refuses_exits_1_with_its_error_code(servers: Servers) -> None:
    result = boardport(
        *migrate_args("no-such-collection", source=servers.source.url, target=servers.target.url),
        "--no-prepare",
    )
    assert result.returncode == 1
    assert (
        "notFoundError: Could not find collections with IDs [no-such-collection]" in result.stderr
    )


def test_usage_errors_exit_2(servers: Servers) -> None:
    result = boardport(
        "pull", "somewhere", "--collection", DEMO_COLLECTION, BOARDPORT_SOURCE_TOKEN=""
    )
    assert result.returncode == 2
    assert "--from" in result.stderr


def test_listing_a_collection_from_the_local_database_and_from_a_server(servers: Servers) -> None:
    local = boardport(
        "list",
        "reports",
        "--collection",
        DEMO_COLLECTION,
        BOARDPORT_DATABASE_URL=servers.source_database,
    )
    remote = boardport(
        "list", "reports", "--collection", DEMO_COLLECTION, "--from", servers.source.url
    )
    assert local.returncode == remote.returncode == 0, local.stderr + remote.stderr
    assert sorted(local.stdout.splitlines()) == sorted(remote.stdout.splitlines())
    assert len(local.stdout.splitlines()) == 6
    assert (
        "combined_report\t6152382f-f263-404e-bc4d-69430e975662\tApprovals vs. rejections per week"
        in local.stdout
    )
