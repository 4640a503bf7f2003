"""One failure reporter for every command: a server's refusal, the client's own stops, a
domain error and a storage failure each as one line on stderr (and JSON with --json), exit 1."""

from __future__ import annotations

import json

import pytest

from application.deploy.delivery import Delivery
from application.deploy.errors import DirectoryIncomplete, ImportAnswerLost
from application.errors import StorageUnavailable
from application.ports.optimize_server import (
    ImportAnswerItem,
    ServerKind,
    ServerKindUnknown,
    ServerRefused,
)
from domain.errors import ImportFileInvalid
from entrypoints.cli.client_output import JsonProgress, PlainProgress
from entrypoints.cli.client_support import print_delivery
from entrypoints.cli.failures import reporting


def reported(error: Exception, *, as_json: bool = False) -> None:
    with pytest.raises(SystemExit) as ended, reporting(as_json=as_json):
        raise error
    assert ended.value.code == 1


def test_a_servers_refusal_names_the_server_then_its_error_code_and_extra_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    refusal = ServerRefused(
        404, "notFoundError", "Could not find collections with IDs [c]", {"ids": ["c"]},
        server="source https://optimize.example",
    )  # fmt: skip
    reported(refusal)
    assert capsys.readouterr().err.splitlines() == [
        "source https://optimize.example: notFoundError: Could not find collections with IDs [c]",
        'ids: ["c"]',
    ]


def test_with_json_the_failure_is_also_one_document_on_stdout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    reported(ServerKindUnknown("cannot tell", server="target http://t"), as_json=True)
    document = json.loads(capsys.readouterr().out)
    assert document == {
        "error": {
            "errorCode": "serverKindUnknown",
            "detailedMessage": "cannot tell",
            "server": "target http://t",
        }
    }


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (DirectoryIncomplete("not whole"), "directoryIncomplete: not whole"),
        (ImportFileInvalid("bad file"), "importFileInvalid: bad file"),
        (StorageUnavailable("db gone"), "(db gone)"),
        (OSError("disk full"), "fileError: disk full"),
    ],
    ids=["client", "domain", "storage", "file"],
)
def test_the_clients_own_stops_and_the_servers_errors_share_the_one_reporter(
    error: Exception, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    reported(error)
    assert line in capsys.readouterr().err


def test_a_lost_answer_that_landed_lists_what_it_created(
    capsys: pytest.CaptureFixture[str],
) -> None:
    reported(ImportAnswerLost("it landed", (ImportAnswerItem("n1", "report", "r1"),)))
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "importAnswerLost: it landed"
    assert json.loads(lines[1].removeprefix("landed: ")) == [
        {"id": "n1", "entityType": "report", "sourceId": "r1"}
    ]


def test_anything_else_is_a_bug_and_keeps_its_traceback() -> None:
    with pytest.raises(KeyError), reporting():
        raise KeyError("a bug")


# -- the end of a run -------------------------------------------------------------------------

DELIVERY = Delivery(
    "http://t",
    "c",
    ServerKind.BOARDPORT,
    converging=True,
    dry_run=False,
    entities=2,
    items=(
        ImportAnswerItem("n1", "report", "r1", "created"),
        ImportAnswerItem("n2", "dashboard", "d1", "updated"),
        ImportAnswerItem("old", "report", "gone", "deleted"),
    ),
)
ID_MAP = {"r1": "n1", "d1": "n2"}


def test_quiet_prints_the_summary_counts_only(capsys: pytest.CaptureFixture[str]) -> None:
    progress = PlainProgress(quiet=True)
    progress.waiting("waiting 1 s: the target answered 503")
    print_delivery(DELIVERY, ID_MAP, progress, id_map_file=None, as_json=False)
    assert capsys.readouterr().out == ("created 1  updated 1  unchanged 0  deleted 1  retries 1\n")


def test_the_summary_names_where_the_id_map_is_and_does_not_list_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_delivery(
        DELIVERY, ID_MAP, PlainProgress(quiet=False), id_map_file=None, as_json=False,
        kept_id_map="dir/.boardport/id-map.json",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "imported 2 entities into c at http://t, converging" in out
    assert "source id -> target id: dir/.boardport/id-map.json" in out
    assert "n1" not in out


def test_json_holds_the_id_map_the_counts_the_retries_and_the_deletes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    progress = JsonProgress()
    progress.waiting("waiting 1 s: the target answered 503")
    print_delivery(DELIVERY, ID_MAP, progress, id_map_file=None, as_json=True)
    document = json.loads(capsys.readouterr().out)
    assert document["idMap"] == ID_MAP
    assert document["retries"] == 1
    assert document["waits"] == ["waiting 1 s: the target answered 503"]
    assert document["counts"]["deleted"] == 1
    assert document["deleted"] == [{"id": "old", "entityType": "report", "sourceId": "gone"}]
    assert (document["targetKind"], document["converging"]) == ("boardport", True)
