"""Schemathesis against the served ``/openapi.json``, every check (``--checks all``), stateless part.

The schema is fetched as an authority administrator (``/openapi.json`` needs a login) and every
operation is called with generated valid and invalid requests under the same bearer token. Each
operation is its own test, so the database is rolled back between operations (``db`` fixture).
Generation is derandomized: CI sees the same requests on every run. The stateful phase, which
follows the OpenAPI links from created records, is in ``test_openapi_stateful.py``; what both share
(the checks, the custom formats, the rules no schema can state) is in ``tests/contract.py``.

The schemathesis pytest plugin's lazy ``from_fixture`` loader does not work with pytest 9.2 (it
sets ``Node._nodeid``), so the tests below build the Hypothesis test of one operation themselves.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.app.main import create_app
from logispace.core.config import Settings
from logispace.core.crypto import secret_digest
from logispace.domains.identity import service as identity_service
from logispace.domains.identity.models import ApiToken, User
from logispace.domains.ledger import document_service
from logispace.domains.ledger import service as ledger_service
from logispace.domains.ledger.documents.schemas import DocumentFields
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.enums import ApplicationType, SubjectKind
from logispace.domains.registration.schemas import ApplicationCreate
from tests import contract
from tests.conftest import World
from tests.factories.identity import make_token

MAX_EXAMPLES = max(contract.FUZZ_EXAMPLES, 40)
"""Examples per operation: 40 in CI (about 80 s for every operation on SQLite, one process)."""


def _untyped_encoding(spec: dict[str, Any], method: str, path: str) -> bool:
    """True when the operation takes query arrays or a multipart form: encodings without types, where
    schemathesis's "negative" data (a boolean, a number, an empty array) arrives as a valid string or
    as no field at all, so the API rightly accepts it. Every other check still runs on these."""
    operation = spec["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return True
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        variants = schema.get("anyOf", [schema])
        if parameter.get("in") == "query" and any(v.get("type") == "array" for v in variants):
            return True
    return False


def _operations() -> list[tuple[str, str]]:
    """Every operation of the app's OpenAPI description (built offline, for parametrization)."""
    spec = create_app(Settings(database_url="sqlite://")).openapi()
    return [(method.upper(), path) for path, item in spec["paths"].items() for method in item]


OPERATIONS = _operations()


@pytest.fixture
def api_schema(app: FastAPI, world: World) -> Any:
    """The schema as the running app serves it to a logged-in caller."""
    return contract.load_schema(app, world.authority_admin.headers)


def test_served_schema_lists_the_tested_operations(api_schema: Any, client: TestClient) -> None:
    served = {
        (method.upper(), path) for path, item in api_schema.raw_schema["paths"].items() for method in item
    }
    assert served == set(OPERATIONS)
    assert len(OPERATIONS) >= 16
    assert client.get("/openapi.json").status_code == 401


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_its_schema(
    method: str, path: str, api_schema: Any, world: World, db: Session
) -> None:
    headers = world.authority_admin.headers
    operation = api_schema[path][method]
    # Real records for path parameters too, so that success responses are checked, not only 404s.
    # The token is a spare one: revoking it must not lock the test out.
    admin = db.get(User, world.authority_admin.user_id)
    assert admin is not None
    spare = make_token(db, admin)
    db.commit()
    spare_id = db.scalars(select(ApiToken.id).where(ApiToken.digest == secret_digest(spare))).one()
    known = {
        "party_id": str(world.b_admin.party_id),
        "user_id": str(world.b_admin.user_id),
        "token_id": str(spare_id),
    }
    if path.startswith("/api/v1/ledger"):
        ledger_service.append_many(db, [("test.event", f"s{i}", {"i": i}, None) for i in range(21)])
        db.commit()
        known["index"] = "7"
    if "{document_id}" in path:
        issuer = db.get(User, world.b_admin.user_id)
        assert issuer is not None
        done = document_service.notarize(
            db,
            identity_service.principal_of_user(db, issuer),
            Settings(),
            document_service.json_content({"waybill": "LS-1"}),
            DocumentFields(title="运单"),
        )
        db.commit()
        known["document_id"] = str(done.document.id)
    if path.startswith("/api/v1/registration/applications/{application_id}"):
        known["application_id"] = _registration_draft(db, world)
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    fixed = {name: value for name, value in known.items() if f"{{{name}}}" in path}
    if fixed:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed))
    statuses: Counter[int] = Counter()
    checks = contract.STATELESS_CHECKS
    if _untyped_encoding(api_schema.raw_schema, method, path):
        checks = [check for check in checks if check is not negative_data_rejection]

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=st.one_of(strategies))
    def call(case: schemathesis.Case) -> None:
        response = case.call_and_validate(headers=headers, checks=checks)
        statuses[response.status_code] += 1

    call()
    print(f"{method} {path}: {sum(statuses.values())} cases {dict(statuses)}")  # -s shows it
    # An operation without parameters or body has one possible request; the others vary.
    inputs = len(operation.path_parameters) + len(operation.query) + len(operation.body)
    assert sum(statuses.values()) >= (10 if inputs else 1), statuses
    assert all(status < 500 for status in statuses), statuses


