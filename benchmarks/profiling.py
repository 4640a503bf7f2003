"""Sampling profiles of a running server with py-spy (`.venv/bin/pip install py-spy`), and a
summary of where the samples fell: by function, self and inclusive, as percentages.

    python -m benchmarks.profiling benchmarks/.work/profiles/*.txt [--top 30]
"""

from __future__ import annotations

import argparse
import collections
import re
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from benchmarks.paths import PY_SPY, REPO

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
_SITE = "site-packages/"


@contextmanager
def py_spy(pid: int, output: Path, *, rate: int = 200) -> Iterator[Path]:
    """Samples `pid` and its subprocesses (the uvicorn workers) while the block runs, into
    collapsed stacks at `output`."""
    if not PY_SPY.exists():
        raise RuntimeError("--profile needs py-spy: .venv/bin/pip install py-spy")
    output.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            str(PY_SPY),
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--nonblocking",
            "--rate",
            str(rate),
            "--format",
            "raw",
            "--output",
            str(output),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)  # let it attach before the work starts
    try:
        yield output
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _frame_name(frame: str) -> str:
    match = _FRAME.match(frame)
    if match is None:
        return frame
    where = match["file"]
    if _SITE in where:
        where = where.split(_SITE, 1)[1]
    elif where.startswith(str(REPO)):
        where = where[len(str(REPO)) + 1 :]
    return f"{match['function']} ({where})"


def read_collapsed(path: Path) -> list[tuple[list[str], int]]:
    stacks: list[tuple[list[str], int]] = []
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        stacks.append(([_frame_name(f) for f in frames], int(count)))
    return stacks


def summary(paths: Sequence[Path], *, top: int = 25) -> str:
    """The functions with the most samples, self (the sample was in that function) and
    inclusive (that function was on the stack), as shares of all samples."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for path in paths:
        for frames, count in read_collapsed(path):
            total += count
            if frames:
                own[frames[-1]] += count
            for name in set(frames):
                inclusive[name] += count
    if not total:
        return "no samples"
    lines = [f"{total} samples from {', '.join(str(p) for p in paths)}", "", "self %   function"]
    lines += [f"{100 * n / total:6.1f}   {name}" for name, n in own.most_common(top)]
    lines += ["", "incl %   function"]
    lines += [f"{100 * n / total:6.1f}   {name}" for name, n in inclusive.most_common(top)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25)
    arguments = parser.parse_args(argv)
    print(summary(arguments.paths, top=arguments.top))


if __name__ == "__main__":
    main()
