"""The changes page's read: each change newest first with its first entities, on the fakes."""

from __future__ import annotations

import pytest

from application.use_cases.browse_history import BrowseHistory
from application.use_cases.delete_dashboard import DeleteDashboard
from domain.errors import BadRequest
from tests.builders.domain import TESTER
from tests.fakes import FixedClock
from tests.unit.application.test_overwrite_laws import empty_target
from tests.unit.application.test_restore_revision import deploy_file, deployed


def test_each_change_comes_with_its_first_entities_reports_first_newest_change_first() -> None:
    uow = empty_target()
    ids = deployed(uow, deploy_file())
    DeleteDashboard(uow, FixedClock())(ids["d"], actor=TESTER)

    listed = BrowseHistory(uow).changes_with_entities("target", entities_each=2)

    assert [d.change.kind for d in listed] == ["delete", "import"]
    assert [e.key.id for e in listed[0].entities] == [ids["d"]]
    assert listed[1].change.counts.total == 4
    assert [e.key.entity_type for e in listed[1].entities] == ["report", "report"]
    older = BrowseHistory(uow).changes_with_entities("target", before=listed[0].change.id)
    assert [d.change.id for d in older] == [listed[1].change.id]


@pytest.mark.parametrize("limit", [0, 501])
def test_a_limit_out_of_range_is_a_bad_request(limit: int) -> None:
    with pytest.raises(BadRequest, match="limit must be between 1 and 500"):
        BrowseHistory(empty_target()).changes_with_entities(limit=limit)
