"""A revision's report content is cut the same way whether the report's data is known as text
(read from storage or a file) or only as a value (an import's rewritten data): the same blob,
the same XML, the same place, and the text put back together byte for byte."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adapters.sqlmodel.mappers import stored_text
from adapters.sqlmodel.revision_content import ContentParts, report_parts
from domain.entity_type import EntityType
from domain.json_document import DerivedDocument, JsonDocument, JsonValue
from domain.report import Report

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
# XML as Optimize sends it (quotes, newlines, non-ASCII), and texts that look like keys.
xml_texts = st.text(min_size=0, max_size=40) | st.sampled_from(
    ['<bpmn:definitions id="d">\n  <x a="1"/>\n</bpmn:definitions>', '"xml":"', "\\", "é日"]
)


@st.composite
def report_data(draw: st.DrawFn) -> dict[str, Any]:
    configuration = draw(st.dictionaries(st.text(max_size=6), json_values, max_size=3))
    if draw(st.booleans()):
        configuration["xml"] = draw(xml_texts)
    data = draw(st.dictionaries(st.text(max_size=8), json_values, max_size=4))
    data["configuration"] = configuration
    if draw(st.booleans()):
        # A second "xml" key elsewhere: the XML is then kept in the body, not cut.
        data["view"] = {"xml": draw(xml_texts)}
    return data


def report_with(data: JsonDocument) -> Report:
    return Report.from_data(
        report_id="r1",
        entity_type=EntityType.SINGLE_PROCESS_REPORT,
        name="Invoices",
        description=None,
        collection_id="c1",
        data=data,
    )


def put_together(parts: ContentParts) -> str:
    if parts.xml is None or parts.xml_at is None:
        return parts.body
    at = parts.xml_at
    return parts.body[:at] + stored_text(JsonDocument.from_value(parts.xml)) + parts.body[at:]


@given(report_data())
def test_a_value_is_cut_as_its_text_is_and_put_back_byte_for_byte(data: JsonValue) -> None:
    derived = DerivedDocument(lambda: data)
    text = stored_text(derived)
    from_value = report_parts(report_with(derived))
    from_text = report_parts(report_with(JsonDocument.from_text(text)))
    assert from_value == from_text
    assert put_together(from_value) == text


def test_the_usual_xml_is_cut_out_of_a_value_once() -> None:
    xml = '<bpmn:definitions id="invoice">é</bpmn:definitions>'
    data: JsonValue = {"view": {"entity": "flowNode"}, "configuration": {"xml": xml, "x": 1}}
    parts = report_parts(report_with(DerivedDocument(lambda: data)))
    assert parts.xml is xml
    assert parts.body == '{"view":{"entity":"flowNode"},"configuration":{"xml":,"x":1}}'
    assert parts.xml_at == parts.body.index(":,") + 1
