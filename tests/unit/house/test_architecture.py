"""The house rules that import-linter cannot state: every top-level package has a layer, and no
two classes share a name."""

from __future__ import annotations

import ast
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUTSIDE_THE_LAYERS = {"tests", "benchmarks"}
PACKAGES = ("domain", "application", "adapters", "entrypoints")


def _importlinter() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    linter: dict[str, object] = config["tool"]["importlinter"]
    return linter


def test_every_top_level_package_sits_in_a_layer() -> None:
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in OUTSIDE_THE_LAYERS
    }
    linter = _importlinter()
    contracts = linter["contracts"]
    assert isinstance(contracts, list)
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    assert packages == set(layers), (
        "a new top-level package must choose its layer in pyproject.toml's layers contract"
    )
    root_packages = linter["root_packages"]
    assert isinstance(root_packages, list)
    assert packages == set(root_packages)


def shared_class_names(sources: dict[str, str]) -> dict[str, list[str]]:
    """Each class name defined in more than one place, with the modules that define it."""
    defined: dict[str, list[str]] = defaultdict(list)
    for module, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ClassDef):
                defined[node.name].append(module)
    return {name: modules for name, modules in defined.items() if len(modules) > 1}


def test_no_two_classes_of_the_four_packages_share_a_name() -> None:
    """A stranger reading `ErrorBody` should not have to ask which one."""
    sources = {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    shared = shared_class_names(sources)
    assert shared == {}


def test_the_name_check_sees_a_class_name_used_in_two_modules() -> None:
    sources = {"a.py": "class Answer:\n    pass\n", "b/c.py": "def f():\n    class Answer: ...\n"}
    assert shared_class_names(sources) == {"Answer": ["a.py", "b/c.py"]}
