from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency

from application.use_cases.check_readiness import CheckReadiness
from entrypoints.error_table import SERVICE_UNAVAILABLE, body_of
from entrypoints.http.responses import error_specs, success_spec
from entrypoints.http.schemas import Readiness


class HealthController(Controller):
    path = "/api"
    tags = ("Health",)

    @get(
        "/readyz",
        operation_id="readiness",
        summary="200 when the database answers, 503 when it does not; needs no token",
        sync_to_thread=True,
        responses={
            200: success_spec(Readiness, "The database answers."),
            **error_specs({503: "The database is not reachable."}),
        },
    )
    def readyz(
        self, check_readiness: NamedDependency[CheckReadiness]
    ) -> Response[Readiness | dict[str, object]]:
        if check_readiness():
            return Response(Readiness(status="ready"))
        body = body_of(SERVICE_UNAVAILABLE, "The database is not reachable.")
        return Response(body.to_json(), status_code=body.status)
