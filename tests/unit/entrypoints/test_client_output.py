from __future__ import annotations

import io

from entrypoints.cli.client_output import PlainProgress, TerminalProgress


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


def test_quiet_progress_writes_only_the_notes() -> None:
    stream = io.StringIO()
    progress = PlainProgress(quiet=True, stream=stream)
    progress.phase("export", 3)
    progress.advance(3)
    progress.note("careful")
    progress.finish()
    assert stream.getvalue() == "note: careful\n"


def test_terminal_progress_redraws_one_line_per_phase_with_counts() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress.phase("export", 4)
    progress.advance(2)
    progress.phase("import", None)
    progress.advance(5)
    progress.finish()
    lines = stream.getvalue().split("\n")
    assert lines[0].split("\r")[-1] == "export   [############------------] 2/4"
    assert lines[1].split("\r")[-1] == "import   5"
    assert lines[2] == ""
