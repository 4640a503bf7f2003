"""Figures, their medians, the targets of issue 4 and the table that says PASS or MISS."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

Unit = Literal["req/s", "s", "B", "count", "flag"]

ONE_EXPORT = "one-export"
BIG_EXPORT = "big-export"
BIG_IMPORT = "big-import"
GROWTH = "growth"
JWT_EXPORT = "jwt-export"
EXPORT_3_7 = "export-3.7"
IMPORT_3_7 = "import-3.7"
REIMPORT = "re-import"
MIGRATE = "migrate"
IDEMPOTENT = "idempotent-import"
PRUNE = "prune"
PLAN = "plan"
COLLECTION_PAGE = "collection-page"
HISTORY = "history"
SCENARIOS = (
    ONE_EXPORT,
    BIG_EXPORT,
    BIG_IMPORT,
    GROWTH,
    JWT_EXPORT,
    EXPORT_3_7,
    IMPORT_3_7,
    REIMPORT,
    MIGRATE,
    IDEMPOTENT,
    PRUNE,
    PLAN,
    COLLECTION_PAGE,
    HISTORY,
)
SINGLE_VARIANT = (ONE_EXPORT, JWT_EXPORT)
"""Scenarios of the seed's export alone; the others run once per payload."""
SCENARIO_TITLES = {
    ONE_EXPORT: "1 one export",
    BIG_EXPORT: "2 big export",
    BIG_IMPORT: "3 big import",
    GROWTH: "4 growth",
    JWT_EXPORT: "5 JWT export",
    EXPORT_3_7: "6 big export at 3.7",
    IMPORT_3_7: "7 big import of a 3.7 file",
    REIMPORT: "8 re-import with overwrite",
    MIGRATE: "9 client migrate",
    IDEMPOTENT: "10 import with an Idempotency-Key",
    PRUNE: "11 overwrite with prune",
    PLAN: "12 client plan, a tenth edited",
    COLLECTION_PAGE: "13 the collection page",
    HISTORY: "14 history: overwrite, revert, size",
}

# Sample names.
BOARDPORT_RPS = "boardport requests/s"
FLOOR_RPS = "floor requests/s"
BOARDPORT_P99 = "boardport p99"
FLOOR_P99 = "floor p99"
BOARDPORT_TIME = "boardport time"
FLOOR_TIME = "floor time"
PEAK_MEMORY = "boardport peak memory above idle"
IDLE_MEMORY = "boardport idle memory"
RESPONSE_SIZE = "response size"
REQUEST_SIZE = "request size"
ONE_TRANSACTION = "one transaction"
ENTITIES = "entities"
JWT_RPS = "JWT requests/s"
STATIC_TOKEN_RPS = "static token requests/s"
JWT_P99 = "JWT p99"
STATIC_TOKEN_P99 = "static token p99"
CURRENT_FORMAT_TIME = "current-format time"
FIRST_IMPORT_TIME = "first import time"
UNCHANGED_TIME = "overwrite, all unchanged, time"
EDITED_TIME = "overwrite, every report edited, time"
MIGRATE_TIME = "boardport migrate time"
EXPORT_IMPORT_TIME = "export + import time"
CLIENT_PEAK = "client peak memory"
BATCH_BOUND = "one batch of export + 100 MiB"
CLIENT_START_UP = "client start-up time"
PLAIN_TIME = "import time without a key"
KEYED_TIME = "import time with a key"
REPLAY_TIME = "replayed import time"
PRUNED_TIME = "overwrite with prune, a tenth gone, time"
UNPRUNED_TIME = "the same overwrite without prune, time"
PLAN_TIME = "boardport plan time"
DRY_RUN_TIME = "dry-run import time"
PLAN_PEAK = "plan peak memory (client)"
FILE_SIZE = "import file size"
PAGE_1_TIME = "page 1 time"
PAGE_20_TIME = "page 20 time"
PAGE_AFTER_WRITE_TIME = "page 1 after a write time"
API_LIST_TIME = "the API's dashboard list time"
PAGE_SIZE = "page of 100 entries, size"
PAGE_SIZE_LIMIT = "the issue's page size limit"
EDITED_WITH_HISTORY = "overwrite, every report edited, with history, time"
EDITED_BEFORE_HISTORY = "the same overwrite by 691ee79, before history, time"
REVERT_TIME = "revert of that overwrite, time"
DATABASE_SIZE = "database size after 12 overwrites"
HISTORY_SIZE = "history's share of it"


