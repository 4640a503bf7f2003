"""The export rules of the contract: what an export of dashboards or reports holds, and in what
order.

The rules are written against finder functions (ID set in, found entities out) so that storage
can answer each round with one query, whatever the number of entities asked for. They need only
each report's ID and children, so storage may answer with outlines and leave the data, most of
an export's bytes, to be read in order while the export is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from domain.dashboard import Dashboard
from domain.errors import BadRequest, DanglingReference, NotFound
from domain.limits import InputLimits


class Linked(Protocol):
    """What the export rules need of a report: its ID and its children. A whole `Report` has
    them, and so has a `ReportOutline`, which leaves the data in storage."""

    @property
    def id(self) -> str: ...

    @property
    def child_ids(self) -> tuple[str, ...]: ...


T = TypeVar("T")
L = TypeVar("L", bound=Linked)
Finder = Callable[[frozenset[str]], Mapping[str, T]]

DASHBOARD_REPORTS_MISSING = "Could not retrieve some reports required by this dashboard."
COMBINED_REPORT_CHILDREN_MISSING = "Could not retrieve some reports required by a combined report."


@dataclass(frozen=True, slots=True)
class ExportPlan(Generic[L]):
    """What an export answers, in order, as the finder gave it: the reports (outlines or whole
    reports), then the dashboards."""

    reports: tuple[L, ...]
    dashboards: tuple[Dashboard, ...] = ()

    def __len__(self) -> int:
        return len(self.reports) + len(self.dashboards)


def plan_dashboard_export(
    requested_ids: Sequence[str],
    find_dashboards: Finder[Dashboard],
    find_reports: Finder[L],
    limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
) -> ExportPlan[L]:
    """Every requested dashboard, in request order, with every report on its report tiles and the
    children of those that are combined. The IDs come once each (`unique_in_order`: IDs are a
    set); any unknown ID is not-found, naming only the missing ones, and nothing is returned."""
    ids = _requested("dashboard", requested_ids, limits)
    dashboards = _pick("dashboards", ids, find_dashboards(frozenset(ids)))
    mentions = unique_in_order(r for d in dashboards for r in d.report_ids())
    closure = ReportClosure(mentions, missing_detail=DASHBOARD_REPORTS_MISSING)
    return ExportPlan(closure.collect(find_reports), dashboards)


def plan_report_export(
    requested_ids: Sequence[str],
    find_reports: Finder[L],
    limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
) -> ExportPlan[L]:
    """Every requested report, in request order, each combined one followed by its children.
    The IDs come once each, as for dashboards."""
    ids = _requested("report", requested_ids, limits)
    found = _pick("reports", ids, find_reports(frozenset(ids)))
    closure = ReportClosure(ids, missing_detail=COMBINED_REPORT_CHILDREN_MISSING)
    return ExportPlan(closure.collect(find_reports, {r.id: r for r in found}))


class ReportClosure:
    """The reports reachable from some root report IDs through combined reports' children,
    ordered depth-first: each report at its first mention, a combined report's children right
    after it."""

    def __init__(self, roots: Sequence[str], *, missing_detail: str) -> None:
        self._roots = tuple(roots)
        self._missing_detail = missing_detail

    def collect(
        self, find_reports: Finder[L], preloaded: Mapping[str, L] | None = None
    ) -> tuple[L, ...]:
        """Loads what is reachable, one finder call per level of nesting, and orders it."""
        loaded = dict(preloaded or {})
        while wanted := self.unresolved(loaded):
            found = find_reports(wanted)
            if not found.keys() & wanted:
                break
            loaded.update((i, found[i]) for i in wanted if i in found)
        return self.ordered(loaded)

    def unresolved(self, loaded: Mapping[str, Linked]) -> frozenset[str]:
        """IDs reachable through what is loaded that are not loaded yet."""
        return frozenset(i for i in self._walk(loaded) if i not in loaded)

    def ordered(self, loaded: Mapping[str, L]) -> tuple[L, ...]:
        reachable = self._walk(loaded)
        missing = [i for i in reachable if i not in loaded]
        if missing:
            raise DanglingReference(self._missing_detail, missing)
        return tuple(loaded[i] for i in reachable)

    def _walk(self, loaded: Mapping[str, Linked]) -> list[str]:
        seen: dict[str, None] = {}
        stack = list(reversed(self._roots))
        while stack:
            report_id = stack.pop()
            if report_id in seen:
                continue
            seen[report_id] = None
            report = loaded.get(report_id)
            if report is not None:
                stack.extend(reversed(report.child_ids))
        return list(seen)


def unique_in_order(ids: Iterable[str]) -> tuple[str, ...]:
    """The contract's rule for the IDs of an export request: they are a set, kept in the order
    of their first mention."""
    return tuple(dict.fromkeys(ids))


def _requested(noun: str, ids: Sequence[str], limits: InputLimits) -> Sequence[str]:
    if len(ids) > limits.max_export_ids:
        raise BadRequest(
            f"The request names {len(ids)} {noun} IDs; one export may name at most "
            f"{limits.max_export_ids}.",
            limit="max_export_ids",
        )
    too_long = next((i for i in ids if len(i) > limits.max_id_length), None)
    if too_long is not None:
        raise BadRequest(
            f"A {noun} ID of {len(too_long)} characters is longer than the {limits.max_id_length} "
            "this server accepts.",
            limit="max_id_length",
        )
    return ids


def _pick(entity_plural: str, ids: Sequence[str], found: Mapping[str, T]) -> tuple[T, ...]:
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(entity_plural, missing)
    return tuple(found[i] for i in ids)
