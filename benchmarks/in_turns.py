"""Two commits of boardport measured in turns, for the question one record cannot answer: did a
ratio that moved between two records move with the code, or with the machine?

    python -m benchmarks.in_turns BASE [--head HEAD] [--scenario big-export|growth|big-import]
                                  [--database sqlite|postgresql] [--payload 3kb|25kb-xml]
                                  [--rounds 10]

Each commit is checked out in a worktree under benchmarks/.work/checkouts, and gets a database of
its own, migrated by its own `boardport db upgrade` and loaded with the same synthetic data.
Each round starts a fresh server of each commit, one after the other, the first of the pair
alternating from round to round; each server answers one small export, then the scenario's
request is timed, as `benchmarks.run` times it. Identical runs on this machine differ by 20% and
more from one minute to the next, so only figures taken side by side are compared.

Both commits run in this checkout's venv: a commit whose locked packages differ is measured
with these. Scenarios:
- big-export: all dashboards in one request (seconds);
- growth: 10, 100, then 1000 dashboards in one server, and the last two's ratio;
- big-import: the head's export of all dashboards as one file into a new collection (seconds).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.checkouts import worktree
from benchmarks.client import export_dashboards, request
from benchmarks.cpu_share import process_ticks, ticks_per_second
from benchmarks.databases import Backend, Database, temporary_database
from benchmarks.datagen import PAYLOADS, SMALL, Dataset, load
from benchmarks.paths import DEFAULT_POSTGRES_URL
from benchmarks.scenarios import prepared_collection
from benchmarks.servers import ServerProcess, boardport_server

SCENARIOS = ("big-export", "growth", "big-import")
GROWTH_SIZES = (10, 100, 1000)
DASHBOARDS = 1000
BODY_LIMIT = str(512 * 1024 * 1024)
"""The 25 KB-XML import file is about 300 MB, over the server's default body limit."""


@dataclass(frozen=True, slots=True)
class Sample:
    figure: float
    """What the scenario measures: seconds, or growth's ratio."""
    server_cpu: float
    """The server's own CPU seconds (user and system) over the scenario's requests: the timed
    one, and for big-import the collection it prepares first."""


@dataclass(slots=True)
class Side:
    label: str
    revision: str
    database: Database
    code: Path
    samples: list[Sample] = field(default_factory=list)

    def server(self) -> ServerProcess:
        extra = {"BOARDPORT_MAX_BODY_BYTES": BODY_LIMIT}
        return boardport_server(self.database.url, 1, extra, code=self.code)


def turn_order(round_number: int, sides: Sequence[Side]) -> list[Side]:
    """Who goes first alternates: neither side always meets the machine warmed (or tired) by
    the other."""
    return list(sides) if round_number % 2 == 0 else list(reversed(sides))


@dataclass(frozen=True, slots=True)
class Summary:
    mean: float
    median: float
    stdev: float
    cpu_mean: float

    @classmethod
    def of(cls, samples: Sequence[Sample]) -> Summary:
        figures = [s.figure for s in samples]
        return cls(
            statistics.mean(figures),
            statistics.median(figures),
            statistics.stdev(figures) if len(figures) > 1 else 0.0,
            statistics.mean(s.server_cpu for s in samples),
        )


def report(base: Side, head: Side, unit: str) -> list[str]:
    """One line per side, then head against base (a ratio above 1 means the head's figure is
    larger: slower, for seconds)."""
    lines = []
    for side in (base, head):
        s = Summary.of(side.samples)
        lines.append(
            f"{side.label} {side.revision[:10]}: mean {s.mean:.3f}{unit}, median {s.median:.3f}"
            f"{unit}, sd {s.stdev:.3f}, server CPU {s.cpu_mean:.2f} s  "
            f"({', '.join(f'{x.figure:.3f}' for x in side.samples)})"
        )
    b, h = Summary.of(base.samples), Summary.of(head.samples)
    lines.append(
        f"head / base: mean {h.mean / b.mean:.3f}, median {h.median / b.median:.3f}, "
        f"server CPU {h.cpu_mean / b.cpu_mean:.3f}"
    )
    return lines


Measure = Callable[[ServerProcess, int], float]


def exporting_all(ids: list[str]) -> Measure:
    def measure(server: ServerProcess, _round: int) -> float:
        return export_dashboards(server.port, ids, keep_body=False).seconds

    return measure


def growing(ids: list[str]) -> Measure:
    def measure(server: ServerProcess, _round: int) -> float:
        seconds = [
            export_dashboards(server.port, ids[:size], keep_body=False).seconds
            for size in GROWTH_SIZES
        ]
        return seconds[-1] / seconds[-2]

    return measure


def importing(body: bytes, payload: str) -> Measure:
    def measure(server: ServerProcess, round_number: int) -> float:
        collection = prepared_collection(server.port, payload, f"in turns {round_number}")
        path = f"/api/public/import?collectionId={collection}"
        return request(server.port, "POST", path, body).seconds

    return measure


def timed(server: ServerProcess, measure: Measure, round_number: int) -> Sample:
    before = process_ticks(server.pid)
    figure = measure(server, round_number)
    return Sample(figure, (process_ticks(server.pid) - before) / ticks_per_second())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the commit to compare against")
    parser.add_argument("--head", default="HEAD", help="the commit measured (HEAD)")
    parser.add_argument("--scenario", choices=SCENARIOS, default="big-export")
    parser.add_argument("--database", choices=[b.value for b in Backend], default="sqlite")
    parser.add_argument("--payload", choices=PAYLOADS, default=SMALL)
    parser.add_argument("--rounds", type=int, default=10, help="rounds, each side once (10)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    options = parser.parse_args(argv)
    if options.rounds < 2:
        parser.error("--rounds must be at least 2")
    dataset = Dataset(options.payload, DASHBOARDS)
    ids = dataset.dashboard_ids()
    with ExitStack() as stack:
        sides = []
        for label, revision in (("base", options.base), ("head", options.head)):
            commit, code = stack.enter_context(worktree(label, revision))
            database = stack.enter_context(
                temporary_database(Backend(options.database), options.postgres_url, code=code)
            )
            seconds = load(database, dataset)
            print(f"{label} {commit[:10]}: loaded {dataset.entities:,} entities in {seconds:.1f}s")
            sides.append(Side(label, commit, database, code))
        base, head = sides
        unit = "" if options.scenario == "growth" else " s"
        if options.scenario == "big-export":
            measure = exporting_all(ids)
        elif options.scenario == "growth":
            measure = growing(ids)
        else:
            with head.server() as server:
                body = export_dashboards(server.port, ids).body
            measure = importing(body, options.payload)
        for round_number in range(options.rounds):
            for side in turn_order(round_number, sides):
                with side.server() as server:
                    export_dashboards(server.port, ids[:1])
                    side.samples.append(timed(server, measure, round_number))
                    server.check_alive()
                print(f"  round {round_number + 1} {side.label}: {side.samples[-1].figure:.3f}")
        print(f"{options.scenario}, {options.database}, {options.payload}:")
        print("\n".join(report(base, head, unit)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
