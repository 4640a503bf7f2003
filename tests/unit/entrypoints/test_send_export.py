"""How the HTTP layer sends an export answer it is given whole (from the export cache): as it
is, without reading its blocks, and closed before it is sent."""

from __future__ import annotations

import anyio

from adapters.export_cache import WholeAnswer
from entrypoints.asgi_shared.export_answers import send

KEPT = b'[{"id":"123"}]'


class Watched(WholeAnswer):
    def __init__(self) -> None:
        super().__init__(KEPT, 1)
        self.events: list[str] = []

    async def __anext__(self) -> bytes:
        raise AssertionError("a whole answer's blocks were read")

    async def aclose(self) -> None:
        self.events.append("closed")
        await super().aclose()  # which lets go of the payload


def test_a_whole_answer_goes_out_as_it_is_and_is_closed_first() -> None:
    answer = Watched()
    response = anyio.run(send, answer)
    assert response.content == KEPT
    assert response.status_code == 200
    assert answer.events == ["closed"]
