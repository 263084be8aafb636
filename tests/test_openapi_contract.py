"""The OpenAPI description says what the API does (issue 15 point 12), pinned down case by case.

* Request bodies take JSON's own types: ``0``, ``"true"`` or ``"5"`` where the schema says a boolean or
  an integer, and a number where it says a date, are refused (422), as the schema says.
* Rules the API applies and a schema can state are in the schema: identifiers' patterns and formats,
  fields required together, ``date-time`` query parameters.
* The security scheme names exactly the public operations, and every link leads to an operation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from pydantic import ValidationError

from logispace.app.main import create_app
from logispace.core.config import Settings
from logispace.core.identifiers import USCC_JSON_SCHEMA, check_uscc, uscc_with_check_character
from logispace.core.transport_ids import CONTAINER_JSON_SCHEMA, check_container
from logispace.domains.catalog.schemas import ResourceCreate
from logispace.domains.logistics.waybills.policies import CargoLine
from logispace.domains.registration.certificates.schemas import RenewalRequestCreate
from logispace.domains.registration.schemas import ApplicationCreate
from tests import contract
from tests.conftest import World
from tests.identity.test_authentication import PUBLIC


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app(Settings(database_url="sqlite://")).openapi()


# -- JSON's own types ------------------------------------------------------------------------------

SCHEMA_VIOLATING = [
    ("PATCH", "party", {"is_legal_person": 0}),
    ("PATCH", "party", {"is_legal_person": "true"}),
    ("PATCH", "user", {"is_active": 1}),
    ("PATCH", "user", {"is_active": "false"}),
    ("POST", "/api/v1/tokens", {"name": "t", "expires_in_days": "7"}),
    ("POST", "/api/v1/tokens", {"name": "t", "expires_in_days": True}),
    ("POST", "/api/v1/tokens", {"name": "t", "expires_in_days": 1.5}),
]


@pytest.mark.parametrize(
    ("method", "target", "body"), SCHEMA_VIOLATING, ids=[str(b) for _, _, b in SCHEMA_VIOLATING]
)
def test_values_of_another_json_type_are_refused(
    client: TestClient, world: World, method: str, target: str, body: dict[str, Any]
) -> None:
    url = {
        "party": f"/api/v1/parties/{world.b_admin.party_id}",
        "user": f"/api/v1/users/{world.b_admin.user_id}",
    }.get(target, target)
    response = client.request(method, url, json=body, headers=world.authority_admin.headers)
    assert response.status_code == 422, response.text
    assert [e["loc"][-1] for e in response.json()["errors"]] == list(body)[-1:]


def test_a_query_parameter_of_one_value_given_twice_is_refused(client: TestClient, world: World) -> None:
    headers = world.authority_admin.headers
    refused = client.get("/api/v1/parties?q=a&q=b&limit=5", headers=headers)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["loc"] == ["query", "q"]
    assert (
        client.get("/api/v1/parties?limit=5&limit=6", headers=headers).status_code == 422
    )  # a model's field
    assert client.get("/api/v1/parties?q=a&limit=5", headers=headers).status_code == 200
    listed = client.get("/epcis/events?EQ_action=ADD&EQ_action=OBSERVE", headers=world.b_admin.headers)
    assert listed.status_code == 200, listed.text  # a list parameter takes several


def test_json_integers_written_with_a_zero_fraction_are_integers(client: TestClient, world: World) -> None:
    """JSON Schema counts ``7.0`` as an integer, so the API takes it as one."""
    response = client.post(
        "/api/v1/tokens", json={"name": "t", "expires_in_days": 7.0}, headers=world.authority_admin.headers
    )
    assert response.status_code == 201, response.text


BODY_MODELS = [
    ("ResourceCreate", "record_count", "12", "integer"),
    ("ResourceCreate", "temporal_start", 0, "date"),
    ("ApplicationCreate", "internal_business_review_done", "true", "boolean"),
    ("ApplicationCreate", "evidence_ledger_index", "3", "integer"),
    ("ApplicationCreate", "operating_term_end", 20300101, "date"),
    ("CargoLine", "packages", "3", "integer"),
    ("CargoLine", "gross_weight_kg", "12.5", "number"),
    ("RenewalRequestCreate", "still_needed", 1, "boolean"),
]


@pytest.mark.parametrize(("model", "field", "value", "json_type"), BODY_MODELS)
def test_body_models_refuse_what_their_schema_refuses(
    spec: dict[str, Any], model: str, field: str, value: object, json_type: str
) -> None:
    classes = {c.__name__: c for c in (ResourceCreate, CargoLine, RenewalRequestCreate, ApplicationCreate)}
    prop = spec["components"]["schemas"][model]["properties"][field]
    described = {alt.get("type") for alt in prop.get("anyOf", [prop])}
    assert json_type in described or (json_type == "date" and "string" in described), prop
    errors = _errors(classes[model], {field: value})
    assert field in errors, errors


def _errors(model: Any, data: dict[str, Any]) -> set[str]:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return {str(e["loc"][0]) for e in exc.errors()}
    return set()


# -- rules in the schema ---------------------------------------------------------------------------


def test_identifier_rules_are_in_the_schema(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for model, field in (
        ("PartyCreate", "uscc"),
        ("WaybillDraft", "consignor_uscc"),
        ("Leg", "carrier_uscc"),
    ):
        assert schemas[model]["properties"][field] | USCC_JSON_SCHEMA == schemas[model]["properties"][field]
    containers = schemas["WaybillDraft"]["properties"]["containers"]["items"]
    assert containers["format"] == "iso6346"
    assert schemas["ContainerCreate"]["properties"]["number"]["pattern"] == CONTAINER_JSON_SCHEMA["pattern"]
    assert re.fullmatch(schemas["ContainerCreate"]["properties"]["size_type"]["pattern"], "22G1")
    path = spec["paths"]["/api/v1/containers/{number}"]["get"]["parameters"][0]["schema"]
    assert path["format"] == "iso6346"


VALID_USCC = [
    "91350100M000100Y43",
    uscc_with_check_character("Y1110000MA0000001"),
    uscc_with_check_character("N2110000MA0000001"),
    uscc_with_check_character("A1110000MA0000001"),
]


@pytest.mark.parametrize("code", VALID_USCC)
def test_the_uscc_pattern_admits_every_code_the_check_admits(code: str) -> None:
    assert check_uscc(code) == code
    assert re.fullmatch(str(USCC_JSON_SCHEMA["pattern"]), code)


@settings(max_examples=200, derandomize=True, database=None)
@given(uscc=contract.USCC_VALUES, container=contract.CONTAINER_VALUES)
def test_generated_identifiers_pass_the_checks_and_patterns(uscc: str, container: str) -> None:
    assert check_uscc(uscc) == uscc and re.fullmatch(str(USCC_JSON_SCHEMA["pattern"]), uscc)
    assert check_container(container) == container
    assert re.fullmatch(str(CONTAINER_JSON_SCHEMA["pattern"]), container)


def test_fields_required_together_are_in_the_schema(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    which = schemas["ApplicationCreate"]["allOf"][0]
    assert which["then"]["else"]["required"] == ["catalog_code"]
    assert which["then"]["then"]["required"] == ["product_name", "content_sha256"]
    assert which["else"]["required"] == ["registration_id"]
    assert schemas["CargoLine"]["allOf"][0]["then"]["required"] == ["dangerous_goods_class"]
    upload = spec["paths"]["/api/v1/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert [alt["required"] for alt in upload["schema"]["anyOf"]] == [["title"], ["document_id"]]
    assert upload["schema"]["properties"]["file"]["minLength"] == 1


def test_an_initial_resource_application_without_its_resource_is_refused_as_the_schema_says(
    client: TestClient, world: World
) -> None:
    response = client.post(
        "/api/v1/registration/applications",
        json={"application_type": "initial"},
        headers=world.b_admin.headers,
    )
    assert response.status_code == 422, response.text


def test_epcis_time_parameters_are_date_times_and_every_one_is_taken(
    spec: dict[str, Any], client: TestClient, world: World
) -> None:
    parameters = {p["name"]: p["schema"] for p in spec["paths"]["/epcis/events"]["get"]["parameters"]}
    for name in ("GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime"):
        formats = {parameters[name].get("format")} | {alt.get("format") for alt in parameters[name]["anyOf"]}
        assert "date-time" in formats, name
    headers = world.b_admin.headers
    # RFC 3339 allows these; they are the earliest and latest instants, and a leap second.
    for value in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-23:59", "2016-12-31T23:59:60Z"):
        response = client.get("/epcis/events", params={"GE_eventTime": value}, headers=headers)
        assert response.status_code == 200, (value, response.text)
    refused = client.get("/epcis/events", params={"GE_eventTime": "yesterday"}, headers=headers)
    assert refused.status_code == 400


# -- security and links ----------------------------------------------------------------------------


def test_the_security_scheme_names_exactly_the_public_operations(spec: dict[str, Any]) -> None:
    public = {(method, re.sub(r":\w+}", "}", path)) for method, path in PUBLIC}
    assert spec["security"] == [{"bearerToken": []}]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            is_public = (method.upper(), path) in public
            assert ("security" in operation) == is_public, (method, path)
            if is_public:
                assert operation["security"] in ([], [{}, {"bearerToken": []}]), (method, path)


def test_every_link_names_an_operation_and_a_parameter_it_takes(spec: dict[str, Any]) -> None:
    operations = {op["operationId"]: op for item in spec["paths"].values() for op in item.values()}
    count = 0
    for item in spec["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                for link in response.get("links", {}).values():
                    target = operations[link["operationId"]]
                    names = {p["name"] for p in target.get("parameters", []) if p["in"] == "path"}
                    assert set(link["parameters"]) <= names, link
                    count += 1
    assert count >= 25
