from __future__ import annotations

from datetime import timedelta

from application.ports.clock import Clock
from application.ports.unit_of_work import WritingUnitOfWork


class ForgetOldHistory:
    """Drops changes older than `days` (0: none) and their revisions, but never an entity's
    current revision, so every entity can still be shown and restored as it is. Run at start-up
    and hourly; how many changes went."""

    def __init__(self, uow: WritingUnitOfWork, clock: Clock, days: int) -> None:
        self._uow = uow
        self._clock = clock
        self._days = days

    def __call__(self) -> int:
        if self._days <= 0:
            return 0
        with self._uow as uow:
            gone = uow.history.forget_before(self._clock.now() - timedelta(days=self._days))
            uow.commit()
        return gone
