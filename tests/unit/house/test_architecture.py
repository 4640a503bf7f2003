"""The house rules that import-linter cannot state: every top-level package has a layer."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUTSIDE_THE_LAYERS = {"tests", "benchmarks"}


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
