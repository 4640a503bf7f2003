from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency

from application.use_cases.set_sharing import SetSharing
from entrypoints.http.responses import api_error_specs

_ERRORS = api_error_specs(with_body=True)


class SharingController(Controller):
    path = "/api/public/share"
    tags = ("Sharing",)

    @post(
        "/enable",
        operation_id="enableSharing",
        summary="Allow sharing",
        status_code=204,
        sync_to_thread=True,
        responses=_ERRORS,
    )
    def enable(self, set_sharing: NamedDependency[SetSharing]) -> None:
        set_sharing(enabled=True)

    @post(
        "/disable",
        operation_id="disableSharing",
        summary="Forbid sharing",
        status_code=204,
        sync_to_thread=True,
        responses=_ERRORS,
    )
    def disable(self, set_sharing: NamedDependency[SetSharing]) -> None:
        set_sharing(enabled=False)
