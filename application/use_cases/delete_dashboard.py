from __future__ import annotations

from application.history_recording import record_change
from application.ports.clock import Clock
from application.ports.unit_of_work import WritingUnitOfWork
from domain.actor import Actor
from domain.errors import NotFound
from domain.history import Touch


class DeleteDashboard:
    """Deletes a dashboard; the reports it showed stay. History records it as a change by
    `actor`."""

    def __init__(self, uow: WritingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, dashboard_id: str, *, actor: Actor) -> None:
        with self._uow as uow:
            dashboard = uow.dashboards.get_many(frozenset([dashboard_id])).get(dashboard_id)
            # Counted by the delete itself: a concurrent one may have gone first.
            if dashboard is None or not uow.dashboards.remove([dashboard_id]):
                raise NotFound("dashboards", [dashboard_id])
            at = self._clock.now()
            record_change(
                uow,
                "delete",
                actor,
                at,
                collection_id=dashboard.collection_id,
                touches=[Touch(dashboard, None)],
            )
            uow.commit()
