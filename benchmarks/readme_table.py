"""The table of the last recorded run in benchmarks/README.md, generated from
benchmarks/RESULTS.md so that the two cannot disagree. `python -m benchmarks.readme_table`
prints it; with `--write` it replaces the table between the two markers in
benchmarks/README.md. A unit test checks that the README holds exactly what it prints."""

# ruff: noqa: RUF001 - the README writes ratios with the multiplication sign

from __future__ import annotations

import re
import sys

from benchmarks.paths import REPO

RESULTS = REPO / "benchmarks" / "RESULTS.md"
README = REPO / "benchmarks" / "README.md"
BEGIN = "<!-- the table of the last run: `python -m benchmarks.readme_table --write` -->"
END = "<!-- end of the generated table -->"

# (README label, README target, RESULTS scenario, RESULTS figure)
LINES = (
    (
        "big export, 1,000 dashboards × 10 reports",
        "≤ 3× floor's time",
        "2 big export",
        "time vs floor",
    ),
    (
        "big export, server memory above idle",
        "≤ the response's size",
        "2 big export",
        "memory above idle vs response",
    ),
    (
        "big import, 11,000 entities, one transaction",
        "≤ 4× floor's time",
        "3 big import",
        "time vs floor",
    ),
    ("growth, 1,000 vs 100 dashboards", "≤ 12×", "4 growth", "1000 vs 100 dashboards"),
)
DATABASES = ("sqlite", "postgresql")
PAYLOADS = ("3kb", "25kb-xml")


def _summary(text: str) -> dict[tuple[str, str, str, str], tuple[str, str]]:
    """(database, scenario, data, figure) -> (ratio, result) of RESULTS.md's summary table."""
    rows: dict[tuple[str, str, str, str], tuple[str, str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 9 and cells[0] in DATABASES:
            rows[(cells[0], cells[1], cells[2], cells[3])] = (cells[6], cells[8])
    return rows


def _ratio(cell: tuple[str, str]) -> str:
    ratio, result = cell
    shown = ratio.replace("x", "×") if ratio else "n/a"
    return shown if result != "MISS" else f"{shown} MISS"


def readme_table(results_text: str) -> str:
    summary = _summary(results_text)
    commit = re.search(r"^- (?:measured commit:|boardport: commit) (\S+)", results_text, re.M)
    runs = re.search(r"^- runs: (\d+);", results_text, re.M)
    machine = re.search(r"^- machine: ([^,]+), (\d+) cores", results_text, re.M)
    cpu, cores = machine.groups() if machine else ("?", "?")
    lines = [
        (
            f"The last recorded run (commit {commit.group(1)[:12] if commit else 'unknown'}; "
            f"medians of {runs.group(1) if runs else '?'} runs; "
            f"{cores} cores, {cpu}):"
        ),
        "",
        "| scenario | target | SQLite | PostgreSQL |",
        "|---|---|---|---|",
    ]
    one_export = [
        f"{_ratio(summary.get((db, '1 one export', 'seed', 'requests/s vs floor'), ('', '')))}, "
        f"p99 {_ratio(summary.get((db, '1 one export', 'seed', 'p99 latency vs floor'), ('', '')))}"
        for db in DATABASES
    ]
    lines.append(
        '| one export (`["123","456"]`, wrk, 16 connections) | ≥ 0.6× floor\'s req/s, p99 ≤ 2× | '
        + " | ".join(one_export)
        + " |"
    )
    for label, target, scenario, figure in LINES:
        cells = [
            " / ".join(_ratio(summary.get((db, scenario, p, figure), ("", ""))) for p in PAYLOADS)
            for db in DATABASES
        ]
        lines.append(f"| {label} | {target} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def generated_part(readme_text: str) -> str:
    """What the README holds between the markers; a README without both is an error."""
    start = readme_text.find(BEGIN)
    end = readme_text.find(END, start)
    if start < 0 or end < 0:
        raise ValueError(f"the README lacks the markers {BEGIN!r} and {END!r}")
    return readme_text[start + len(BEGIN) : end].strip("\n") + "\n"


def with_table(readme_text: str, table: str) -> str:
    """The README with `table` between the markers, and everything else as it was."""
    generated_part(readme_text)  # the markers must be there
    before, _, rest = readme_text.partition(BEGIN)
    _, _, after = rest.partition(END)
    return f"{before}{BEGIN}\n\n{table}\n{END}{after}"


if __name__ == "__main__":
    table = readme_table(RESULTS.read_text(encoding="utf-8"))
    if sys.argv[1:] == ["--write"]:
        README.write_text(with_table(README.read_text(encoding="utf-8"), table), encoding="utf-8")
    else:
        sys.stdout.write(table)
