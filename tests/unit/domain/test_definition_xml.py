from __future__ import annotations

from pathlib import Path

import pytest

from domain.definition import DefinitionType
from domain.definition_xml import read_definition_xml
from domain.errors import DefinitionInvalid

DEMO = Path(__file__).resolve().parents[3] / "entrypoints" / "demo"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def test_the_key_and_name_of_a_bpmn_process_are_read() -> None:
    xml = (DEMO / "invoice.bpmn").read_text()
    assert read_definition_xml(DefinitionType.PROCESS, xml) == ("invoice", "Invoice Approval")


def test_the_key_and_name_of_a_dmn_decision_are_read() -> None:
    xml = (DEMO / "invoice-classification.dmn").read_text()
    key, name = read_definition_xml(DefinitionType.DECISION, xml)
    assert (key, name) == ("invoiceClassification", "Invoice Classification")


def test_the_executable_process_of_a_collaboration_is_chosen() -> None:
    xml = (
        f'<bpmn:definitions xmlns:bpmn="{BPMN}">'
        '<bpmn:process id="partner" isExecutable="false"/>'
        '<bpmn:process id="ours" name="Ours" isExecutable="true"/>'
        "</bpmn:definitions>"
    )
    assert read_definition_xml(DefinitionType.PROCESS, xml) == ("ours", "Ours")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<definitions><process id="&lol3;"/></definitions>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<definitions><process id="p" name="&secret;"/></definitions>"""
PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<definitions><process id="p"/></definitions>"""


@pytest.mark.parametrize(
    "xml",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, "<!DOCTYPE definitions><definitions/>"],
    ids=["entity-expansion", "external-entity", "parameter-entity", "bare-doctype"],
)
def test_any_document_type_declaration_is_refused(xml: str) -> None:
    with pytest.raises(DefinitionInvalid, match="refuses DTDs and entities"):
        read_definition_xml(DefinitionType.PROCESS, xml)


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<definitions><process id='p'>", "not well-formed"),
        ("not xml at all", "not well-formed"),
        ("<process id='p'/>", "root element is <process>"),
        ("<definitions><process name='no id'/></definitions>", "holds no <process> with an id"),
    ],
)
def test_an_unusable_document_names_the_problem(xml: str, message: str) -> None:
    with pytest.raises(DefinitionInvalid, match=message):
        read_definition_xml(DefinitionType.PROCESS, xml)


def test_a_bpmn_file_is_not_a_decision() -> None:
    with pytest.raises(DefinitionInvalid, match="DMN XML holds no <decision>"):
        read_definition_xml(DefinitionType.DECISION, (DEMO / "invoice.bpmn").read_text())


# Documents that declare entities, each of which a parser that honoured the declaration would
# read a file for, fetch a URL for, or expand into gigabytes.
BPMN_NAMESPACE = f'xmlns="{BPMN}"'
HOSTILE_XML = {
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<definitions {BPMN_NAMESPACE}><process id="invoice" name="&x;"/></definitions>'
    ),
    "external dtd": (
        '<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd">'
        f'<definitions {BPMN_NAMESPACE}><process id="invoice" name="n"/></definitions>'
    ),
    "parameter entity": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
        f'<definitions {BPMN_NAMESPACE}><process id="invoice"/></definitions>'
    ),
    "billion laughs": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "'
        + "a" * 50
        + '">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f']><definitions {BPMN_NAMESPACE}><process id="invoice" name="&j;"/></definitions>'
    ),
    "quadratic blowup": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "'
        + "x" * 50_000
        + f'">]><definitions {BPMN_NAMESPACE}><process id="invoice" name="'
        + "&a;" * 20_000
        + '"/></definitions>'
    ),
    "internal entity": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY k "invoice">]>'
        f'<definitions {BPMN_NAMESPACE}><process id="&k;"/></definitions>'
    ),
}


@pytest.mark.parametrize("definition_type", list(DefinitionType))
@pytest.mark.parametrize("xml", HOSTILE_XML.values(), ids=HOSTILE_XML.keys())
def test_xml_that_declares_entities_is_refused_at_its_document_type_without_reading_them(
    xml: str, definition_type: DefinitionType
) -> None:
    with pytest.raises(DefinitionInvalid) as refused:
        read_definition_xml(definition_type, xml)
    # Refused at the DOCTYPE, before any entity could be expanded or any element read.
    assert "document type" in refused.value.detail
    assert "root:" not in refused.value.detail
