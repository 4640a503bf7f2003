"""Every request body is read as strict JSON, on each endpoint that reads one: bytes that are not
UTF-8, an object with a key twice, a number where a string belongs, null where a value is
needed, a NUL character, an escaped lone surrogate and a number beyond a double are each a 400
with the endpoint's errorCode, never a 500 and never a guess at what was meant."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.hostile.answers import assert_error
from tests.e2e.hostile.sending import (
    BODY_ENDPOINTS,
    PLAIN_REPORT,
    SCOPE,
    SHARE,
    demo_is_intact,
    send,
    send_json,
)
from tests.e2e.importing import COLLECTIONS, DEFINITIONS, EXPORT_DASHBOARDS, EXPORT_REPORTS, Client

INVALID_UTF8 = [
    b"\xff",
    b"\xc3\x28",  # a lead byte without its continuation
    b"\xc0\xaf",  # an overlong encoding of "/"
    b"\xed\xa0\x80",  # a UTF-16 surrogate encoded as UTF-8 (CESU-8)
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"a\x80",
]


def _with_a_string(valid: Any) -> str:
    """The valid body's JSON if it holds a string, else a one-string array."""
    text = json.dumps(valid)
    return text if '"' in text else '["X"]'


def _with_bytes(valid: Any, raw: bytes) -> bytes:
    """The valid body's JSON with `raw` spliced into its first string."""
    encoded = _with_a_string(valid).encode()
    marker = encoded.index(b'"') + 1
    return encoded[:marker] + raw + encoded[marker:]


def test_a_body_that_is_not_utf8_is_refused(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, code, valid in BODY_ENDPOINTS:
        for raw in INVALID_UTF8:
            with subtests.test(method=method, path=path, raw=raw):
                response = send(sqlite_hostile, method, path, _with_bytes(valid, raw))
                body = assert_error(response, 400, code)
                assert "UTF-8" in body["detailedMessage"]
        with subtests.test(method=method, path=path, encoding="utf-16"):
            utf16 = json.dumps(valid if valid is not None else []).encode("utf-16")
            assert_error(send(sqlite_hostile, method, path, utf16), 400, code)


DUPLICATE_KEY_BODIES: list[tuple[str, str, str]] = [
    ("POST", EXPORT_DASHBOARDS, '{"ids": ["123"], "ids": ["456"]}'),
    ("POST", EXPORT_REPORTS, '[{"a": 1, "a": 1}]'),
    ("POST", f"{COLLECTIONS}/create", '{"name": "a", "name": "b"}'),
    ("POST", f"{COLLECTIONS}/create", '{"name": "a", "ownerId": "o", "ownerId": "p"}'),
    ("PUT", SCOPE, '[{"definitionType": "process", "definitionKey": "a", "definitionKey": "b"}]'),
    ("POST", DEFINITIONS, '{"type": "process", "type": "decision", "key": "k"}'),
    ("POST", SHARE, '{"enabled": true, "enabled": false}'),
]


def test_a_json_body_with_a_key_twice_is_a_bad_request(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, text in DUPLICATE_KEY_BODIES:
        with subtests.test(method=method, path=path, body=text):
            body = assert_error(send(sqlite_hostile, method, path, text), 400, "badRequestError")
            assert "twice" in body["detailedMessage"]


NUMBER_FOR_STRING: list[tuple[str, str, Any]] = [
    ("POST", EXPORT_DASHBOARDS, [123]),
    ("POST", EXPORT_DASHBOARDS, 123),
    ("POST", EXPORT_REPORTS, ["a", 1.5]),
    ("POST", EXPORT_REPORTS, [True]),
    ("POST", f"{COLLECTIONS}/create", {"name": 5}),
    ("POST", f"{COLLECTIONS}/create", {"name": "n", "ownerId": 5}),
    ("PUT", SCOPE, [{"definitionType": 1, "definitionKey": "invoice"}]),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": 5}]),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "invoice", "tenants": [5]}]),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "invoice", "tenants": 5}]),
    ("POST", DEFINITIONS, {"type": 1, "key": "k"}),
    ("POST", DEFINITIONS, {"type": "process", "key": 5}),
    ("POST", DEFINITIONS, {"type": "process", "xml": 5}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "version": 2}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "tenantId": 7}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "name": 7}),
]


