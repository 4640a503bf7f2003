"""Export batches asked for one ahead while the batch at hand is checked, small ones only."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence

import pytest

from application.exports_ahead import exported_batches
from application.ports.optimize_server import EntityKind, ExportedBatch, ServerRefused
from domain.json_document import JsonValue

WAIT_SECONDS = 5.0


def parse(text: bytes | memoryview) -> JsonValue:
    value: JsonValue = json.loads(bytes(text))
    return value


class Source:
    """An export that answers each id with one small entity, counting the requests."""

    def __init__(self, *, parsed: bool = False, refuse: int | None = None) -> None:
        self.asked: list[list[str]] = []
        self.asked_event = {n: threading.Event() for n in range(10)}
        self.running = 0
        self._parsed = parsed
        self._refuse = refuse

    def export(self, kind: EntityKind, ids: Sequence[str]) -> Sequence[JsonValue]:
        assert kind is EntityKind.DASHBOARD
        self.running += 1
        assert self.running == 1, "two requests at once on one server"
        number = len(self.asked)
        self.asked.append(list(ids))
        self.asked_event[number].set()
        self.running -= 1
        if number == self._refuse:
            raise ServerRefused(503, "serviceUnavailableError", "down")
        entities: list[JsonValue] = [{"id": i} for i in ids]
        if self._parsed:
            return entities
        return ExportedBatch([json.dumps(e).encode() for e in entities], parse)


BATCHES = [["a", "b"], ["c"], ["d", "e"]]


def test_the_next_batch_is_asked_for_while_the_one_at_hand_is_checked() -> None:
    source = Source()
    seen: list[list[JsonValue]] = []
    for number, batch in enumerate(exported_batches(source.export, EntityKind.DASHBOARD, BATCHES)):
        if number + 1 < len(BATCHES):
            assert source.asked_event[number + 1].wait(WAIT_SECONDS)
        seen.append(list(batch))
    assert seen == [[{"id": i} for i in ids] for ids in BATCHES]
    assert source.asked == BATCHES  # each once, in order


@pytest.mark.parametrize("parsed", [False, True], ids=["too big", "already parsed"])
def test_a_big_or_parsed_batch_is_checked_before_the_next_is_asked_for(*, parsed: bool) -> None:
    source = Source(parsed=parsed)
    ahead = 0 if parsed else 10  # bytes: smaller than any batch
    batches = exported_batches(source.export, EntityKind.DASHBOARD, BATCHES, ahead_bytes=ahead)
    for number, _batch in enumerate(batches):
        assert len(source.asked) == number + 1
    assert source.asked == BATCHES


def test_an_export_error_is_raised_where_its_batch_is_reached() -> None:
    source = Source(refuse=1)
    batches = exported_batches(source.export, EntityKind.DASHBOARD, BATCHES)
    assert list(next(batches)) == [{"id": "a"}, {"id": "b"}]
    with pytest.raises(ServerRefused):
        next(batches)


def test_a_caller_stopping_early_leaves_no_request_running() -> None:
    source = Source()
    batches = exported_batches(source.export, EntityKind.DASHBOARD, BATCHES)
    next(batches)
    batches.close()
    assert source.asked == BATCHES[:2]
    assert source.running == 0
    assert not [t for t in threading.enumerate() if t.name.startswith("export-ahead")]


def test_no_ids_ask_for_nothing() -> None:
    source = Source()
    assert list(exported_batches(source.export, EntityKind.DASHBOARD, [])) == []
    assert source.asked == []


def test_an_exported_batch_knows_the_bytes_of_its_texts() -> None:
    batch = ExportedBatch([b"{}", memoryview(b'{"id":1}')[1:], b"[]"], parse)
    assert batch.size == 2 + 7 + 2
