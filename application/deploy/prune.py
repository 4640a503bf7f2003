"""--prune where the target cannot prune (an Optimize, or --new-copies): the entities of the
previous push are deleted by the client after the import succeeded, each recorded in the
state as it goes, so that a run stopped midway leaves the rest to the next run."""

from __future__ import annotations

from collections.abc import Sequence

from application.deploy.delivery import DELETED
from application.deploy.state import DeployState, Pushed
from application.ports.optimize_server import EntityKind, ImportAnswerItem, OptimizeServer
from application.ports.progress import Progress


def stale(previous: Pushed, kept: Sequence[ImportAnswerItem]) -> tuple[ImportAnswerItem, ...]:
    """What the previous push created that this one did not keep, and the deletes it left."""
    now = {item.id for item in kept}
    earlier = [e for e in previous.entities if e.id not in now]
    pending = [e for e in previous.pending_deletes if e.id not in now]
    return tuple({e.id: e for e in [*pending, *earlier]}.values())


def delete_stale(
    target: OptimizeServer,
    collection_id: str,
    state: DeployState,
    pushed: Pushed,
    progress: Progress,
) -> tuple[ImportAnswerItem, ...]:
    """Deletes `pushed.pending_deletes`, dashboards first (a report deleted before its
    dashboard would change that dashboard); returns one `deleted` item for each the target
    still had."""
    order = sorted(pushed.pending_deletes, key=lambda e: e.entity_type != "dashboard")
    state.record(target.url, collection_id, Pushed(pushed.entities, tuple(order)))
    progress.phase("delete", len(order))
    deleted: list[ImportAnswerItem] = []
    for done, item in enumerate(order, start=1):
        kind = EntityKind.DASHBOARD if item.entity_type == "dashboard" else EntityKind.REPORT
        if target.delete(kind, item.id):
            deleted.append(ImportAnswerItem(item.id, item.entity_type, item.source_id, DELETED))
        state.record(target.url, collection_id, Pushed(pushed.entities, tuple(order[done:])))
        progress.advance()
    return tuple(deleted)
