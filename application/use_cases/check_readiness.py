from __future__ import annotations

from application.ports.readiness_probe import ReadinessProbe


class CheckReadiness:
    def __init__(self, probe: ReadinessProbe) -> None:
        self._probe = probe

    def __call__(self) -> bool:
        return self._probe.is_ready()
