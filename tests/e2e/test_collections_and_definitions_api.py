"""Collections (create, list, get, scope) and definitions (register, list) over HTTP."""

from __future__ import annotations

import pytest

from tests.builders.wire import Entity
from tests.conftest import AUTH
from tests.e2e.importing import (
    COLLECTIONS,
    DEFINITIONS,
    INVOICE_BPMN,
    INVOICE_DMN,
    Client,
    create_collection,
    error_body,
    register_definition,
)

BPMN_NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'
BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE definitions [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<definitions {BPMN_NS}><process id="laughs" name="&lol9;"/></definitions>"""
EXTERNAL_ENTITY = f"""<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<definitions {BPMN_NS}><process id="xxe" name="&xxe;"/></definitions>"""
EXTERNAL_DTD = f"""<?xml version="1.0"?>
<!DOCTYPE definitions SYSTEM "http://127.0.0.1:9/evil.dtd">
<definitions {BPMN_NS}><process id="dtd"/></definitions>"""
PLAIN_DOCTYPE = f"""<?xml version="1.0"?>
<!DOCTYPE definitions>
<definitions {BPMN_NS}><process id="doctype"/></definitions>"""

REFUSED_XML = {
    "doctype": PLAIN_DOCTYPE,
    "billion-laughs": BILLION_LAUGHS,
    "external-entity": EXTERNAL_ENTITY,
    "external-dtd": EXTERNAL_DTD,
    "not-well-formed": f"<definitions {BPMN_NS}><process id='p'></definitions>",
    "not-xml": "this is not XML",
    "empty": "",
    "wrong-root": f"<process {BPMN_NS} id='p'/>",
    "no-process": f"<definitions {BPMN_NS}><collaboration id='c'/></definitions>",
    "dmn-as-process": INVOICE_DMN,
}


def definitions(client: Client) -> list[Entity]:
    response = client.get(DEFINITIONS, headers=AUTH)
    assert response.status_code == 200, response.text
    listed: list[Entity] = response.json()
    return listed


def fetched_collection(client: Client, collection_id: str) -> Entity:
    response = client.get(f"{COLLECTIONS}/{collection_id}", headers=AUTH)
    assert response.status_code == 200, response.text
    body: Entity = response.json()
    return body


def put_scope(client: Client, collection_id: str, body: object) -> int:
    response = client.put(f"{COLLECTIONS}/{collection_id}/scope", json=body, headers=AUTH)
    return response.status_code


# --- collections -----------------------------------------------------------------------------


def test_creating_a_collection_answers_its_id_and_the_collection_can_be_read(
    client: Client,
) -> None:
    response = client.post(
        f"{COLLECTIONS}/create", json={"name": "Operations", "ownerId": "jane"}, headers=AUTH
    )
    assert response.status_code == 200
    (field,) = response.json()
    assert field == "id"
    collection_id = response.json()["id"]
    body = fetched_collection(client, collection_id)
    assert body["id"] == collection_id
    assert body["name"] == "Operations"
    assert body["owner"] == "jane"
    assert body["data"]["scope"] == []


@pytest.mark.parametrize("content", [b"", b"{}", b'{"ownerId": "jane"}'])
def test_a_collection_created_without_a_name_is_called_new_collection(
    client: Client, content: bytes
) -> None:
    response = client.post(
        f"{COLLECTIONS}/create",
        content=content,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert fetched_collection(client, response.json()["id"])["name"] == "New Collection"


@pytest.mark.parametrize("content", [b'{"name": "   "}', b'{"name": 7}', b"[", b'"name"'])
def test_an_unusable_collection_body_is_a_bad_request(client: Client, content: bytes) -> None:
    response = client.post(
        f"{COLLECTIONS}/create",
        content=content,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    error_body(response, 400, "badRequestError")
    assert client.get(COLLECTIONS, headers=AUTH).json() == []


def test_the_collections_are_listed(client: Client) -> None:
    first = create_collection(client, "First")
    second = create_collection(client, "Second")
    response = client.get(COLLECTIONS, headers=AUTH)
    assert response.status_code == 200
    listed = {item["id"] for item in response.json()}
    assert listed == {first, second}


def test_an_unknown_collection_is_not_found(client: Client) -> None:
    response = client.get(f"{COLLECTIONS}/no-such-collection", headers=AUTH)
    body = error_body(response, 404, "notFoundError")
    assert "no-such-collection" in body["detailedMessage"]


def test_putting_a_scope_answers_204_and_shows_in_the_collection(client: Client) -> None:
    collection_id = create_collection(client)
    response = client.put(
        f"{COLLECTIONS}/{collection_id}/scope",
        json=[
            {"definitionType": "process", "definitionKey": "invoice", "tenants": [None]},
            {"definitionType": "decision", "definitionKey": "invoiceClassification"},
        ],
        headers=AUTH,
    )
    assert response.status_code == 204
    assert response.content == b""
    scope = fetched_collection(client, collection_id)["data"]["scope"]
    assert sorted((e["definitionType"], e["definitionKey"], e["tenants"]) for e in scope) == [
        ("decision", "invoiceClassification", [None]),
        ("process", "invoice", [None]),
    ]


def test_a_scope_entry_for_a_definition_in_scope_widens_its_tenants(client: Client) -> None:
    collection_id = create_collection(client)
    invoice = {"definitionType": "process", "definitionKey": "invoice"}
    assert put_scope(client, collection_id, [{**invoice, "tenants": [None]}]) == 204
    assert put_scope(client, collection_id, [{**invoice, "tenants": ["a", None]}]) == 204
    other = {"definitionType": "process", "definitionKey": "shipping", "tenants": ["b"]}
    assert put_scope(client, collection_id, [other, {**invoice, "tenants": ["c"]}]) == 204
    scope = {
        e["definitionKey"]: e["tenants"]
        for e in fetched_collection(client, collection_id)["data"]["scope"]
    }
    assert scope == {"invoice": [None, "a", "c"], "shipping": ["b"]}


def test_a_scope_for_an_unknown_collection_is_not_found(client: Client) -> None:
    response = client.put(
        f"{COLLECTIONS}/no-such-collection/scope",
        json=[{"definitionType": "process", "definitionKey": "invoice"}],
        headers=AUTH,
    )
    error_body(response, 404, "notFoundError")


@pytest.mark.parametrize(
    "content",
    [
        b'{"definitionType": "process", "definitionKey": "invoice"}',
        b'[{"definitionType": "report", "definitionKey": "invoice"}]',
        b'[{"definitionType": "process"}]',
        b'[{"definitionKey": "invoice"}]',
        b'[{"definitionType": "process", "definitionKey": "invoice", "tenants": "a"}]',
        b'[{"definitionType": "process", "definitionKey": 7}]',
        b"[",
        b"",
    ],
    ids=[
        "object",
        "unknown-type",
        "no-key",
        "no-type",
        "tenants-not-a-list",
        "numeric-key",
        "not-json",
        "empty",
    ],
)
def test_a_malformed_scope_body_is_a_bad_request_and_changes_nothing(
    client: Client, content: bytes
) -> None:
    collection_id = create_collection(client)
    response = client.put(
        f"{COLLECTIONS}/{collection_id}/scope",
        content=content,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    error_body(response, 400, "badRequestError")
    assert fetched_collection(client, collection_id)["data"]["scope"] == []


# --- definitions -----------------------------------------------------------------------------


def test_registering_bpmn_xml_reads_the_key_and_name_from_it(client: Client) -> None:
    response = register_definition(client, type="process", xml=INVOICE_BPMN)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "type": "process",
        "key": "invoice",
        "version": "1",
        "tenantId": None,
        "name": "Invoice Approval",
    }


def test_registering_dmn_xml_reads_the_decision_from_it(client: Client) -> None:
    response = register_definition(client, type="decision", xml=INVOICE_DMN, tenantId="t1")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "type": "decision",
        "key": "invoiceClassification",
        "version": "1",
        "tenantId": "t1",
        "name": "Invoice Classification",
    }


def test_the_version_defaults_to_1_then_2_for_the_same_key(client: Client) -> None:
    first = register_definition(client, type="process", xml=INVOICE_BPMN).json()
    second = register_definition(client, type="process", xml=INVOICE_BPMN).json()
    explicit = register_definition(client, type="process", xml=INVOICE_BPMN, version="7").json()
    assert [first["version"], second["version"], explicit["version"]] == ["1", "2", "7"]
    assert register_definition(client, type="process", key="invoice").json()["version"] == "8"


def test_a_key_and_name_without_xml_register_a_definition(client: Client) -> None:
    response = register_definition(client, type="decision", key="risk", name="Risk rating")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "type": "decision",
        "key": "risk",
        "version": "1",
        "tenantId": None,
        "name": "Risk rating",
    }


@pytest.mark.parametrize("case", list(REFUSED_XML))
def test_unsafe_or_broken_xml_is_a_bad_request_and_registers_nothing(
    client: Client, case: str
) -> None:
    response = register_definition(client, type="process", xml=REFUSED_XML[case])
    body = error_body(response, 400, "badRequestError")
    assert "root:" not in response.text
    assert "lollollol" not in body["detailedMessage"]
    assert definitions(client) == []


@pytest.mark.parametrize(
    "body",
    [
        {"type": "report", "key": "invoice"},
        {"type": "", "key": "invoice"},
        {"type": "process"},
        {"type": "process", "key": ""},
        {"type": "process", "key": "other", "xml": INVOICE_BPMN},
        {"key": "invoice"},
        {"type": "process", "key": "invoice", "version": " "},
    ],
    ids=[
        "unknown-type",
        "empty-type",
        "no-key-no-xml",
        "empty-key",
        "key-differs-from-xml",
        "no-type",
        "blank-version",
    ],
)
def test_an_unusable_definition_request_is_a_bad_request(client: Client, body: Entity) -> None:
    error_body(client.post(DEFINITIONS, json=body, headers=AUTH), 400, "badRequestError")
    assert definitions(client) == []


def test_the_registered_definitions_are_listed(client: Client) -> None:
    registered = [
        register_definition(client, type="process", xml=INVOICE_BPMN).json(),
        register_definition(client, type="process", xml=INVOICE_BPMN, tenantId="t1").json(),
        register_definition(client, type="decision", xml=INVOICE_DMN).json(),
        register_definition(client, type="process", key="shipping", version="4").json(),
    ]
    listed = definitions(client)
    key = lambda d: (d["type"], d["key"], d["version"], str(d["tenantId"]))  # noqa: E731
    assert sorted(listed, key=key) == sorted(registered, key=key)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", f"{COLLECTIONS}/create"),
        ("GET", COLLECTIONS),
        ("GET", f"{COLLECTIONS}/any"),
        ("PUT", f"{COLLECTIONS}/any/scope"),
        ("POST", DEFINITIONS),
        ("GET", DEFINITIONS),
    ],
)
def test_collections_and_definitions_need_the_token(client: Client, method: str, path: str) -> None:
    response = client.request(method, path, content=b"{}", headers={"Authorization": "Bearer no"})
    error_body(response, 401, "notAuthorizedError")
    assert client.get(COLLECTIONS, headers=AUTH).json() == []


def test_an_empty_tenant_is_refused_rather_than_taken_for_no_tenant(client: Client) -> None:
    response = client.post(
        "/api/public/definition",
        json={"type": "process", "key": "invoice", "tenantId": ""},
        headers=AUTH,
    )
    assert response.status_code == 400
    assert response.json()["errorCode"] == "badRequestError"
    assert client.get("/api/public/definition", headers=AUTH).json() == []
