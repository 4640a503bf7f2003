# Two commands set up everything: `make serve` (the demo) and `make test` (the whole suite).
# Each creates .venv from the hash-pinned lock file on first use. One tier of the suite alone,
# without lint: `make test-unit`, `test-integration`, `test-e2e`, `test-system`, `test-browser`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: serve test test-unit test-integration test-e2e test-system test-browser lint bench audit lock clean

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

serve: $(INSTALLED)
	$(BIN)/boardport serve --demo

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The browser tests drive Debian's chromium (Playwright's own browser download cannot be used):
# installed here when it is missing and this is root with apt-get; otherwise those tests skip
# with the reason shown (under CI=true they fail).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	-@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing chromium for the browser tests" >&2; \
		apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2; \
	else echo "chromium is missing and cannot be installed here; the browser tests will say so" >&2; fi

PYTEST := $(BIN)/pytest -n auto --dist loadgroup

test: lint | $(CHROMIUM)
	$(PYTEST)

# Each tier is a folder of tests/ (tests/unit/house/test_test_tiers.py keeps the two in step).
test-unit test-integration test-e2e test-system: test-%: $(INSTALLED)
	$(PYTEST) tests/$*

test-browser: $(INSTALLED) | $(CHROMIUM)
	$(PYTEST) tests/browser

# The performance harness of benchmarks/ (not part of `make test`): 3 runs on SQLite and
# PostgreSQL, each figure against its target. Needs wrk and a PostgreSQL at 127.0.0.1:5432.
# The 25 KB-XML import file is 308 MB, so the servers run with a 512 MiB body limit.
# BENCH_FLAGS="--record" writes benchmarks/RESULTS.md.
bench: $(INSTALLED)
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk; install it with: apt-get install wrk" >&2; exit 1; }
	$(BIN)/python -m benchmarks.run --runs 3 --databases sqlite,postgresql --max-body-bytes 536870912 $(BENCH_FLAGS)

# Regenerates requirements.lock from pyproject.toml (needs the network).
lock:
	$(PYTHON) -m venv /tmp/boardport-lock-venv
	/tmp/boardport-lock-venv/bin/pip install --quiet pip-tools
	/tmp/boardport-lock-venv/bin/pip-compile --quiet --allow-unsafe --generate-hashes \
		--extra test --extra build --strip-extras --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis

# Audits every locked dependency for known vulnerabilities. Needs pypi.org (or OSV) reachable;
# --strict makes it fail, rather than pass, when a package could not be checked.
audit:
	$(PYTHON) -m venv .venv-audit
	.venv-audit/bin/python -m pip install --quiet --disable-pip-version-check pip-audit
	.venv-audit/bin/pip-audit --strict --requirement requirements.lock --require-hashes --disable-pip
