from __future__ import annotations

import json

from domain.entity_type import EntityType
from domain.export_format.losses import EntityLosses
from domain.export_format.shape import Loss
from entrypoints.asgi_shared.export_answers import LOSSES_HEADER_MAX_BYTES, losses_header


def losses(count: int) -> list[EntityLosses]:
    return [
        EntityLosses(EntityType.DASHBOARD, f"dashboard-{n}", (Loss("description", "a text"),))
        for n in range(count)
    ]


def test_the_header_lists_every_loss_with_its_entity_and_field() -> None:
    header = json.loads(losses_header(losses(2)))
    assert header == {
        "count": 2,
        "losses": [
            {
                "entityType": "dashboard",
                "id": "dashboard-0",
                "field": "description",
                "loss": "a text",
            },
            {
                "entityType": "dashboard",
                "id": "dashboard-1",
                "field": "description",
                "loss": "a text",
            },
        ],
    }


def test_the_header_stops_listing_at_8_kb_and_still_counts_them_all() -> None:
    text = losses_header(losses(1000))
    assert len(text) <= LOSSES_HEADER_MAX_BYTES
    header = json.loads(text)
    assert header["count"] == 1000
    assert 50 < len(header["losses"]) < 1000
    assert header["losses"][0]["id"] == "dashboard-0"


def test_the_header_is_ascii_whatever_the_entity_names() -> None:
    text = losses_header([EntityLosses(EntityType.DASHBOARD, "tableau-é", (Loss("x", "ü"),))])
    assert text.isascii()
    assert json.loads(text)["losses"][0]["id"] == "tableau-é"
