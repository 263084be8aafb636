"""Errors: RFC 9457 problems under /api, pages elsewhere, never a 500 for bad input, no half-writes."""

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.errors import Conflict
from logispace.domains.identity import SYSTEM, PartyType
from logispace.domains.identity import service as identity_service
from logispace.domains.identity.models import Party
from logispace.domains.identity.schemas import PartyCreate
from logispace.web.dependencies import DbSession
from logispace.web.errors import API_PREFIXES, is_api_path
from tests.factories.identity import new_uscc

PROBLEM = "application/problem+json"


def _party_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Party)) or 0


def test_declared_body_over_limit_is_413_before_reading(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    body = b"{" + b" " * (64 * 1024) + b"}"
    r = client.post(
        "/api/v1/parties",
        content=body,
        headers={**world.authority_admin.headers, "content-type": "application/json"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["code"] == "payload-too-large" and r.json()["limit"] == 64 * 1024


def test_streamed_body_over_limit_is_413(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b" " * 8192

    r = client.post(
        "/api/v1/parties",
        content=chunks(),
        headers={**world.authority_admin.headers, "content-type": "application/json"},
    )
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 413, r.text
    assert r.json()["code"] == "payload-too-large"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x", ""]
)
def test_wrong_content_type_is_415(client: TestClient, world, content_type: str) -> None:  # type: ignore[no-untyped-def]
    headers = {**world.authority_admin.headers}
    if content_type:
        headers["content-type"] = content_type
    r = client.post("/api/v1/parties", content=b'{"name": "x"}', headers=headers)
    assert r.status_code == 415
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["accepted"] == ["application/json"]


def test_json_with_charset_and_problem_suffix_is_accepted(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        r = client.post(
            "/api/v1/parties",
            content=b'{"name": "x", "party_type": "enterprise", "uscc": "bad"}',
            headers={**world.authority_admin.headers, "content-type": content_type},
        )
        assert r.status_code == 422  # parsed and validated, not refused as a media type


def test_unknown_fields_and_bad_codes_are_422_naming_the_field(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    r = client.post(
        "/api/v1/parties",
        json={"name": "x", "party_type": "enterprise", "uscc": "91450700MA0000004A", "colour": "red"},
        headers=world.authority_admin.headers,
    )
    assert r.status_code == 422
    problem = r.json()
    locs = {tuple(e["loc"]) for e in problem["errors"]}
    assert ("body", "uscc") in locs and ("body", "colour") in locs
    assert "check character" in problem["detail"] and problem["type"] == "/problems/validation-failed"


def test_malformed_json_is_422(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    r = client.post(
        "/api/v1/parties",
        content=b'{"name": ',
        headers={**world.authority_admin.headers, "content-type": "application/json"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["type"] == "json_invalid"


def test_null_for_a_required_field_in_patch_is_422(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    r = client.patch(
        f"/api/v1/parties/{world.a_admin.party_id}", json={"name": None}, headers=world.a_admin.headers
    )
    assert r.status_code == 422 and "name" in r.json()["detail"]


def test_unknown_api_path_and_method(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/nothing-here", headers=world.a_admin.headers)
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    r = client.put("/api/v1/parties", headers=world.a_admin.headers, json={})
    assert r.status_code == 405 and r.headers["content-type"] == PROBLEM


def test_unexpected_error_is_500_problem_with_trace_id_and_no_internals(app: FastAPI, world) -> None:  # type: ignore[no-untyped-def]
    def boom() -> None:
        raise RuntimeError("secret internal detail: password=hunter2")

    app.add_api_route("/api/v1/_boom", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/_boom")
    assert r.status_code == 500
    problem = r.json()
    assert r.headers["content-type"] == PROBLEM
    assert re.fullmatch(r"[0-9a-f]{32}", problem["trace_id"])
    assert problem["trace_id"] == r.headers["x-trace-id"]
    assert "hunter2" not in r.text and "RuntimeError" not in r.text and "Traceback" not in r.text


def test_traceparent_sets_the_trace_id(client: TestClient) -> None:
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    r = client.get("/api/v1/health", headers={"traceparent": f"00-{trace}-00f067aa0ba902b7-01"})
    assert r.headers["x-trace-id"] == trace
    assert r.headers["x-content-type-options"] == "nosniff"


def test_failed_request_leaves_no_partial_write(app: FastAPI, client: TestClient, db: Session) -> None:
    def write_then_fail(session: DbSession) -> None:
        identity_service.create_party(
            session, SYSTEM, PartyCreate(name="半途而废", party_type=PartyType.ENTERPRISE, uscc=new_uscc())
        )
        raise Conflict("refused after writing")

    app.add_api_route("/api/v1/_half", write_then_fail, methods=["POST"])
    before = _party_count(db)
    r = client.post("/api/v1/_half")
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    assert _party_count(db) == before


def test_pages_render_errors_as_pages(client: TestClient) -> None:
    r = client.get("/no-such-page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "404" in r.text


def test_problem_type_pages_are_public(client: TestClient) -> None:
    r = client.get("/problems/payload-too-large")
    assert r.status_code == 200 and "413" in r.text
    assert client.get("/problems/role-not-allowed").status_code == 200
    assert client.get("/problems/no-such-problem").status_code == 404


def test_a_lost_unique_race_is_409_not_500(app: FastAPI, client: TestClient, db: Session) -> None:
    uscc = new_uscc()

    def racing_insert(session: DbSession) -> None:
        # Two rows with one USCC: what a concurrent request that passed the service check would do.
        session.add(Party(name="甲", party_type=PartyType.ENTERPRISE, uscc=uscc))
        session.add(Party(name="乙", party_type=PartyType.ENTERPRISE, uscc=uscc))
        session.flush()

    app.add_api_route("/api/v1/_race", racing_insert, methods=["POST"])
    before = _party_count(db)
    r = client.post("/api/v1/_race")
    assert r.status_code == 409 and r.headers["content-type"] == PROBLEM
    assert _party_count(db) == before


@pytest.mark.parametrize(
    ("url", "loc"),
    [
        ("/epcis/events?EQ_bizLocation=%00", ["query", "EQ_bizLocation"]),
        ("/api/v1/catalog/resources?holder=a%00b", ["query", "holder"]),
        ("/api/v1/ledger/tree-head?x%00y=1", ["query", "xy"]),
        ("/api/v1/documents/abc%00def", ["path"]),
    ],
)
def test_a_nul_in_the_url_is_422_before_any_route_runs(client: TestClient, url: str, loc: list[str]) -> None:
    """PostgreSQL cannot hold NUL in text: a URL carrying one is refused whole, naming where it is."""
    response = client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation-failed"
    assert body["errors"][0]["loc"] == loc
    assert "NUL" in body["detail"]


@pytest.mark.parametrize(
    ("path", "prefixes", "api"),
    [
        ("/api", API_PREFIXES, True),
        ("/api/", API_PREFIXES, True),
        ("/api/v1/parties", API_PREFIXES, True),
        ("/openapi.json", API_PREFIXES, True),
        ("/apis", API_PREFIXES, False),
        ("/catalog", API_PREFIXES, False),
        ("/epcis/events", API_PREFIXES, False),
        ("/epcis", (*API_PREFIXES, "/epcis/"), True),
        ("/epcis/events", (*API_PREFIXES, "/epcis/"), True),
        ("/epcisx", (*API_PREFIXES, "/epcis/"), False),
    ],
)
def test_api_paths_are_the_web_layers_and_those_the_domains_add(
    path: str, prefixes: tuple[str, ...], api: bool
) -> None:
    assert is_api_path(path, prefixes) is api


def test_the_app_answers_problems_under_a_prefix_a_domain_added(client: TestClient) -> None:
    response = client.get("/epcis/no-such-resource")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
