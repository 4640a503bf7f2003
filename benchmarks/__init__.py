"""boardport's performance harness: `make bench`, or `python -m benchmarks.run --help`.

It starts the real `boardport serve` (and, for comparison, floor programs that do only the
unavoidable work) on SQLite and PostgreSQL, loads synthetic data, and prints each figure against
its target. Not part of `make test`.
"""
