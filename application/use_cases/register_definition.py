from __future__ import annotations

from dataclasses import dataclass

from application.ports.unit_of_work import WritingUnitOfWork
from domain.definition import Definition
from domain.definition_registration import draft_definition
from domain.limits import InputLimits


@dataclass(frozen=True, slots=True)
class DefinitionRequest:
    """A definition to register: its XML, or its key (and name) when there is no XML."""

    type: str
    xml: str | None = None
    key: str | None = None
    name: str | None = None
    version: str | None = None
    tenant_id: str | None = None


class RegisterDefinition:
    """Tells boardport that a process or decision definition exists (the rules are
    `draft_definition`'s). Registering an existing version again replaces its name and XML."""

    def __init__(
        self,
        uow: WritingUnitOfWork,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._uow = uow
        self._limits = limits

    def __call__(self, request: DefinitionRequest) -> Definition:
        draft = draft_definition(
            request.type,
            xml=request.xml,
            key=request.key,
            name=request.name,
            version=request.version,
            tenant_id=request.tenant_id,
            limits=self._limits,
        )
        with self._uow as uow:
            # Held, so that choosing the next version and saving it are one step.
            uow.definitions.lock_key(draft.type, draft.key)
            known = (
                uow.definitions.of_keys({(draft.type, draft.key)}) if draft.version is None else []
            )
            definition = draft.versioned(known)
            uow.definitions.save(definition)
            uow.commit()
        return definition
