from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from domain.json_document import JsonValue
from entrypoints.wire.json_input import nested_deeper_than, value_deeper_than

# Strings full of what could confuse a reader of raw JSON: quotes, brackets, backslashes.
tricky_text = st.text(alphabet='ab"[]{}\\\\/\\n\\u005b', max_size=6)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=40,
)


def depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    return 0


@given(json_values, st.integers(min_value=0, max_value=12), st.sampled_from([None, 0, 2]))
def test_both_readings_of_depth_agree_with_the_parsed_value(
    value: JsonValue, limit: int, indent: int | None
) -> None:
    document = json.dumps(value, indent=indent).encode()
    assert nested_deeper_than(document, limit) == (depth(value) > limit)
    assert value_deeper_than(value, limit) == (depth(value) > limit)


def test_brackets_and_quotes_inside_strings_do_not_count() -> None:
    assert not nested_deeper_than(b'{"a": "[[[[\\"{{{{", "b\\\\": ["]]]"]}', 2)
    assert nested_deeper_than(b'{"a": [[{}]]}', 3)
    assert not nested_deeper_than(b'{"a": [[{}]]}', 4)
