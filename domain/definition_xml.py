"""Reads the key and name of a BPMN process or DMN decision from its XML.

The parser refuses any document type declaration, so no entity can be declared, expanded or
fetched: entity-expansion bombs and external entities fail before they start. BPMN and DMN
files never need a DTD."""

from __future__ import annotations

from xml.parsers import expat

from domain.definition import DefinitionType
from domain.errors import DefinitionInvalid

_WANTED = {DefinitionType.PROCESS: "process", DefinitionType.DECISION: "decision"}
_LANGUAGE = {DefinitionType.PROCESS: "BPMN", DefinitionType.DECISION: "DMN"}


class _Refused(Exception):
    pass


def read_definition_xml(definition_type: DefinitionType, xml: str) -> tuple[str, str | None]:
    """(key, name) of the executable process, or else the first one, of a BPMN document; of
    the first decision of a DMN document."""
    language = _LANGUAGE[definition_type]
    found: list[tuple[str, str | None, bool]] = []
    root: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if not root:
            root.append(local)
        if local == _WANTED[definition_type] and attributes.get("id"):
            executable = attributes.get("isExecutable", "true").lower() == "true"
            found.append((attributes["id"], attributes.get("name"), executable))

    def refuse(*_: object) -> None:
        raise _Refused

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    try:
        parser.Parse(xml.encode("utf-8"), True)  # noqa: FBT003 - expat takes isfinal by position
    except _Refused:
        raise DefinitionInvalid(
            f"The {language} XML declares a document type; boardport refuses DTDs and entities."
        ) from None
    except expat.ExpatError as error:
        raise DefinitionInvalid(f"The {language} XML is not well-formed: {error}.") from None
    if root and root[0] != "definitions":
        raise DefinitionInvalid(
            f"The {language} XML's root element is <{root[0]}>, not <definitions>."
        )
    if not found:
        raise DefinitionInvalid(
            f"The {language} XML holds no <{_WANTED[definition_type]}> with an id."
        )
    key, name, _ = next((f for f in found if f[2]), found[0])
    return key, name
