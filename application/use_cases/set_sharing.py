from __future__ import annotations

from application.ports.unit_of_work import WritingUnitOfWork

SHARING_FLAG = "sharing_enabled"


class SetSharing:
    """Turns sharing on or off: one stored flag, as Optimize's public API has it."""

    def __init__(self, uow: WritingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, *, enabled: bool) -> None:
        with self._uow as uow:
            uow.settings.set_flag(SHARING_FLAG, enabled)
            uow.commit()