def growth_time(dashboards: int) -> str:
    return f"time {dashboards} dashboards"


_GROWTH_TIME = re.compile(r"^time (\d+) dashboards$")


def growth_sizes(names: Iterable[str]) -> list[int]:
    """The dashboard counts that growth figures were measured at, smallest first."""
    return sorted({int(m[1]) for name in names if (m := _GROWTH_TIME.match(name))})


@dataclass(frozen=True, slots=True)
class Sample:
    """One figure of one run. `value` None means the run produced no figure (see `note`)."""

    database: str
    scenario: str
    variant: str
    name: str
    run: int
    value: float | None
    unit: Unit
    note: str = ""
    fault: bool = False
    """The run disqualifies this figure (a floor that answered other bytes, a load test that
    saw errors): any target using it is a MISS, whatever the ratio."""


@dataclass(slots=True)
class Results:
    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    def discard(self, database: str, scenario: str, variant: str, run: int) -> None:
        """Forgets what a failed run of a scenario recorded before it failed."""
        self.samples = [
            s
            for s in self.samples
            if (s.database, s.scenario, s.variant, s.run) != (database, scenario, variant, run)
        ]

    def of(self, database: str, scenario: str, variant: str, name: str) -> list[Sample]:
        return [
            s
            for s in self.samples
            if (s.database, s.scenario, s.variant, s.name) == (database, scenario, variant, name)
        ]

    def median(self, database: str, scenario: str, variant: str, name: str) -> float | None:
        values = [
            s.value for s in self.of(database, scenario, variant, name) if s.value is not None
        ]
        return statistics.median(values) if values else None

    def notes(self, database: str, scenario: str, variant: str, name: str) -> list[str]:
        return sorted({s.note for s in self.of(database, scenario, variant, name) if s.note})

    def faulty(self, database: str, scenario: str, variant: str, name: str) -> bool:
        return any(s.fault for s in self.of(database, scenario, variant, name))

    def groups(self) -> list[tuple[str, str, str]]:
        """(database, scenario, variant) in the order they were first measured."""
        return list(dict.fromkeys((s.database, s.scenario, s.variant) for s in self.samples))

    def as_dicts(self) -> list[dict[str, object]]:
        return [asdict(s) for s in self.samples]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: a figure, what it is compared with, the ratio and the verdict."""

    database: str
    scenario: str
    variant: str
    figure: str
    boardport: str
    baseline: str
    ratio: float | None
    target: str
    verdict: Literal["PASS", "MISS", ""]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Target:
    scenario: str
    figure: str
    measured: str
    baseline: str
    limit: float
    at_least: bool

    @property
    def text(self) -> str:
        return f"{'≥' if self.at_least else '≤'} {self.limit:g}x"

    def met(self, ratio: float) -> bool:
        return ratio >= self.limit if self.at_least else ratio <= self.limit


TARGETS = (
    Target(ONE_EXPORT, "requests/s vs floor", BOARDPORT_RPS, FLOOR_RPS, 0.6, at_least=True),
    Target(ONE_EXPORT, "p99 latency vs floor", BOARDPORT_P99, FLOOR_P99, 2.0, at_least=False),
    Target(BIG_EXPORT, "time vs floor", BOARDPORT_TIME, FLOOR_TIME, 3.0, at_least=False),
    Target(
        BIG_EXPORT, "memory above idle vs response", PEAK_MEMORY, RESPONSE_SIZE, 1.0, at_least=False
    ),
    Target(BIG_IMPORT, "time vs floor", BOARDPORT_TIME, FLOOR_TIME, 4.0, at_least=False),
    Target(
        JWT_EXPORT, "JWT requests/s vs static token", JWT_RPS, STATIC_TOKEN_RPS, 0.9, at_least=True
    ),
    Target(
        EXPORT_3_7,
        "time vs current format",
        BOARDPORT_TIME,
        CURRENT_FORMAT_TIME,
        3.0,
        at_least=False,
    ),
    Target(
        EXPORT_3_7, "memory above idle vs response", PEAK_MEMORY, RESPONSE_SIZE, 1.0, at_least=False
    ),
    Target(
        IMPORT_3_7,
        "time vs current format",
        BOARDPORT_TIME,
        CURRENT_FORMAT_TIME,
        1.5,
        at_least=False,
    ),
    Target(BIG_IMPORT, "memory above idle vs body", PEAK_MEMORY, REQUEST_SIZE, 1.5, at_least=False),
    Target(
        REIMPORT,
        "all unchanged vs first import",
        UNCHANGED_TIME,
        FIRST_IMPORT_TIME,
        1.0,
        at_least=False,
    ),
    Target(
        REIMPORT,
        "every report edited vs first import",
        EDITED_TIME,
        FIRST_IMPORT_TIME,
        1.5,
        at_least=False,
    ),
    Target(
        MIGRATE, "time vs export + import", MIGRATE_TIME, EXPORT_IMPORT_TIME, 1.5, at_least=False
    ),
    Target(IDEMPOTENT, "with a key vs without", KEYED_TIME, PLAIN_TIME, 1.05, at_least=False),
    Target(IDEMPOTENT, "replay vs the first", REPLAY_TIME, KEYED_TIME, 0.1, at_least=False),
    Target(PRUNE, "prune vs the same overwrite", PRUNED_TIME, UNPRUNED_TIME, 1.2, at_least=False),
    Target(PLAN, "time vs a dry-run import", PLAN_TIME, DRY_RUN_TIME, 1.5, at_least=False),
    Target(
        HISTORY,
        "overwrite with history vs 691ee79's",
        EDITED_WITH_HISTORY,
        EDITED_BEFORE_HISTORY,
        1.2,
        at_least=False,
    ),
    Target(
        HISTORY, "revert vs the overwrite", REVERT_TIME, EDITED_WITH_HISTORY, 1.5, at_least=False
    ),
    Target(PLAN, "client peak memory vs the file", PLAN_PEAK, FILE_SIZE, 1.5, at_least=False),
    Target(
        COLLECTION_PAGE, "page 1 vs the API's list", PAGE_1_TIME, API_LIST_TIME, 1.5, at_least=False
    ),
    Target(
        COLLECTION_PAGE,
        "page 20 vs the API's list",
        PAGE_20_TIME,
        API_LIST_TIME,
        1.5,
        at_least=False,
    ),
    Target(COLLECTION_PAGE, "page size vs 100 KB", PAGE_SIZE, PAGE_SIZE_LIMIT, 1.0, at_least=False),
    Target(
        MIGRATE,
        "client peak memory vs one batch + 100 MiB",
        CLIENT_PEAK,
        BATCH_BOUND,
        1.0,
        at_least=False,
    ),
)
GROWTH_LIMIT = 12.0
"""The growth target: the largest size's time at most this many times the next largest's."""
INFORMATION: dict[str, tuple[str, ...]] = {
    ONE_EXPORT: (RESPONSE_SIZE,),
    BIG_EXPORT: (IDLE_MEMORY,),
    BIG_IMPORT: (ENTITIES,),
    JWT_EXPORT: (JWT_P99, STATIC_TOKEN_P99),
    EXPORT_3_7: (IDLE_MEMORY,),
    IMPORT_3_7: (REQUEST_SIZE,),
    MIGRATE: (CLIENT_START_UP, ENTITIES),
    PLAN: (ENTITIES,),
    COLLECTION_PAGE: (PAGE_AFTER_WRITE_TIME, ENTITIES),
    HISTORY: (DATABASE_SIZE, HISTORY_SIZE),
}


def shown(value: float | None, unit: Unit) -> str:
    if value is None:
        return "n/a"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"
    if unit == "B":
        return f"{value / 1e6:,.1f} MB" if value >= 1e5 else f"{value / 1e3:,.1f} kB"
    if unit == "flag":
        return "yes" if value else "NO"
    return f"{value:,.0f}"


def _unit(results: Results, group: tuple[str, str, str], name: str) -> Unit:
    found = results.of(*group, name)
    return found[0].unit if found else "count"


def summarize(results: Results) -> list[Row]:
    rows: list[Row] = []
    for group in results.groups():
        database, scenario, variant = group
        targets = [t for t in TARGETS if t.scenario == scenario]
        information = list(INFORMATION.get(scenario, ()))
        if scenario == GROWTH:
            sizes = growth_sizes(
                s.name for s in results.samples if (s.database, s.scenario, s.variant) == group
            )
            if len(sizes) >= 2:
                larger, smaller = sizes[-1], sizes[-2]
                figure = f"{larger} vs {smaller} dashboards"
                targets.append(
                    Target(
                        GROWTH,
                        figure,
                        growth_time(larger),
                        growth_time(smaller),
                        GROWTH_LIMIT,
                        at_least=False,
                    )
                )
            information = [growth_time(size) for size in sizes[:-2]]
        for target in targets:
            measured = results.median(*group, target.measured)
            baseline = results.median(*group, target.baseline)
            notes = results.notes(*group, target.measured) + results.notes(*group, target.baseline)
            ratio = measured / baseline if measured is not None and baseline else None
            faulty = results.faulty(*group, target.measured) or results.faulty(
                *group, target.baseline
            )
            verdict: Literal["PASS", "MISS"] = (
                "PASS" if ratio is not None and target.met(ratio) and not faulty else "MISS"
            )
            rows.append(
                Row(
                    database,
                    SCENARIO_TITLES[scenario],
                    variant,
                    target.figure,
                    shown(measured, _unit(results, group, target.measured)),
                    shown(baseline, _unit(results, group, target.baseline)),
                    ratio,
                    target.text,
                    verdict,
                    "; ".join(notes),
                )
            )
        if scenario == BIG_IMPORT:
            rows.append(_transaction_row(results, group))
        for name in information:
            value = results.median(*group, name)
            if value is None and not results.of(*group, name):
                continue
            rows.append(
                Row(
                    database,
                    SCENARIO_TITLES[scenario],
                    variant,
                    name,
                    shown(value, _unit(results, group, name)),
                    "",
                    None,
                    "",
                    "",
                    "; ".join(results.notes(*group, name)),
                )
            )
    return rows


def _transaction_row(results: Results, group: tuple[str, str, str]) -> Row:
    """Every import that succeeded was one transaction. Runs whose import failed cannot say;
    their failure is the time row's MISS."""
    flags = [s.value for s in results.of(*group, ONE_TRANSACTION)]
    known = [f for f in flags if f is not None]
    verdict: Literal["PASS", "MISS", ""] = ""
    if known:
        verdict = "PASS" if all(known) else "MISS"
    database, scenario, variant = group
    return Row(
        database,
        SCENARIO_TITLES[scenario],
        variant,
        "one transaction",
        f"{sum(1 for f in known if f)}/{len(known)} imports" if known else "n/a",
        "",
        None,
        "every import",
        verdict,
        "; ".join(results.notes(*group, ONE_TRANSACTION)),
    )


