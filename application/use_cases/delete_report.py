from __future__ import annotations

from application.ports.unit_of_work import WritingUnitOfWork
from application.removal import remove_entities
from domain.errors import BadRequest, NotFound
from domain.report import undeletable_reason


class DeleteReport:
    """Deletes a report and, in the same transaction, takes it out of every dashboard and every
    combined report that shows it, so nothing is left pointing at it (see `remove_entities`)."""

    def __init__(self, uow: WritingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, report_id: str) -> None:
        with self._uow as uow:
            report = uow.reports.lock([report_id]).get(report_id)
            if report is None:
                raise NotFound("reports", [report_id])
            reason = undeletable_reason(report)
            if reason is not None:
                raise BadRequest(reason)
            remove_entities(uow, [report_id])
            uow.commit()
