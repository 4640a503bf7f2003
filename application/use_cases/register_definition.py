from __future__ import annotations

from dataclasses import dataclass

from application.ports.unit_of_work import UnitOfWork
from domain.definition import Definition, DefinitionType, next_version
from domain.definition_xml import read_definition_xml
from domain.errors import DefinitionInvalid
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
    """Tells boardport that a process or decision definition exists. Key and name come from the
    XML when it is given. Without a version, the definition becomes the next version of its key
    for that tenant (version 1 for a new key). Registering an existing version again replaces
    its name and XML."""

    def __init__(
        self,
        uow: UnitOfWork,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._uow = uow
        self._limits = limits

    def __call__(self, request: DefinitionRequest) -> Definition:
        definition_type = _type_of(request.type)
        key, name = request.key, request.name
        if request.xml is not None:
            read_key, read_name = read_definition_xml(definition_type, request.xml)
            if key is not None and key != read_key:
                raise DefinitionInvalid(
                    f'The key "{key}" differs from the key "{read_key}" in the XML.'
                )
            key, name = read_key, name or read_name
        if not key:
            raise DefinitionInvalid("A definition needs its XML, or at least a key.")
        if request.version is not None and not request.version.strip():
            raise DefinitionInvalid("A definition version, when given, must not be empty.")
        if request.tenant_id is not None and not request.tenant_id.strip():
            raise DefinitionInvalid("A tenant, when given, must not be empty; null means none.")
        for field, value in (
            ("key", key),
            ("version", request.version),
            ("tenantId", request.tenant_id),
        ):
            if value is not None and len(value) > self._limits.max_id_length:
                raise DefinitionInvalid(
                    f"The definition's {field} has {len(value)} characters; at most "
                    f"{self._limits.max_id_length} are allowed (the limit BOARDPORT_MAX_ID_LENGTH)."
                )
        with self._uow as uow:
            uow.definitions.lock_key(definition_type, key)
            version = request.version
            if version is None:
                known = uow.definitions.of_keys({(definition_type, key)})
                version = next_version(d.version for d in known if d.tenant_id == request.tenant_id)
            definition = Definition(
                definition_type, key, version, request.tenant_id, name, request.xml
            )
            uow.definitions.save(definition)
            uow.commit()
        return definition


def _type_of(text: str) -> DefinitionType:
    try:
        return DefinitionType(text.lower())
    except ValueError:
        raise DefinitionInvalid(
            f'A definition type is "process" or "decision", not "{text}".'
        ) from None
