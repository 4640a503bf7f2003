"""Each tier of the suite has a make target of its own (issue 25): every test file sits in a
folder of tests/ that a `test-<tier>` target names, and every such target names a folder that
holds tests. A new tier, or a test file dropped straight into tests/, fails here, not silently
outside every target."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TIER_TARGETS = re.compile(r"^(test-[\w-]+(?: test-[\w-]+)*):", re.MULTILINE)


def tier_targets(makefile: str) -> set[str]:
    """The tiers that rules of the form `test-a test-b: ...` name, without the prefix."""
    return {
        target.removeprefix("test-")
        for targets in TIER_TARGETS.findall(makefile)
        for target in targets.split()
    }


def folders_holding_tests(tests: Path) -> set[str]:
    """The first path part, under tests/, of every test file (its name, if it is not in one)."""
    return {path.relative_to(tests).parts[0] for path in tests.rglob("test_*.py")}


def test_every_folder_of_tests_is_a_tier_with_its_make_target() -> None:
    tiers = tier_targets((ROOT / "Makefile").read_text(encoding="utf-8"))
    assert tiers == {"unit", "integration", "e2e", "system", "browser"}
    assert folders_holding_tests(ROOT / "tests") == tiers
