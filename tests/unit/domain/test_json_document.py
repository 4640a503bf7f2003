from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.json_document import JsonDocument, JsonValue

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_text_and_value_describe_the_same_document(value: JsonValue) -> None:
    from_value = JsonDocument.from_value(value)
    from_text = JsonDocument.from_text(from_value.text)
    assert from_text == from_value
    assert JsonDocument.from_text(from_text.text).text == from_value.text


def test_a_document_from_text_keeps_the_text_byte_for_byte() -> None:
    text = '{"b": 1,  "a": [1.0, "\\u00e9"]}'
    assert JsonDocument.from_text(text).text == text


def test_true_and_one_are_different_json() -> None:
    assert JsonDocument.from_value(True) != JsonDocument.from_value(1)
    assert JsonDocument.from_value(1) == JsonDocument.from_value(1.0)
    assert JsonDocument.from_value({"a": [True]}) != JsonDocument.from_value({"a": [1]})


def test_copies_do_not_change_the_document() -> None:
    document = JsonDocument.from_value({"a": [1]})
    copy = document.copy_value()
    assert isinstance(copy, dict)
    copy["a"] = []
    assert document.value == {"a": [1]}
