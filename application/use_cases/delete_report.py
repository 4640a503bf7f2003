from __future__ import annotations

from application.history_recording import record_change
from application.ports.clock import Clock
from application.ports.unit_of_work import WritingUnitOfWork
from application.removal import remove_entities
from domain.actor import Actor
from domain.errors import BadRequest, NotFound
from domain.report import undeletable_reason


class DeleteReport:
    """Deletes a report and, in the same transaction, takes it out of every dashboard and every
    combined report that shows it, so nothing is left pointing at it (see `remove_entities`).
    History records it as a change by `actor`: the report deleted, each dashboard and combined
    report that showed it updated."""

    def __init__(self, uow: WritingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, report_id: str, *, actor: Actor) -> None:
        with self._uow as uow:
            held = uow.reports.lock([report_id])
            report = held.get(report_id)
            if report is None:
                raise NotFound("reports", [report_id])
            reason = undeletable_reason(report)
            if reason is not None:
                raise BadRequest(reason)
            touches = remove_entities(uow, held)
            at = self._clock.now()
            record_change(
                uow, "delete", actor, at, collection_id=report.collection_id, touches=touches
            )
            uow.commit()
