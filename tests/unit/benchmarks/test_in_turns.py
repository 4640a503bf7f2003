"""Two commits measured in turns (benchmarks.in_turns): who goes first alternates, the figures
are summarized per side, and head against base reads as head / base."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from benchmarks.cpu_share import process_ticks
from benchmarks.databases import Backend, Database
from benchmarks.in_turns import Sample, Side, Summary, report, turn_order


def side(label: str, *figures: float, cpu: float = 1.0) -> Side:
    database = Database(Backend.SQLITE, "sqlite:///unused")
    side = Side(label, f"{label}0123456789abcdef", database, Path("/unused"))
    side.samples.extend(Sample(f, cpu) for f in figures)
    return side


def test_who_goes_first_alternates_from_round_to_round() -> None:
    base, head = side("base"), side("head")
    firsts = [turn_order(n, [base, head])[0].label for n in range(4)]
    assert firsts == ["base", "head", "base", "head"]
    assert all(len(turn_order(n, [base, head])) == 2 for n in range(4))


def test_a_summary_is_the_figures_mean_median_spread_and_the_servers_cpu() -> None:
    summary = Summary.of([Sample(1.0, 0.5), Sample(2.0, 0.7), Sample(6.0, 0.9)])
    assert (summary.mean, summary.median) == (3.0, 2.0)
    assert summary.stdev == pytest.approx(7**0.5)
    assert summary.cpu_mean == pytest.approx(0.7)


def test_head_against_base_is_head_over_base() -> None:
    lines = report(side("base", 2.0, 2.0, cpu=4.0), side("head", 3.0, 3.0, cpu=5.0), " s")
    assert lines[0].startswith("base base012345: mean 2.000 s, median 2.000 s, sd 0.000")
    assert lines[1].startswith("head head012345: mean 3.000 s")
    assert lines[2] == "head / base: mean 1.500, median 1.500, server CPU 1.250"


def test_a_process_ticks_grow_with_the_cpu_it_uses() -> None:
    before = process_ticks(os.getpid())
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    assert process_ticks(os.getpid()) > before


def test_a_process_ticks_are_read_past_a_name_with_spaces_and_parentheses(
    tmp_path: Path,
) -> None:
    (tmp_path / "7").mkdir()
    fields = ["S", "1", *["0"] * 9, "30", "12", "2", "1", *["0"] * 30]
    (tmp_path / "7" / "stat").write_text(f"7 (a (b) c) {' '.join(fields)}\n")
    assert process_ticks(7, tmp_path) == 45