HEADERS = (
    "database",
    "scenario",
    "data",
    "figure",
    "boardport",
    "baseline",
    "ratio",
    "target",
    "result",
)


def _cells(row: Row) -> tuple[str, ...]:
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
    return (
        row.database,
        row.scenario,
        row.variant,
        row.figure,
        row.boardport,
        row.baseline,
        ratio,
        row.target,
        row.verdict,
    )


def text_table(rows: Sequence[Row]) -> str:
    cells = [HEADERS, *(_cells(r) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS))]
    right = {4, 5, 6}
    lines = []
    for n, line in enumerate(cells):
        lines.append(
            "  ".join(
                (c.rjust(w) if i in right else c.ljust(w))
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    noted = [r for r in rows if r.note]
    if noted:
        lines.append("")
        lines.extend(
            f"note: {r.database} {r.scenario} {r.variant} {r.figure}: {r.note}" for r in noted
        )
    return "\n".join(lines)


def markdown_table(rows: Sequence[Row]) -> str:
    lines = [
        "| " + " | ".join(HEADERS) + " | note |",
        "|" + "---|" * (len(HEADERS) + 1),
    ]
    for row in rows:
        cells = [*_cells(row), row.note]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def runs_table(samples: Iterable[Sample]) -> str:
    """Every figure of every run, as a markdown table."""
    lines = [
        "| database | scenario | data | figure | run | value | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in samples:
        lines.append(
            f"| {s.database} | {s.scenario} | {s.variant} | {s.name} | {s.run} | "
            f"{shown(s.value, s.unit)} | {s.note.replace('|', '/')} |"
        )
    return "\n".join(lines)
