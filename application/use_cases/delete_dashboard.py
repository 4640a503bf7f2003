from __future__ import annotations

from application.ports.unit_of_work import WritingUnitOfWork
from domain.errors import NotFound


class DeleteDashboard:
    """Deletes a dashboard; the reports it showed stay."""

    def __init__(self, uow: WritingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, dashboard_id: str) -> None:
        with self._uow as uow:
            if not uow.dashboards.remove([dashboard_id]):
                raise NotFound("dashboards", [dashboard_id])
            uow.commit()