def _registration_draft(db: Session, world: World) -> str:
    """A draft product registration of party B whose receipt (a notarized JSON document) commits to it."""
    user = db.get(User, world.b_admin.user_id)
    assert user is not None
    principal = identity_service.principal_of_user(db, user)
    content = document_service.json_content({"product": "运价指数"})
    done = document_service.notarize(db, principal, Settings(), content, DocumentFields(title="产品存证"))
    body = ApplicationCreate(
        application_type=ApplicationType.INITIAL,
        subject_kind=SubjectKind.PRODUCT,
        product_name="公路运价指数",
        content_sha256=content.sha256,
        evidence_ledger_index=done.ledger_index,
    )
    draft = application_service.create_application(db, principal, Settings(), body)
    db.commit()
    return str(draft.id)


# -- what schemathesis found, pinned down -------------------------------------------------------


def test_fields_that_may_not_be_null_are_not_described_as_nullable(
    client: TestClient, api_schema: Any, world: World
) -> None:
    """PATCH bodies: a property the schema allows to be null is accepted as null, others are 422."""
    components = api_schema.raw_schema["components"]["schemas"]
    targets = {
        "PartyUpdate": f"/api/v1/parties/{world.b_admin.party_id}",
        "UserUpdate": f"/api/v1/users/{world.b_admin.user_id}",
    }
    for model, url in targets.items():
        properties = components[model]["properties"]
        assert properties
        for name, prop in properties.items():
            nullable = {"type": "null"} in prop.get("anyOf", [])
            response = client.patch(url, json={name: None}, headers=world.authority_admin.headers)
            assert response.status_code == (200 if nullable else 422), (model, name, response.text)


def test_username_pattern_is_in_the_schema(api_schema: Any) -> None:
    username = api_schema.raw_schema["components"]["schemas"]["UserCreate"]["properties"]["username"]
    assert username["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$"


def test_nul_characters_are_refused_as_invalid_input(client: TestClient, world: World) -> None:
    """PostgreSQL cannot store NUL in text; it used to surface as a 500 from the database."""
    headers = world.authority_admin.headers
    party_url = f"/api/v1/parties/{world.b_admin.party_id}"
    for url, body in [
        (party_url, {"address": "a\x00b"}),
        (party_url, {"contact_email": "a\x00@b.example"}),
        (f"{party_url}/real-name-verifications", {"status": "verified", "method": "\x00"}),
        ("/api/v1/tokens", {"name": "x\x00"}),
    ]:
        method = "PATCH" if url == party_url else "POST"
        response = client.request(method, url, json=body, headers=headers)
        assert response.status_code == 422, (url, body, response.text)
    for url in ("/api/v1/parties?q=%00", "/api/v1/users?q=a%00"):
        assert client.get(url, headers=headers).status_code == 422


def test_token_lifetime_must_be_a_number_not_a_boolean(client: TestClient, world: World) -> None:
    headers = world.authority_admin.headers
    refused = client.post("/api/v1/tokens", json={"name": "t", "expires_in_days": True}, headers=headers)
    assert refused.status_code == 422, refused.text
    accepted = client.post("/api/v1/tokens", json={"name": "t", "expires_in_days": 1}, headers=headers)
    assert accepted.status_code == 201, accepted.text
