from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from application.ports.clock import Clock
from application.ports.unit_of_work import ReadingUnitOfWork, WritingUnitOfWork
from application.use_cases.import_entities import AnswerKeeping
from domain.idempotency import KeyedRequest
from domain.import_plan import ImportedItem

AnswerWriter = Callable[[tuple[ImportedItem, ...]], bytes]
"""The import's answer as the wire carries it: what is kept, and sent again on a retry."""


@dataclass(frozen=True, slots=True)
class OnceAnswer:
    answer: bytes
    replayed: bool


class _Answered(Exception):
    def __init__(self, answer: bytes) -> None:
        super().__init__("answered already")
        self.answer = answer


KeyedWrite = Callable[["AnswerKeeping | None"], tuple[ImportedItem, ...]]
"""A write (an import, a revert) run with what keeps its answer, or None for a dry run."""


class WriteOnce:
    """A write sent with an `Idempotency-Key` (an import or a revert): the first one with its
    key writes and keeps its answer, in the write's own transaction, for the caller and key;
    the same request again gets those bytes again and writes nothing; another request with that
    key is refused (422); while the first still runs, another with its key is refused (409) or
    waits for it. A write that is refused (4xx), and a dry run, keep nothing: they wrote
    nothing, so they are safe to send again anyway."""

    def __init__(self, reading_uow: ReadingUnitOfWork, clock: Clock, keep_for: timedelta) -> None:
        self._reading = reading_uow
        self._clock = clock
        self._keep_for = keep_for

    def __call__(
        self,
        request: KeyedRequest,
        write_answer: AnswerWriter,
        write: KeyedWrite,
        *,
        dry_run: bool = False,
    ) -> OnceAnswer:
        with self._reading as uow:
            kept = uow.idempotency.kept(request, self._clock.now())
        if kept is not None:
            return OnceAnswer(kept.replayed_for(request), replayed=True)
        keeping = None if dry_run else _Keeping(request, write_answer, self._clock, self._keep_for)
        try:
            items = write(keeping)
        except _Answered as answered:
            return OnceAnswer(answered.answer, replayed=True)
        return OnceAnswer(keeping.answer if keeping else write_answer(items), replayed=False)


class _Keeping(AnswerKeeping):
    def __init__(
        self, request: KeyedRequest, write: AnswerWriter, clock: Clock, keep_for: timedelta
    ) -> None:
        self._request = request
        self._write = write
        self._clock = clock
        self._keep_for = keep_for
        self.answer = b""

    def claim(self, uow: WritingUnitOfWork) -> None:
        """Holds the key; when a request with it committed after this one looked, its answer
        is this one's too, and this one writes nothing."""
        uow.idempotency.claim(self._request)
        kept = uow.idempotency.kept(self._request, self._clock.now())
        if kept is not None:
            raise _Answered(kept.replayed_for(self._request))

    def keep(self, uow: WritingUnitOfWork, items: tuple[ImportedItem, ...]) -> None:
        self.answer = self._write(items)
        now = self._clock.now()
        uow.idempotency.keep(self._request, self.answer, now + self._keep_for, now)
