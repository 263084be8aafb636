"""Party isolation (主体隔离) in registration: another party's application or record answers 404 exactly
like a missing one, changes nothing and leaks nothing; lists show only the caller's own; the authority
sees all. An application in publicity is reachable by others only to object to it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import World
from tests.factories.registration import API, file_application, initial_body, registrable_resource
from tests.identity.support import assert_problem
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import act, register

MISSING = "00000000-0000-4000-8000-000000000000"
OTHER = "11111111-1111-4111-8111-111111111111"
SECRET = "乙方登记内容简介机密"


@dataclass
class PartyBRegistration:
    submitted: str
    issued: str
    record: str


@pytest.fixture
def b_reg(client: TestClient, world: World, clock: TravelClock) -> PartyBRegistration:
    issued, record = register(client, world, clock)
    b = world.b_admin.headers
    resource = registrable_resource(client, b)
    pending = file_application(client, b, initial_body(resource, content_summary=SECRET))
    act(client, b, pending["id"], "submit")
    return PartyBRegistration(pending["id"], issued["id"], record["id"])


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with {id}
    body: Any = None
    content: bytes | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


APPLICATION_ROUTES = [
    Route("GET", "/applications/{id}"),
    Route("PATCH", "/applications/{id}", {"content_summary": "甲方改的"}),
    Route("POST", "/applications/{id}/attachments?material=other", content=b"%PDF planted"),
    Route("POST", "/applications/{id}/submit"),
    Route("POST", "/applications/{id}/resubmit", {}),
    Route("POST", "/applications/{id}/supplement-request", {}),
    Route("POST", "/applications/{id}/accept"),
    Route("POST", "/applications/{id}/refuse", {"grounds": ["fraud"], "reason": "甲方"}),
    Route("POST", "/applications/{id}/review/pass"),
    Route("POST", "/applications/{id}/review/fail", {"reason": "甲方"}),
    Route("POST", "/applications/{id}/issue"),
    Route("POST", "/applications/{id}/cancellation/complete"),
    Route("POST", "/applications/{id}/objections", {"objector_real_name": "甲", "evidence": ["x"]}),
    Route("POST", f"/applications/{{id}}/objections/{OTHER}/handle", {"outcome": "upheld", "note": "甲"}),
    Route("POST", "/applications/{id}/overrun-explanations", {"explanation": "甲方"}),
    Route("GET", "/applications/{id}/export"),
]


def call(client: TestClient, route: Route, target: str, headers: dict[str, str]) -> Any:
    url = API + route.path.format(id=target)
    if route.content is not None:
        return client.post(url, content=route.content, headers={**headers, "Content-Type": "application/pdf"})
    if route.body is None:
        return client.request(route.method, url, headers=headers)
    return client.request(route.method, url, json=route.body, headers=headers)


def snapshot(client: TestClient, world: World, reg: PartyBRegistration) -> Any:
    auth = world.authority_admin.headers
    return [
        client.get(f"{API}/applications/{reg.submitted}", headers=auth).json(),
        client.get(f"{API}/records/{reg.record}", headers=auth).json(),
        client.get("/api/v1/ledger/tree-head").json()["tree_size"],
    ]


@pytest.mark.parametrize("intruder", ["a_admin", "a_analyst"])
@pytest.mark.parametrize("route", APPLICATION_ROUTES, ids=str)
def test_another_partys_application_is_404_like_a_missing_one(
    client: TestClient, world: World, b_reg: PartyBRegistration, route: Route, intruder: str
) -> None:
    headers = getattr(world, intruder).headers
    before = snapshot(client, world, b_reg)
    foreign = call(client, route, b_reg.submitted, headers)
    assert_problem(foreign, 404, "not-found")
    assert SECRET not in foreign.text
    absent = call(client, route, MISSING, headers)
    assert_problem(absent, 404, "not-found")
    assert foreign.json() == json.loads(absent.text.replace(MISSING, b_reg.submitted))
    assert snapshot(client, world, b_reg) == before


@pytest.mark.parametrize("intruder", ["a_admin", "a_analyst"])
def test_another_partys_record_is_404_and_lists_show_only_ones_own(
    client: TestClient, world: World, b_reg: PartyBRegistration, intruder: str
) -> None:
    headers = getattr(world, intruder).headers
    foreign = client.get(f"{API}/records/{b_reg.record}", headers=headers)
    absent = client.get(f"{API}/records/{MISSING}", headers=headers)
    assert_problem(foreign, 404)
    assert foreign.json() == json.loads(absent.text.replace(MISSING, b_reg.record))
    for url in ("/applications", "/applications?state=submitted", "/records"):
        listed = client.get(API + url, headers=headers)
        assert listed.status_code == 200, listed.text
        assert listed.json()["total"] == 0 and SECRET not in listed.text
    assert_problem(client.get(f"{API}/overdue", headers=headers), 403)


@pytest.mark.parametrize("viewer", ["b_admin", "authority_admin", "reviewer"])
def test_the_applicant_and_the_authority_see_the_applications(
    client: TestClient, world: World, b_reg: PartyBRegistration, viewer: str
) -> None:
    headers = getattr(world, viewer).headers
    ids = {a["id"] for a in client.get(f"{API}/applications", headers=headers).json()["items"]}
    assert {b_reg.submitted, b_reg.issued} <= ids
    detail = client.get(f"{API}/applications/{b_reg.submitted}", headers=headers)
    assert detail.status_code == 200 and detail.json()["content_summary"] == SECRET
    assert client.get(f"{API}/records/{b_reg.record}", headers=headers).status_code == 200


def test_an_application_in_publicity_is_reachable_only_to_object(
    client: TestClient, world: World, b_reg: PartyBRegistration
) -> None:
    a, b, auth = world.a_admin.headers, world.b_admin.headers, world.reviewer.headers
    act(client, auth, b_reg.submitted, "accept")
    act(client, auth, b_reg.submitted, "review/pass")
    assert_problem(client.get(f"{API}/applications/{b_reg.submitted}", headers=a), 404)
    objection = client.post(
        f"{API}/applications/{b_reg.submitted}/objections",
        json={"objector_real_name": "王五", "evidence": ["数据来源合同"]},
        headers=a,
    )
    assert objection.status_code == 201, objection.text
    assert SECRET not in objection.text
    assert (
        client.get(f"{API}/applications/{b_reg.submitted}", headers=b).json()["state"] == "objection_review"
    )
    assert uuid.UUID(objection.json()["id"])


RECORD_ROUTES = [
    Route("POST", "/records/{id}/renew", {}),
    Route("POST", "/records/{id}/revoke", {"ground": "false_materials", "reason": "甲方"}),
]


@pytest.mark.parametrize("intruder", ["a_admin", "a_analyst"])
@pytest.mark.parametrize("route", RECORD_ROUTES, ids=str)
def test_another_partys_record_actions_are_404_like_a_missing_one(
    client: TestClient, world: World, b_reg: PartyBRegistration, route: Route, intruder: str
) -> None:
    headers = getattr(world, intruder).headers
    before = snapshot(client, world, b_reg)
    foreign = call(client, route, b_reg.record, headers)
    absent = call(client, route, MISSING, headers)
    assert_problem(foreign, 404, "not-found")
    assert foreign.json() == json.loads(absent.text.replace(MISSING, b_reg.record))
    assert snapshot(client, world, b_reg) == before
    # the holder reaches its record but only the authority renews or revokes
    assert_problem(call(client, route, b_reg.record, world.b_admin.headers), 403)
