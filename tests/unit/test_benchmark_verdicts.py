"""The benchmark harness's verdicts: a floor that answered other bytes, or a load test that saw
errors, is a MISS whatever the ratio; and the README's table is the one RESULTS.md generates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from benchmarks.readme_table import README, RESULTS, readme_table
from benchmarks.results import (
    BIG_EXPORT,
    BOARDPORT_P99,
    BOARDPORT_RPS,
    BOARDPORT_TIME,
    FLOOR_P99,
    FLOOR_RPS,
    FLOOR_TIME,
    ONE_EXPORT,
    Results,
    Sample,
    summarize,
)


def _verdicts(samples: list[Sample]) -> dict[str, str]:
    return {row.figure: row.verdict for row in summarize(Results(samples))}


def _big_export(*, floor_fault: bool) -> list[Sample]:
    return [
        Sample("sqlite", BIG_EXPORT, "3kb", BOARDPORT_TIME, 1, 0.2, "s"),
        Sample("sqlite", BIG_EXPORT, "3kb", FLOOR_TIME, 1, 0.1, "s", "differ", floor_fault),
    ]


def test_a_floor_that_answered_other_bytes_makes_its_target_a_miss() -> None:
    assert _verdicts(_big_export(floor_fault=False))["time vs floor"] == "PASS"
    assert _verdicts(_big_export(floor_fault=True))["time vs floor"] == "MISS"


@pytest.mark.parametrize("faulty", [BOARDPORT_RPS, FLOOR_RPS, BOARDPORT_P99, FLOOR_P99])
def test_a_load_test_with_errors_makes_its_targets_a_miss(faulty: str) -> None:
    figures = {BOARDPORT_RPS: 900.0, FLOOR_RPS: 1000.0, BOARDPORT_P99: 0.002, FLOOR_P99: 0.002}
    samples = [
        Sample("sqlite", ONE_EXPORT, "seed", name, 1, value, "s", "", name == faulty)
        for name, value in figures.items()
    ]
    verdicts = _verdicts(samples)
    clean = _verdicts([replace(s, fault=False) for s in samples])
    assert set(clean.values()) == {"PASS"}
    target = (
        "requests/s vs floor" if faulty in {BOARDPORT_RPS, FLOOR_RPS} else "p99 latency vs floor"
    )
    assert verdicts[target] == "MISS"


def test_the_readme_performance_table_is_generated_from_results_md() -> None:
    expected = readme_table(RESULTS.read_text(encoding="utf-8"))
    assert expected in README.read_text(encoding="utf-8")
