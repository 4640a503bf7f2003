"""Hypothesis strategies for edits of a world: what a team changes in the file it deploys
between two deploys. (Worlds themselves come from tests/strategies.py.)"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from domain.dashboard import Dashboard
from domain.json_document import JsonDocument
from domain.report import Report
from tests.builders.domain import combined_report, dashboard, process_report, report_tile, text_tile
from tests.strategies import World


@st.composite
def edits(draw: st.DrawFn, world: World) -> World:
    """Any valid edit of `world`: entities dropped, renamed, their data or tiles changed,
    combined reports given other children, new entities added. Every entity keeps its type,
    and every reference stays inside the edited world."""
    everything = sorted(world.reports) + sorted(world.dashboards)
    dropped = set(draw(st.sets(st.sampled_from(everything)))) if everything else set()
    singles = [i for i, r in world.reports.items() if not r.is_combined and i not in dropped] + [
        f"n{n}" for n in range(draw(st.integers(0, 3)))
    ]
    reports: dict[str, Report] = {}
    for report_id in singles:
        if report_id in world.reports and not draw(st.booleans()):
            reports[report_id] = world.reports[report_id]
            continue
        name = draw(st.sampled_from([None, "Renamed", "Другое имя"]))
        visualization = draw(st.sampled_from(["number", "table", "bar"]))
        original = world.reports.get(report_id)
        if original is None:
            reports[report_id] = process_report(report_id, name=name, visualization=visualization)
            continue
        # An edited report keeps its type and definitions; its name and data change.
        data = original.data.value
        assert isinstance(data, dict)
        reports[report_id] = replace(
            original,
            name=name or f"Report {report_id}",
            data=JsonDocument.from_value({**data, "visualization": visualization}),
        )
    for report_id, report in world.reports.items():
        if report.is_combined and report_id not in dropped:
            kept = [c for c in report.child_ids if c in reports]
            if bool(singles) and draw(st.booleans()):
                kept = draw(st.lists(st.sampled_from(singles), max_size=4))
            reports[report_id] = combined_report(report_id, kept)
    dashboards: dict[str, Dashboard] = {}
    new_dashboards = [f"m{n}" for n in range(draw(st.integers(0, 2)))]
    for dashboard_id in [i for i in world.dashboards if i not in dropped] + new_dashboards:
        old = world.dashboards.get(dashboard_id)
        tiles = (
            [t for t in old.tiles if t.report_id is None or t.report_id in reports] if old else []
        )
        if old is None or draw(st.booleans()):
            tiles = draw(st.permutations(tiles)) if tiles else []
            tiles = tiles[: draw(st.integers(0, len(tiles)))]
            if reports:
                added = draw(st.lists(st.sampled_from(sorted(reports)), max_size=3))
                tiles += [report_tile(r, x=6, y=n) for n, r in enumerate(added)]
            if draw(st.booleans()):
                tiles.append(text_tile(draw(st.sampled_from(["Hello", "Changed"]))))
        edited = dashboard(dashboard_id, tiles)
        if draw(st.booleans()):
            edited = replace(edited, name=f"Renamed {dashboard_id}", description="Edited")
        dashboards[dashboard_id] = edited if old is None or edited != old else old
    return World(reports, dashboards)
