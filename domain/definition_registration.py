"""The rules for telling boardport that a definition exists: what a registration must say, and
which version it becomes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.definition import Definition, DefinitionType, next_version
from domain.definition_xml import read_definition_xml
from domain.errors import DefinitionInvalid
from domain.limits import InputLimits


@dataclass(frozen=True, slots=True)
class DefinitionDraft:
    """A definition to register, checked, whose version may still have to be chosen."""

    type: DefinitionType
    key: str
    name: str | None
    version: str | None
    tenant_id: str | None
    xml: str | None

    def versioned(self, known: Iterable[Definition]) -> Definition:
        """The definition to store. Without a version it becomes the next version of its key
        for its tenant among `known` (version 1 for a new key)."""
        version = self.version
        if version is None:
            version = next_version(
                d.version
                for d in known
                if (d.type, d.key, d.tenant_id) == (self.type, self.key, self.tenant_id)
            )
        return Definition(self.type, self.key, version, self.tenant_id, self.name, self.xml)


def draft_definition(
    type_name: str,
    *,
    xml: str | None = None,
    key: str | None = None,
    name: str | None = None,
    version: str | None = None,
    tenant_id: str | None = None,
    limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
) -> DefinitionDraft:
    """A registration, checked: a known type; key and name read from the XML when it is given
    (a key given beside it must agree); a version and a tenant, when given, not blank; key,
    version and tenant at most `max_id_length` characters."""
    definition_type = _type_of(type_name)
    if xml is not None:
        read_key, read_name = read_definition_xml(definition_type, xml)
        if key is not None and key != read_key:
            raise DefinitionInvalid(
                f'The key "{key}" differs from the key "{read_key}" in the XML.'
            )
        key, name = read_key, name or read_name
    if not key:
        raise DefinitionInvalid("A definition needs its XML, or at least a key.")
    if version is not None and not version.strip():
        raise DefinitionInvalid("A definition version, when given, must not be empty.")
    if tenant_id is not None and not tenant_id.strip():
        raise DefinitionInvalid("A tenant, when given, must not be empty; null means none.")
    for field, value in (("key", key), ("version", version), ("tenantId", tenant_id)):
        if value is not None and len(value) > limits.max_id_length:
            raise DefinitionInvalid(
                f"The definition's {field} has {len(value)} characters; at most "
                f"{limits.max_id_length} are allowed.",
                limit="max_id_length",
            )
    return DefinitionDraft(definition_type, key, name, version, tenant_id, xml)


def _type_of(text: str) -> DefinitionType:
    try:
        return DefinitionType(text.lower())
    except ValueError:
        raise DefinitionInvalid(
            f'A definition type is "process" or "decision", not "{text}".'
        ) from None
