"""The house's size rules (issue 13): no module in domain/, application/, adapters/ or
entrypoints/ over 300 lines, no function over 40, the migrations aside."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("domain", "application", "adapters", "entrypoints")
MIGRATIONS = ROOT / "adapters" / "migrations"
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40


def modules() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if not path.is_relative_to(MIGRATIONS)
    ]


def size_problems(source: str) -> list[str]:
    """Each rule the module's source breaks: its length, and each function too long (methods
    and nested functions included, measured from `def` to the last line)."""
    problems = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        problems.append(f"{lines} lines (at most {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                problems.append(
                    f"{node.name} (line {node.lineno}) has {length} lines "
                    f"(at most {MAX_FUNCTION_LINES})"
                )
    return problems


def problems_by_module() -> dict[str, list[str]]:
    found = {}
    for path in modules():
        problems = size_problems(path.read_text(encoding="utf-8"))
        if problems:
            found[path.relative_to(ROOT).as_posix()] = problems
    return found


def test_no_module_or_function_is_over_the_house_limits() -> None:
    assert modules(), f"no module found under {ROOT}: the rule would hold vacuously"
    assert problems_by_module() == {}


def test_a_function_of_forty_lines_keeps_the_rule_and_one_of_forty_one_breaks_it() -> None:
    def function(lines: int) -> str:
        return "def f() -> None:\n" + "    pass\n" * (lines - 1)

    assert size_problems(function(MAX_FUNCTION_LINES)) == []
    assert size_problems(function(MAX_FUNCTION_LINES + 1)) == [
        "f (line 1) has 41 lines (at most 40)"
    ]


def test_a_long_method_nested_in_a_class_breaks_the_rule_too() -> None:
    source = "class C:\n    async def m(self) -> None:\n" + "        pass\n" * MAX_FUNCTION_LINES
    assert size_problems(source) == ["m (line 2) has 41 lines (at most 40)"]


def test_a_module_of_three_hundred_and_one_lines_breaks_the_rule() -> None:
    assert size_problems("x = 1\n" * MAX_MODULE_LINES) == []
    assert size_problems("x = 1\n" * (MAX_MODULE_LINES + 1)) == ["301 lines (at most 300)"]