def test_a_number_where_a_string_belongs_is_a_bad_request(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, body in NUMBER_FOR_STRING:
        with subtests.test(method=method, path=path, body=body):
            assert_error(send_json(hostile, method, path, body), 400, "badRequestError")


NULL_BODIES: list[tuple[str, str, Any, int]] = [
    ("POST", EXPORT_DASHBOARDS, None, 200),
    ("POST", EXPORT_DASHBOARDS, [None], 400),
    ("POST", EXPORT_REPORTS, [PLAIN_REPORT, None], 400),
    ("POST", f"{COLLECTIONS}/create", None, 200),
    ("POST", f"{COLLECTIONS}/create", {"name": None}, 200),
    ("POST", f"{COLLECTIONS}/create", {"name": "n", "ownerId": None}, 200),
    ("PUT", SCOPE, None, 400),
    ("PUT", SCOPE, [None], 400),
    ("PUT", SCOPE, [{"definitionType": None, "definitionKey": "invoice"}], 400),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": None}], 400),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "k", "tenants": None}], 400),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "k", "tenants": [None]}], 204),
    ("POST", DEFINITIONS, None, 400),
    ("POST", DEFINITIONS, {"type": None, "key": "k"}, 400),
    ("POST", DEFINITIONS, {"type": "process", "xml": None, "key": None}, 400),
    (
        "POST",
        DEFINITIONS,
        {"type": "process", "key": "k", "version": None, "tenantId": None, "name": None},
        200,
    ),
    ("POST", SHARE, None, 204),
]


def test_null_in_a_body_is_refused_or_means_absent(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, body, status in NULL_BODIES:
        with subtests.test(method=method, path=path, body=body):
            response = send_json(hostile, method, path, body)
            if status >= 400:
                assert_error(response, status, "badRequestError")
            else:
                assert response.status_code == status, response.text


NUL_BODIES: list[tuple[str, str, Any]] = [
    ("POST", EXPORT_DASHBOARDS, ["a\u0000"]),
    ("POST", EXPORT_REPORTS, ["\u0000"]),
    ("POST", f"{COLLECTIONS}/create", {"name": "a\u0000b"}),
    ("POST", f"{COLLECTIONS}/create", {"name": "n", "ownerId": "\u0000"}),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "k\u0000"}]),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "k", "tenants": ["\u0000"]}]),
    ("POST", DEFINITIONS, {"type": "process", "key": "k\u0000"}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "tenantId": "\u0000"}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "version": "1\u0000"}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "name": "\u0000"}),
]


def test_a_nul_character_in_a_body_is_a_bad_request(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, content in NUL_BODIES:
        with subtests.test(method=method, path=path, body=content):
            body = assert_error(send_json(hostile, method, path, content), 400, "badRequestError")
            assert "NUL" in body["detailedMessage"]
    demo_is_intact(hostile)


LONE_SURROGATES = ['"\\ud800', '"a\\udfffb', '"\\udc00\\ud800']


def test_an_escaped_lone_surrogate_is_refused(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, code, valid in BODY_ENDPOINTS:
        text = _with_a_string(valid)
        for surrogate in LONE_SURROGATES:
            with subtests.test(method=method, path=path, surrogate=surrogate):
                spliced = text.replace('"', surrogate, 1)
                body = assert_error(send(sqlite_hostile, method, path, spliced), 400, code)
                assert "surrogate" in body["detailedMessage"]
        with subtests.test(method=method, path=path, surrogate="a pair"):
            paired = text.replace('"', '"\\ud83d\\ude00', 1)
            assert "surrogate" not in send(sqlite_hostile, method, path, paired).text


HUGE_NUMBERS = ("9" * 5000, "-" + "1" * 4301, "1" * 5000 + ".5", "1e999999", "-1e400")


def test_a_number_too_large_to_represent_is_refused(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, code, _ in BODY_ENDPOINTS:
        for number in HUGE_NUMBERS:
            with subtests.test(method=method, path=path, number=number[:12]):
                response = send(sqlite_hostile, method, path, f"[{number}]")
                body = assert_error(response, 400, code)
                # Ours says "too large to represent", msgspec's (on a plain array) "out of range".
                detail = body["detailedMessage"]
                assert "too large" in detail or "out of range" in detail, detail
