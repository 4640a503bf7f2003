from __future__ import annotations

import io

from entrypoints.cli.client_output import ERASE_LINE_END, PlainProgress, TerminalProgress


def test_plain_progress_writes_a_line_when_each_phase_ends_and_each_note() -> None:
    stream = io.StringIO()
    progress = PlainProgress(quiet=False, stream=stream)
    progress.phase("export", 3)
    progress.advance(2)
    progress.advance()
    progress.note("careful")
    progress.phase("import", 3)
    progress.advance(3)
    progress.finish()
    assert stream.getvalue() == "note: careful\nexport: 3\nimport: 3\n"


def test_plain_progress_says_each_wait_on_a_line_and_counts_it() -> None:
    stream = io.StringIO()
    progress = PlainProgress(quiet=False, stream=stream)
    progress.phase("import", 1)
    progress.waiting("waiting 2 s: the target answered 503")
    progress.advance()
    progress.finish()
    assert stream.getvalue() == "waiting 2 s: the target answered 503\nimport: 1\n"
    assert progress.retries == 1


def test_quiet_progress_writes_nothing_and_still_counts_the_waits() -> None:
    stream = io.StringIO()
    progress = PlainProgress(quiet=True, stream=stream)
    progress.phase("export", 3)
    progress.advance(3)
    progress.note("careful")
    progress.waiting("waiting 1 s: the source answered 429")
    progress.finish()
    assert stream.getvalue() == ""
    assert progress.retries == 1


def test_a_wait_is_said_at_the_end_of_the_terminal_line_until_the_phase_goes_on() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress.phase("import", 2)
    progress.waiting("waiting 30 s: the target answered 429")
    drawn = stream.getvalue().split("\r")[-1]
    assert (
        drawn
        == "import   [------------------------] 0/2  waiting 30 s: the target answered 429\x1b[K"
    )
    progress.advance()
    assert "waiting" not in stream.getvalue().split("\r")[-1]
    assert progress.retries == 1


def test_terminal_progress_redraws_one_line_per_phase_with_counts() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress.phase("export", 4)
    progress.advance(2)
    progress.phase("import", None)
    progress.advance(5)
    progress.finish()
    lines = stream.getvalue().replace(ERASE_LINE_END, "").split("\n")
    assert lines[0].split("\r")[-1] == "export   [############------------] 2/4"
    assert lines[1].split("\r")[-1] == "import   5"
    assert lines[2] == ""
