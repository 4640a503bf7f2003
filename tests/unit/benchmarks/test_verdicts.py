"""The benchmark harness's verdicts: a floor that answered other bytes, or a load test that saw
errors, is a MISS whatever the ratio; and benchmarks/README.md's table is the one RESULTS.md
generates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from benchmarks.readme_table import README, RESULTS, generated_part, readme_table, with_table
from benchmarks.results import (
    BATCH_BOUND,
    BIG_EXPORT,
    BOARDPORT_P99,
    BOARDPORT_RPS,
    BOARDPORT_TIME,
    CLIENT_PEAK,
    EXPORT_IMPORT_TIME,
    FLOOR_P99,
    FLOOR_RPS,
    FLOOR_TIME,
    MIGRATE,
    MIGRATE_TIME,
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


def _migrate(seconds: float, peak: float) -> list[Sample]:
    return [
        Sample("postgresql", MIGRATE, "3kb", MIGRATE_TIME, 1, seconds, "s"),
        Sample("postgresql", MIGRATE, "3kb", EXPORT_IMPORT_TIME, 1, 10.0, "s"),
        Sample("postgresql", MIGRATE, "3kb", CLIENT_PEAK, 1, peak, "B"),
        Sample("postgresql", MIGRATE, "3kb", BATCH_BOUND, 1, 120e6, "B"),
    ]


@pytest.mark.parametrize(
    ("seconds", "peak", "time_verdict", "memory_verdict"),
    [(15.0, 120e6, "PASS", "PASS"), (15.1, 90e6, "MISS", "PASS"), (9.0, 121e6, "PASS", "MISS")],
)
def test_the_client_migrate_targets(
    seconds: float, peak: float, time_verdict: str, memory_verdict: str
) -> None:
    """Issue 11: migrate within 1.5x (export + import), peak memory within one batch + 100 MiB."""
    verdicts = _verdicts(_migrate(seconds, peak))
    assert verdicts["time vs export + import"] == time_verdict
    assert verdicts["client peak memory vs one batch + 100 MiB"] == memory_verdict


def test_a_migrate_that_failed_is_a_miss() -> None:
    samples = [replace(s, value=None) if s.name == MIGRATE_TIME else s for s in _migrate(1, 1)]
    assert _verdicts(samples)["time vs export + import"] == "MISS"


def test_the_benchmarks_readme_holds_exactly_the_table_results_md_generates() -> None:
    readme = README.read_text(encoding="utf-8")
    expected = readme_table(RESULTS.read_text(encoding="utf-8"))
    assert generated_part(readme) == expected
    assert with_table(readme, expected) == readme  # so `--write` would change nothing
