"""Hypothesis strategies for worlds of stored reports and dashboards."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from domain.dashboard import Dashboard
from domain.report import Report
from tests.builders import combined_report, dashboard, process_report, report_tile, text_tile

ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)


@dataclass(frozen=True)
class World:
    reports: dict[str, Report]
    dashboards: dict[str, Dashboard]


@st.composite
def worlds(draw: st.DrawFn, max_reports: int = 12, max_dashboards: int = 8) -> World:
    single_ids = draw(
        st.lists(ids, unique=True, max_size=max_reports).map(lambda x: ["r" + i for i in x])
    )
    reports: dict[str, Report] = {i: process_report(i) for i in single_ids}
    if single_ids:
        combined_count = draw(st.integers(min_value=0, max_value=4))
        for n in range(combined_count):
            children = draw(st.lists(st.sampled_from(single_ids), max_size=4))
            reports[f"c{n}"] = combined_report(f"c{n}", children)
    report_ids = list(reports)
    dashboard_ids = draw(st.lists(ids, unique=True, max_size=max_dashboards))
    dashboards: dict[str, Dashboard] = {}
    for dashboard_id in ("d" + i for i in dashboard_ids):
        tile_refs = draw(st.lists(st.sampled_from(report_ids), max_size=6)) if report_ids else []
        tiles = [report_tile(r, y=n) for n, r in enumerate(tile_refs)]
        if draw(st.booleans()):
            tiles.insert(draw(st.integers(0, len(tiles))), text_tile())
        dashboards[dashboard_id] = dashboard(dashboard_id, tiles)
    return World(reports, dashboards)
