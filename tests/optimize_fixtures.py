"""The real export files in ../shared/fixtures/optimize/, read in place and never copied."""

from __future__ import annotations

import json
import os
from pathlib import Path

from domain.json_document import JsonValue
from tests.databases import unavailable

REPO_ROOT = Path(__file__).resolve().parent.parent

# Current layout (tiles), report version 11 and dashboard version 8.
CURRENT_LAYOUT_DASHBOARD_FILES = (
    "kh-c8-sm84-9reports-2dashboards-text-tiles.json",
    "kh-c8-8reports-1dashboard.json",
    "thirdparty-generated-ai-cost-dashboard-v11-v8.json",
    "optimize-instant-preview-template2-kpi-dashboard-v11-v8.json",
)
CURRENT_LAYOUT_REPORT_FILES = (
    "kh-c8-saas-10reports-only.json",
    "kh-c8-saas-2reports-export-response.json",
    "optimize-template4-agentic-management-reports-v11.json",
)
LEGACY_LAYOUT_FILE = "c8-js-sdk-process-performance-dashboard-v9-v6.json"


def fixtures_dir() -> Path:
    configured = os.environ.get("BOARDPORT_OPTIMIZE_FIXTURES")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "fixtures" / "optimize"


def load_fixture(name: str) -> JsonValue:
    path = fixtures_dir() / name
    if not path.is_file():
        unavailable(f"Optimize fixture {path} is not there (set BOARDPORT_OPTIMIZE_FIXTURES)")
    value: JsonValue = json.loads(path.read_text(encoding="utf-8"))
    return value
