from __future__ import annotations

from datetime import UTC, datetime, timedelta

from application.ports.clock import Clock as ClockPort
from application.use_cases.show_dashboard import DashboardView
from domain.json_document import JsonValue
from domain.report_summary import ReportSummary
from entrypoints.web.layout import CELL, GAP, dashboard_layout, filter_labels
from entrypoints.web.pending_imports import PendingImports
from entrypoints.web.sessions import SignInSessions
from tests.builders.domain import dashboard, external_tile, process_report, report_tile, text_tile


class Clock(ClockPort):
    def __init__(self) -> None:
        self.current = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


def test_tiles_are_placed_on_the_grid_and_labelled_with_what_they_show() -> None:
    report = process_report("r1", name="Throughput", visualization="bar")
    view = DashboardView(
        dashboard("d", [report_tile("r1", x=6, y=2), text_tile("Read me", y=0), external_tile()]),
        {"r1": ReportSummary.of(report)},
    )
    layout = dashboard_layout(view)
    box, text, external = layout.tiles
    assert (box.kind, box.x, box.y, box.width, box.height) == (
        "report",
        6 * CELL + GAP // 2,
        2 * CELL + GAP // 2,
        4 * CELL - GAP,
        2 * CELL - GAP,
    )
    assert box.lines == ("Throughput", "bar")
    assert text.kind == "text"
    assert text.lines == ("Read me",)
    assert external.lines[0] == "External page"
    assert "".join(external.lines[1:]) == "https://example.com/"
    assert layout.width == 18 * CELL
    assert layout.height == 4 * CELL


def test_a_label_too_long_for_its_tile_wraps_and_ends_in_an_ellipsis() -> None:
    name = " ".join(["word"] * 200)
    view = DashboardView(
        dashboard("d", [report_tile("r1")]),
        {"r1": ReportSummary.of(process_report("r1", name=name))},
    )
    (box,) = dashboard_layout(view).tiles
    assert box.lines[-1] == "…"
    assert all(len(line) * 7.8 <= box.width - 20 for line in box.lines)
    assert len(box.lines) * 17 <= box.height


def test_filters_are_named_by_type_and_variable() -> None:
    filters: JsonValue = [{"type": "state"}, {"type": "variable", "data": {"name": "amount"}}, 3]
    assert filter_labels(filters) == ["state", "variable: amount"]
    assert filter_labels(None) == []


def test_a_session_ends_when_its_time_is_up_or_when_closed() -> None:
    clock = Clock()
    sessions = SignInSessions(clock, lifetime=timedelta(minutes=5))
    first, second = sessions.open().id, sessions.open().id
    assert first != second
    assert sessions.is_open(first)
    sessions.close(second)
    assert not sessions.is_open(second)
    clock.current += timedelta(minutes=5)
    assert not sessions.is_open(first)
    assert not sessions.is_open(None)
    assert not sessions.is_open("made-up")


def test_every_session_has_a_csrf_token_of_its_own_that_is_not_its_id() -> None:
    sessions = SignInSessions(Clock())
    opened = [sessions.open() for _ in range(3)] + [sessions.open_pre_session()]
    tokens = {s.csrf_token for s in opened}
    assert len(tokens) == 4
    assert not tokens & {s.id for s in opened}


def test_a_pre_session_opens_no_signed_in_session_and_is_current_only_without_one() -> None:
    sessions = SignInSessions(Clock())
    pre = sessions.open_pre_session()
    assert not sessions.is_open(pre.id)
    assert sessions.current(None, pre.id) == pre
    signed_in = sessions.open()
    assert sessions.current(signed_in.id, pre.id) == signed_in
    assert sessions.current(pre.id, None) is None  # a pre-session ID is no session ID
    sessions.close_pre_session(pre.id)
    assert sessions.current(None, pre.id) is None


def test_the_session_store_is_bounded() -> None:
    sessions = SignInSessions(Clock(), max_sessions=3)
    opened = [sessions.open().id for _ in range(5)]
    assert sum(sessions.is_open(s) for s in opened) == 3


def test_visitors_who_never_sign_in_push_no_signed_in_session_out() -> None:
    sessions = SignInSessions(Clock(), max_sessions=3)
    kept = sessions.open().id
    for _ in range(10):
        sessions.open_pre_session()
    assert sessions.is_open(kept)


def test_a_pending_import_is_taken_once_by_its_own_session_within_its_time() -> None:
    clock = Clock()
    pending = PendingImports(clock, lifetime=timedelta(minutes=15), max_bytes=10)
    key = pending.keep("session-a", "c1", "f.json", b"[1]")
    assert pending.take(key, "session-b") is None
    taken = pending.take(key, "session-a")
    assert taken is not None
    assert taken.content == b"[1]"
    assert pending.take(key, "session-a") is None
    late = pending.keep("session-a", "c1", "f.json", b"[2]")
    clock.current += timedelta(minutes=15)
    assert pending.take(late, "session-a") is None


def test_pending_imports_keep_at_most_their_byte_budget_dropping_the_oldest() -> None:
    pending = PendingImports(Clock(), max_bytes=10)
    old = pending.keep("s", "c", "a", b"123456")
    new = pending.keep("s", "c", "b", b"123456")
    assert pending.take(old, "s") is None
    assert pending.take(new, "s") is not None
