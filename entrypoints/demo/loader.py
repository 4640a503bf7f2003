from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib.resources import files

from application.use_cases.load_seed import Seed
from domain.collection import Collection
from domain.export_format.reader import iter_dashboards, iter_reports, read_export_file

DEMO_CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def demo_seed() -> Seed:
    """The demo data: the seed document's dashboards 123 and 456, and a demo collection."""
    folder = files("entrypoints.demo")
    entries = read_export_file(json.loads(folder.joinpath("demo_entities.json").read_text()))
    collections = json.loads(folder.joinpath("collections.json").read_text())
    return Seed(
        collections=tuple(
            Collection(c["id"], c["name"], c.get("ownerId"), DEMO_CREATED) for c in collections
        ),
        reports=tuple(iter_reports(entries)),
        dashboards=tuple(iter_dashboards(entries)),
    )
