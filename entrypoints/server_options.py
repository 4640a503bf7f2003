from __future__ import annotations

from typing import Any

from entrypoints.settings import Settings

APP_FACTORY = "entrypoints.asgi:create_served_app"
DEMO_APP_FACTORY = "entrypoints.asgi:create_demo_app"
"""`serve --demo`'s workers build their settings from the environment and the demo flag, which
this name carries to them: nothing is written to the environment."""


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How `boardport serve` runs uvicorn, app aside. The benchmark's floor app runs with the
    same options, so a comparison measures the app and nothing else."""
    return {
        "factory": True,
        "host": settings.host,
        "port": settings.port,
        "workers": settings.workers,
        "log_level": settings.log_level,
        "server_header": False,
    }
