"""The exports of a part of a collection, named by selectors (`domain.selection`), for pull,
migrate and list: each export answer is given on with only what the selectors keep of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from application.deploy.errors import SelectorMatchedNothing
from application.exports_ahead import take_each_export
from application.ports.optimize_server import EntityKind, ExportedBatch
from domain.json_document import JsonValue
from domain.selection import Outline, Selection

Export = Callable[[EntityKind, Sequence[str]], Sequence[JsonValue]]


def batches(ids: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def stop_unmatched(unmatched: Sequence[str], where: str) -> None:
    """Raises SelectorMatchedNothing naming each selector (as written on the command line)
    that picked nothing in `where`."""
    if unmatched:
        raise SelectorMatchedNothing(
            f"{', '.join(unmatched)} matched nothing in {where}: a selector takes a dashboard "
            "or report id of it, or a name glob (case-insensitive) of one of its dashboards "
            "or reports"
        )


def export_selected(
    export: Export,
    selection: Selection,
    listed: tuple[Sequence[str], Sequence[str]],
    batch_size: int,
    take: Callable[[Sequence[JsonValue]], object],
) -> None:
    """Gives `take` what the selection keeps of each export answer, in batches of ids. Only
    the selected ids are exported, unless a name glob is among the selectors: then every
    dashboard is, and every report that no dashboard's answer brought, so that each name is
    seen once. `listed`: the collection's dashboard ids and report ids."""
    dashboard_ids, report_ids = listed
    by_name = bool(selection.selector.names)
    seen: set[str] = set()

    def kept(answer: Sequence[JsonValue]) -> None:
        outlines = [Outline.of(entity) for entity in answer]
        seen.update(o.id for o in outlines if o is not None)
        keep = selection.take(o for o in outlines if o is not None)
        positions = [p for p, o in enumerate(outlines) if o is not None and o.id in keep]
        if isinstance(answer, ExportedBatch):
            take(answer.only(positions))
        else:
            take([answer[p] for p in positions])

    selector = selection.selector
    dashboards = dashboard_ids if by_name else _among(selector.dashboards, dashboard_ids)
    take_each_export(export, EntityKind.DASHBOARD, batches(dashboards, batch_size), kept)
    reports = report_ids if by_name else _among(selector.reports, report_ids)
    remaining = [i for i in reports if i not in seen]
    take_each_export(export, EntityKind.REPORT, batches(remaining, batch_size), kept)


def _among(chosen: Sequence[str], listed: Sequence[str]) -> list[str]:
    """The chosen ids that are listed, each once."""
    known = set(listed)
    return [i for i in dict.fromkeys(chosen) if i in known]
