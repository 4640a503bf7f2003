"""Export batches asked for one ahead while the batch at hand is checked, small ones only,
and each batch let go before the next one comes unless it was looked ahead of."""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Sequence

import pytest

from application.exports_ahead import take_each_export
from application.ports.optimize_server import EntityKind, ExportedBatch, ServerRefused
from domain.json_document import JsonValue

WAIT_SECONDS = 5.0
BATCHES = [["a", "b"], ["c"], ["d", "e"]]
DASHBOARD = EntityKind.DASHBOARD


def parse(text: bytes | memoryview) -> JsonValue:
    value: JsonValue = json.loads(bytes(text))
    return value


class Parsed(list[JsonValue]):
    """A parsed batch that can be watched for being let go (a list cannot be)."""


class Source:
    """An export that answers each id with one small entity, recording the requests."""

    def __init__(self, *, parsed: bool = False, refuse: int | None = None) -> None:
        self.asked: list[list[str]] = []
        self.asked_event = {n: threading.Event() for n in range(10)}
        self.running = 0
        self.parsed_batches: list[weakref.ref[Parsed]] = []
        self.alive_when_asked: list[int] = []
        self._parsed = parsed
        self._refuse = refuse

    def export(self, kind: EntityKind, ids: Sequence[str]) -> Sequence[JsonValue]:
        assert kind is DASHBOARD
        self.running += 1
        assert self.running == 1, "two requests at once on one server"
        self.alive_when_asked.append(sum(r() is not None for r in self.parsed_batches))
        number = len(self.asked)
        self.asked.append(list(ids))
        self.asked_event[number].set()
        self.running -= 1
        if number == self._refuse:
            raise ServerRefused(503, "serviceUnavailableError", "down")
        entities: list[JsonValue] = [{"id": i} for i in ids]
        if self._parsed:
            batch = Parsed(entities)
            self.parsed_batches.append(weakref.ref(batch))
            return batch
        return ExportedBatch([json.dumps(e).encode() for e in entities], parse)


def test_the_next_batch_is_asked_for_while_the_one_at_hand_is_checked() -> None:
    source = Source()
    seen: list[list[JsonValue]] = []

    def take(batch: Sequence[JsonValue]) -> None:
        if len(seen) + 1 < len(BATCHES):
            assert source.asked_event[len(seen) + 1].wait(WAIT_SECONDS)
        seen.append(list(batch))

    take_each_export(source.export, DASHBOARD, BATCHES, take)
    assert seen == [[{"id": i} for i in ids] for ids in BATCHES]
    assert source.asked == BATCHES  # each once, in order


@pytest.mark.parametrize("parsed", [False, True], ids=["too big", "already parsed"])
def test_a_big_or_parsed_batch_is_checked_before_the_next_is_asked_for(*, parsed: bool) -> None:
    source = Source(parsed=parsed)
    asked_when_taken: list[int] = []
    ahead = 0 if parsed else 10  # bytes: smaller than any batch

    def take(_batch: Sequence[JsonValue]) -> None:
        asked_when_taken.append(len(source.asked))

    take_each_export(source.export, DASHBOARD, BATCHES, take, ahead_bytes=ahead)
    assert asked_when_taken == [1, 2, 3]
    assert source.asked == BATCHES


def test_a_batch_not_looked_ahead_of_is_let_go_before_the_next_is_asked_for() -> None:
    """The client's memory bound: about one batch at a time."""
    source = Source(parsed=True)
    take_each_export(source.export, DASHBOARD, BATCHES, lambda _batch: None)
    assert source.alive_when_asked == [0, 0, 0]


def test_an_export_error_is_raised_where_its_batch_is_reached() -> None:
    source = Source(refuse=1)
    taken: list[list[JsonValue]] = []
    with pytest.raises(ServerRefused):
        take_each_export(source.export, DASHBOARD, BATCHES, lambda b: taken.append(list(b)))
    assert taken == [[{"id": "a"}, {"id": "b"}]]


def test_a_failing_take_leaves_no_request_running() -> None:
    source = Source()

    def take(_batch: Sequence[JsonValue]) -> None:
        raise ValueError

    with pytest.raises(ValueError):  # noqa: PT011 - the take's own error
        take_each_export(source.export, DASHBOARD, BATCHES, take)
    assert source.asked == BATCHES[:2]
    assert source.running == 0
    assert not [t for t in threading.enumerate() if t.name.startswith("export-ahead")]


def test_no_ids_ask_for_nothing() -> None:
    source = Source()
    take_each_export(source.export, DASHBOARD, [], lambda _batch: None)
    assert source.asked == []


def test_an_exported_batch_knows_the_bytes_of_its_texts() -> None:
    batch = ExportedBatch([b"{}", memoryview(b'{"id":1}')[1:], b"[]"], parse)
    assert batch.size == 2 + 7 + 2
