from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from application.use_cases.list_definitions import ListDefinitions
from application.use_cases.register_definition import DefinitionRequest, RegisterDefinition
from domain.definition import Definition
from entrypoints.http.responses import api_error_specs
from entrypoints.http.schemas import DefinitionBody, DefinitionOut


class DefinitionController(Controller):
    """boardport has no engine to learn definitions from, so it is told which exist."""

    path = "/api/public/definition"
    tags = ("Definitions",)

    @post(
        operation_id="registerDefinition",
        summary="Register a process (BPMN) or decision (DMN) definition",
        status_code=200,
        sync_to_thread=True,
        responses=api_error_specs(
            {400: "The XML is not usable, or neither XML nor key was given."}, with_body=True
        ),
    )
    def register(
        self,
        register_definition: NamedDependency[RegisterDefinition],
        data: JSONBody[DefinitionBody],
    ) -> DefinitionOut:
        request = DefinitionRequest(
            type=data.type,
            xml=data.xml,
            key=data.key,
            name=data.name,
            version=data.version,
            tenant_id=data.tenantId,
        )
        return _out(register_definition(request))

    @get(
        operation_id="listDefinitions",
        summary="Every registered definition version",
        sync_to_thread=True,
        responses=api_error_specs(),
    )
    def list_all(self, list_definitions: NamedDependency[ListDefinitions]) -> list[DefinitionOut]:
        return [_out(d) for d in list_definitions()]


def _out(definition: Definition) -> DefinitionOut:
    return DefinitionOut(
        type=definition.type.value,
        key=definition.key,
        version=definition.version,
        tenantId=definition.tenant_id,
        name=definition.name,
    )
