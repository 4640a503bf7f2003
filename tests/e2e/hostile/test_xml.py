"""Definition XML over HTTP. One that declares a document type is a 400 and registers nothing
(each kind of such document, entity expansion included, is refused by `read_definition_xml`
itself: tests/unit/domain/test_definition_xml.py). An XInclude is an element like any other.
Hostile XML inside an imported report is data, replaced by the registered definition's."""

from __future__ import annotations

import pytest

from tests.builders.wire import process_report_entity
from tests.e2e.hostile.answers import assert_error
from tests.e2e.hostile.sending import post_file, send, send_json
from tests.e2e.importing import (
    DEFINITIONS,
    EXPORT_REPORTS,
    INVOICE_BPMN,
    Client,
    add_scope,
    create_collection,
    ready_collection,
)

BPMN = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'


EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f'<definitions {BPMN}><process id="invoice" name="&x;"/></definitions>'
)


def test_xml_that_declares_entities_is_a_bad_request_and_nothing_is_registered(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for definition_type in ("process", "decision"):
        with subtests.test(type=definition_type):
            body = {"type": definition_type, "xml": EXTERNAL_ENTITY}
            response = send_json(hostile, "POST", DEFINITIONS, body)
            error = assert_error(response, 400, "badRequestError")
            assert "document type" in error["detailedMessage"]
            assert "root:" not in response.text
    assert send(hostile, "GET", DEFINITIONS, None).json() == []


def test_xml_with_an_xinclude_is_read_as_plain_elements(hostile: Client) -> None:
    xml = INVOICE_BPMN.replace(
        '<bpmn:process id="invoice"',
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" '
        'parse="text"/><bpmn:process id="xinclude-check"',
        1,
    )
    assert "xi:include" in xml
    response = send_json(hostile, "POST", DEFINITIONS, {"type": "process", "xml": xml})
    assert response.status_code == 200, response.text
    assert response.json()["key"] == "xinclude-check"
    # What was stored is the XML as sent, the include an element like any other: an imported
    # report naming the key carries it back out, byte for byte.
    target = create_collection(hostile)
    add_scope(hostile, target, "process", "xinclude-check")
    imported = post_file(hostile, target, [process_report_entity("r1", key="xinclude-check")])
    assert imported.status_code == 200, imported.text
    exported = send_json(hostile, "POST", EXPORT_REPORTS, [imported.json()[0]["id"]])
    assert exported.status_code == 200, exported.text
    assert exported.json()[0]["data"]["configuration"]["xml"] == xml
    assert "root:" not in exported.text


def test_hostile_xml_in_an_imported_report_is_data_and_is_replaced(hostile: Client) -> None:
    target = ready_collection(hostile)
    report = process_report_entity("r1", xml=EXTERNAL_ENTITY)
    response = post_file(hostile, target, [report])
    assert response.status_code == 200, response.text
    (created,) = response.json()
    exported = send_json(hostile, "POST", EXPORT_REPORTS, [created["id"]])
    assert "root:" not in exported.text
    assert exported.json()[0]["data"]["configuration"]["xml"] == INVOICE_BPMN
