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
    elements = _Elements(_WANTED[definition_type])
    _parse(xml, elements, language)
    if elements.root is not None and elements.root != "definitions":
        raise DefinitionInvalid(
            f"The {language} XML's root element is <{elements.root}>, not <definitions>."
        )
    if not elements.found:
        raise DefinitionInvalid(f"The {language} XML holds no <{elements.wanted}> with an id.")
    key, name, _ = next((f for f in elements.found if f[2]), elements.found[0])
    return key, name


class _Elements:
    """What the parser saw: the root element's local name, and each wanted element with an
    id as (id, name, executable)."""

    def __init__(self, wanted: str) -> None:
        self.wanted = wanted
        self.root: str | None = None
        self.found: list[tuple[str, str | None, bool]] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if self.root is None:
            self.root = local
        if local == self.wanted and attributes.get("id"):
            executable = attributes.get("isExecutable", "true").lower() == "true"
            self.found.append((attributes["id"], attributes.get("name"), executable))


def _parse(xml: str, elements: _Elements, language: str) -> None:
    def refuse(*_: object) -> None:
        raise _Refused

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = elements.start
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
