"""NUL and lone surrogates in request text: refused with a 422 naming the field, before any route writes.

PostgreSQL cannot store NUL in text and no database driver can encode a lone surrogate (U+D800-U+DFFF,
which JSON can spell as ``"\\ud800"``); SQLite would store the NUL. One check on every API body refuses
both, on both databases, so no route answers 500 and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.db import Base
from tests.conftest import World
from tests.factories.catalog import resource_body
from tests.factories.registration import initial_body, registrable_resource
from tests.identity.support import assert_problem
from tests.logistics.waybill_support import Corridor, corridor  # noqa: F401  (the waybill parties)

NUL = "a\x00b"
SURROGATE = "\ud800x"
API = "/api/v1"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, max_body_bytes=256 * 1024, objects_dir=tmp_path / "objects")


def _rows(db: Session) -> dict[str, int]:
    return {
        t.name: db.execute(select(func.count()).select_from(t)).scalar_one()
        for t in Base.metadata.sorted_tables
    }


Case = Callable[[TestClient, World, Corridor, str], tuple[str, str, dict[str, str], Any]]


def _container(
    client: TestClient, world: World, parties: Corridor, bad: str
) -> tuple[str, str, dict[str, str], Any]:
    return "POST", f"{API}/containers", parties.road.headers, {"number": bad, "size_type": "22G1"}


def _resource(
    client: TestClient, world: World, parties: Corridor, bad: str
) -> tuple[str, str, dict[str, str], Any]:
    return "POST", f"{API}/catalog/resources", world.a_admin.headers, resource_body(description=bad)


def _waybill(
    client: TestClient, world: World, parties: Corridor, bad: str
) -> tuple[str, str, dict[str, str], Any]:
    body = parties.body()
    body["cargo"][1]["description"] = bad
    return "POST", f"{API}/waybills", parties.shipper.headers, body


def _party(
    client: TestClient, world: World, parties: Corridor, bad: str
) -> tuple[str, str, dict[str, str], Any]:
    return "POST", f"{API}/parties", world.authority_admin.headers, {"name": bad, "party_type": "enterprise"}


def _application(
    client: TestClient, world: World, parties: Corridor, bad: str
) -> tuple[str, str, dict[str, str], Any]:
    resource = registrable_resource(client, world.b_admin.headers)
    created = client.post(
        f"{API}/registration/applications", json=initial_body(resource), headers=world.b_admin.headers
    )
    assert created.status_code == 201, created.text
    url = f"{API}/registration/applications/{created.json()['id']}"
    return "PATCH", url, world.b_admin.headers, {"content_summary": bad}


CASES: dict[str, tuple[Case, list[str | int]]] = {
    "container": (_container, ["body", "number"]),
    "catalogue resource": (_resource, ["body", "description"]),
    "waybill cargo": (_waybill, ["body", "cargo", 1, "description"]),
    "party": (_party, ["body", "name"]),
    "registration application": (_application, ["body", "content_summary"]),
}


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize("case", list(CASES))
def test_bad_text_in_a_body_is_422_naming_the_field_and_writes_nothing(
    client: TestClient, db: Session, world: World, request: pytest.FixtureRequest, case: str, bad: str
) -> None:
    make, loc = CASES[case]
    method, url, headers, body = make(client, world, request.getfixturevalue("corridor"), bad)
    before_rows = _rows(db)
    before = client.get(url, headers=headers).json() if method == "PATCH" else None
    content = json.dumps(body)  # ensure_ascii: the NUL travels as \u0000, the surrogate as \ud800
    response = client.request(
        method, url, content=content, headers={**headers, "Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422, "validation-failed")
    assert problem["errors"][0]["loc"] == loc, problem
    assert ("NUL" if bad == NUL else "surrogate") in problem["errors"][0]["msg"]
    assert _rows(db) == before_rows
    if before is not None:
        assert client.get(url, headers=headers).json() == before


def test_a_bad_key_is_refused_too(client: TestClient, world: World) -> None:
    body = json.dumps({**resource_body(), "na\x00me": "x"})
    response = client.post(
        f"{API}/catalog/resources",
        content=body,
        headers={**world.a_admin.headers, "Content-Type": "application/json"},
    )
    problem = assert_problem(response, 422, "validation-failed")
    assert problem["errors"][0]["loc"] == ["body", "name"]


@pytest.mark.parametrize("query", ["holder=%ED%A0%80", "holder=%ED%A0%80%00"])
def test_surrogate_bytes_in_a_query_are_no_server_error(client: TestClient, world: World, query: str) -> None:
    """Starlette decodes a query as UTF-8 with replacement: %ED%A0%80 arrives as U+FFFD, never a
    surrogate; a NUL among them is still refused by the URL guard."""
    response = client.get(f"{API}/catalog/resources?{query}", headers=world.a_admin.headers)
    assert response.status_code in (200, 422), response.text
    if "%00" in query:
        assert response.status_code == 422


def test_a_deeply_nested_body_is_no_server_error(client: TestClient, world: World) -> None:
    """The walk over the body is iterative: nesting that json.loads accepts cannot exhaust the stack."""
    body = '{"name": ' + "[" * 900 + '"a\\u0000b"' + "]" * 900 + "}"
    response = client.post(
        f"{API}/catalog/resources",
        content=body,
        headers={**world.a_admin.headers, "Content-Type": "application/json"},
    )
    problem = assert_problem(response, 422, "validation-failed")
    assert problem["errors"][0]["loc"][:3] == ["body", "name", 0] and len(problem["errors"][0]["loc"]) == 902
