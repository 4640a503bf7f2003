"""The exit status of a command that plans (issue 21): 2 says that changes are planned, so its
usage errors exit 1; the other commands keep click's 2. A selector with --prune is a usage
error everywhere. All of these stop before any server is asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from entrypoints.cli.main import cli

NOWHERE = "http://127.0.0.1:9"
"""Never reached: each command here stops at its options."""


def run(*args: str) -> tuple[int, str]:
    environ = {"BOARDPORT_SOURCE_TOKEN": "t" * 32, "BOARDPORT_TARGET_TOKEN": "t" * 32}
    result = CliRunner().invoke(cli, list(args), env=environ, catch_exceptions=False)
    return result.exit_code, result.stderr


MIGRATE = ("migrate", "--from", NOWHERE, "--collection", "c", "--to", NOWHERE)


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (("plan", "{dir}", "--to", NOWHERE, "--collection", "c", "--prune", "--name", "x*"), 1),
        (("push", "{dir}", "--to", NOWHERE, "--collection", "c", "--prune", "--report", "r"), 2),
        ((*MIGRATE, "--to-collection", "t", "--prune", "--dashboard", "d", "--plan"), 1),
        ((*MIGRATE, "--to-collection", "t", "--prune", "--dashboard", "d"), 2),
    ],
)
def test_a_selector_with_prune_is_a_usage_error(
    args: tuple[str, ...], status: int, tmp_path: Path
) -> None:
    code, said = run(*(a.format(dir=tmp_path) for a in args))
    assert code == status
    assert "--prune deletes what the file lacks, and a selector leaves out the rest" in said


def test_a_plans_missing_option_exits_1_and_a_migrates_without_plan_exits_2() -> None:
    assert run("plan", "/nowhere", "--to", NOWHERE, "--collection", "c")[0] == 1
    assert run(*MIGRATE, "--plan")[0] == 1
    assert run(*MIGRATE)[0] == 2


def test_selectors_on_list_need_a_server() -> None:
    code, said = run("list", "dashboards", "--collection", "c", "--name", "x")
    assert code == 2
    assert "give --from" in said
