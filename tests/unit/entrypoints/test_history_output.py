"""What the history commands print on a terminal (entrypoints/cli/history_output.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from domain.entity_changes import ABSENT, Change, EntityChanges
from domain.history import ChangeCounts, ChangeSummary, EntityKey, RevisionEntry
from domain.import_plan import ImportedItem
from entrypoints.cli.history_output import (
    changes_lines,
    conflict_lines,
    diff_lines,
    revert_lines,
    revisions_lines,
)

AT = datetime(2025, 3, 4, 5, 6, 7, 890_000, tzinfo=UTC)


def change(change_id: str, actor: str, collection: str | None, **counts: int) -> ChangeSummary:
    return ChangeSummary(change_id, "import", AT, actor, collection, ChangeCounts(**counts))


def test_changes_of_every_collection_are_aligned_columns_that_name_each_collection() -> None:
    listed = [
        change("12", "token", "c-1", updated=3),
        ChangeSummary("9", "delete", AT, "cli:ann", None, ChangeCounts(deleted=1)),
        change("8", "alice (deploy-bot)", "c-1", created=6, deleted=2),
    ]
    assert changes_lines(listed, None) == [
        "Changes in every collection, newest first:",
        "CHANGE  AT                       KIND    ACTOR               COLLECTION  ENTITIES",
        "12      2025-03-04 05:06:07 UTC  import  token               c-1         3 updated",
        "9       2025-03-04 05:06:07 UTC  delete  cli:ann             -           1 deleted",
        (
            "8       2025-03-04 05:06:07 UTC  import  alice (deploy-bot)  c-1         "
            "6 created, 2 deleted"
        ),
    ]


def test_changes_of_one_collection_leave_the_collection_column_out() -> None:
    assert changes_lines([change("3", "token", "c-1", updated=1)], "c-1") == [
        "Changes in collection c-1, newest first:",
        "CHANGE  AT                       KIND    ACTOR  ENTITIES",
        "3       2025-03-04 05:06:07 UTC  import  token  1 updated",
    ]


def test_no_changes_says_so() -> None:
    assert changes_lines([], "c-1") == ["No changes recorded in collection c-1."]


def test_a_time_is_shown_in_utc_whatever_zone_it_came_in() -> None:
    elsewhere = AT.astimezone(timezone(timedelta(hours=2)))
    listed = [ChangeSummary("1", "revert", elsewhere, "token", None, ChangeCounts(updated=1))]
    assert "2025-03-04 05:06:07 UTC" in changes_lines(listed, None)[2]


def test_revisions_name_their_change_or_say_they_predate_history() -> None:
    key = EntityKey("dashboard", "d-1")
    revisions = [
        RevisionEntry(3, "12", AT, "cli:ann", "deleted"),
        RevisionEntry(2, "7", AT, "token", "updated"),
        RevisionEntry(1, None, AT, None, "created"),
    ]
    assert revisions_lines(key, revisions) == [
        "Revisions of dashboard d-1, newest first:",
        "REVISION  AT                       ACTION   ACTOR    CHANGE",
        "3         2025-03-04 05:06:07 UTC  deleted  cli:ann  12",
        "2         2025-03-04 05:06:07 UTC  updated  token    7",
        "1         2025-03-04 05:06:07 UTC  created  -        (before history)",
    ]


def test_a_diff_is_said_in_the_plans_words_under_its_revisions() -> None:
    changes = EntityChanges(
        (
            Change("name", "Invoices", "Invoices, renamed"),
            Change("tiles[r-1].position", {"x": 0, "y": 0}, {"x": 6, "y": 0}),
            Change("description", ABSENT, "new"),
        ),
        omitted=2,
    )
    assert diff_lines(EntityKey("dashboard", "d-1"), 1, 3, changes) == [
        "dashboard d-1: revision 1 → revision 3",
        '    name: "Invoices" → "Invoices, renamed"',
        "    tile r-1 moved from (0,0) to (6,0)",
        '    description added: "new"',
        "    … and 2 more changes, which the target did not list",
        "5 change(s).",
    ]


def test_a_diff_to_the_current_revision_with_nothing_changed_says_so() -> None:
    assert diff_lines(EntityKey("report", "r-1"), 2, None, EntityChanges(())) == [
        "report r-1: revision 2 → the current one",
        "    no changes",
    ]


def test_a_revert_signs_each_entity_as_a_plan_does_and_counts_them() -> None:
    items = [
        ImportedItem("r-1", "report", "r-1", action="updated"),
        ImportedItem("r-22", "report", "r-22", action="created"),
        ImportedItem("d-1", "dashboard", "d-1", action="deleted"),
        ImportedItem("d-2", "dashboard", "d-2", action="unchanged"),
    ]
    assert revert_lines("12", items, dry_run=False) == [
        "Reverted change 12, recorded as a change of its own.",
        "    ~  report     r-1   updated",
        "    +  report     r-22  created",
        "    -  dashboard  d-1   deleted",
        "    =  dashboard  d-2   unchanged",
        "Reverted: 1 created, 1 updated, 1 deleted.",
    ]


def test_a_revert_dry_run_says_nothing_was_written_and_what_it_would_do() -> None:
    lines = revert_lines(
        "12", [ImportedItem("r-1", "report", "r-1", action="updated")], dry_run=True
    )
    assert lines == [
        "Dry run of reverting change 12: nothing was written.",
        "    ~  report  r-1  updated",
        "Would revert: 1 updated.",
    ]


def test_a_conflict_names_each_entity_and_the_later_change_and_says_force() -> None:
    extra = {
        "conflictedItems": [
            {"id": "r-1", "type": "report", "name": "Invoices", "changeId": "14"},
            {"id": "d-1", "type": "dashboard", "name": 'The "big" one', "changeId": "15"},
        ]
    }
    assert conflict_lines("the API's words", extra, "server http://b") == [
        "server http://b: revertConflict: a later change touched what this revert would restore:",
        '    report r-1 "Invoices": changed later by change 14',
        '    dashboard d-1 "The \\"big\\" one": changed later by change 15',
        (
            "Nothing was reverted. Revert the later changes first (newest first), or run again "
            "with --force to restore these entities anyway."
        ),
    ]


def test_a_conflict_without_its_entities_falls_back_to_the_servers_message() -> None:
    assert conflict_lines("Change 3 cannot be reverted.", {"conflictedItems": "?"}) == [
        "revertConflict: Change 3 cannot be reverted."
    ]
