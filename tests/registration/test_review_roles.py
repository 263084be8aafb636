"""Who takes the registration steps: the registration authority (登记机构) alone, through its reviewers.

The national rules name 登记机构 for acceptance and the one-time supplement notice (004:794), the formal
review (004:796), publicity (004:798), objection review (004:800), the result code (004:802),
cancellation (004:787) and renewal (004:812); inner_mongolia for revocation (004:5429) and the accounts
(004:5444). The data authority (数据主管部门) supervises and takes none of them, and the registration
authority's administrator manages its staff and takes none either (``rules.actors.STEP_ACTORS``). Every
step is tried by every authority role and by another party: only the registration authority's reviewer
gets past the role check, the other staff get 403, a party with no part in the record gets 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.domains.identity import PartyType, Role
from logispace.domains.registration.review.actions import REVIEW_ACTIONS, ReviewAction
from logispace.domains.registration.rules.actors import REGISTRATION_REVIEWERS, STEP_ACTORS, Step
from tests.conftest import World
from tests.factories.identity import bearer, make_party, make_token, make_user
from tests.factories.registration import API, file_application, initial_body, registrable_resource
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import register
from tests.registration.test_certificates import now_headers

BODIES: dict[str, dict[str, Any] | None] = {
    "supplement": {"noncompliant": ["数据资源情况"]},
    "accept": None,
    "refuse": {"grounds": ["duplicate"], "reason": "重复登记"},
    "pass": None,
    "fail": {"reason": "材料不符合要求"},
    "issue": None,
    "cancel": None,
    "objection": {"outcome": "dismissed", "note": "异议不成立"},
    "overrun": {"explanation": "材料较多"},
}

ROLES: dict[str, tuple[PartyType, Role, bool]] = {
    "data authority admin": (PartyType.DATA_AUTHORITY, Role.AUTHORITY_ADMIN, False),
    "data authority reviewer": (PartyType.DATA_AUTHORITY, Role.REVIEWER, False),
    "registration authority admin": (PartyType.REGISTRATION_AUTHORITY, Role.AUTHORITY_ADMIN, False),
    "registration authority reviewer": (PartyType.REGISTRATION_AUTHORITY, Role.REVIEWER, True),
    "another party": (PartyType.ENTERPRISE, Role.PARTY_ADMIN, False),
}
OUTSIDER = "another party"


def _staff(db: Session, role: str) -> dict[str, str]:
    party_type, granted, _ = ROLES[role]
    headers = bearer(make_token(db, make_user(db, make_party(db, party_type=party_type), granted)))
    db.commit()
    return headers


def test_every_step_of_the_table_is_tried_here() -> None:
    tried = {Step(a.name) for a in REVIEW_ACTIONS} | set(RECORD_STEPS)
    assert tried == set(STEP_ACTORS)
    assert all(who.staff == REGISTRATION_REVIEWERS for who in STEP_ACTORS.values())


def _path(action: ReviewAction, application_id: str) -> str:
    return f"{API}/applications/{application_id}" + action.path.format(objection_id=uuid.uuid4())


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", REVIEW_ACTIONS, ids=[a.name for a in REVIEW_ACTIONS])
def test_each_review_step_by_each_authority_role(
    client: TestClient, db: Session, world: World, action: ReviewAction, role: str
) -> None:
    allowed = ROLES[role][2]
    headers = _staff(db, role)
    b = world.b_admin.headers
    application = file_application(client, b, initial_body(registrable_resource(client, b)))
    assert client.post(f"{API}/applications/{application['id']}/submit", headers=b).status_code == 200
    response = client.post(_path(action, application["id"]), json=BODIES[action.name], headers=headers)
    if allowed:
        assert response.status_code != 403, response.text
    elif role == OUTSIDER:  # not its application: 404 exactly like a missing one
        assert response.status_code == 404, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "registration-actor-not-allowed"
        after = client.get(f"{API}/applications/{application['id']}", headers=headers).json()
        assert after["state"] == "submitted" and after["allowed_actions"] == []


# -- the steps on a record and on accounts -------------------------------------------------------------


def _renewal(client: TestClient, db: Session, world: World, clock: TravelClock) -> tuple[str, str]:
    """A registered record in its renewal window with the holder's pending request."""
    _, record = register(client, world, clock)
    clock.to(date.fromisoformat(record["valid_to"]) - timedelta(days=15))
    filed = client.post(
        f"{API}/records/{record['id']}/renewal-requests", json={}, headers=now_headers(db, world.b_admin)
    )
    assert filed.status_code == 201, filed.text
    return record["id"], filed.json()["id"]


Setup = Callable[[TestClient, Session, World, TravelClock], tuple[str, str]]


def _record(client: TestClient, db: Session, world: World, clock: TravelClock) -> tuple[str, str]:
    _, record = register(client, world, clock)
    return record["id"], ""


def _account(client: TestClient, db: Session, world: World, clock: TravelClock) -> tuple[str, str]:
    requested = client.post(f"{API}/account", headers=world.a_admin.headers)
    assert requested.status_code == 201, requested.text
    return "", requested.json()["id"]


# step -> [(setup giving (record id, request or account id), the path from them, the body)]
RECORD_STEPS: dict[Step, list[tuple[Setup, str, dict[str, Any] | None]]] = {
    Step.RENEWAL: [
        (_renewal, "/renewal-requests/{other}/approve", {"note": "同意"}),
        (_renewal, "/renewal-requests/{other}/refuse", {"reasons": "不再需要"}),
        (_renewal, "/records/{record}/renew", None),
    ],
    Step.REVOCATION: [(_record, "/records/{record}/revoke", {"ground": "false_materials", "reason": "虚假"})],
    Step.ACCOUNT: [(_account, "/accounts/{other}/issue", None)],
}
CASES = [(step, n) for step, rows in RECORD_STEPS.items() for n in range(len(rows))]


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize(("step", "row"), CASES, ids=[f"{s.value}-{n}" for s, n in CASES])
def test_each_record_and_account_step_by_each_authority_role(
    client: TestClient, db: Session, world: World, clock: TravelClock, step: Step, row: int, role: str
) -> None:
    setup, path, body = RECORD_STEPS[step][row]
    record_id, other_id = setup(client, db, world, clock)
    headers = _staff(db, role)
    url = API + path.format(record=record_id, other=other_id)
    reader = now_headers(db, world.reviewer)
    read_url = f"{API}/records/{record_id}" if record_id else f"{API}/accounts"
    before = client.get(read_url, headers=reader).json()
    response = client.post(url, json=body, headers=headers)
    if ROLES[role][2]:
        assert response.status_code == 200, response.text
        return
    expected = 404 if role == OUTSIDER and step is not Step.ACCOUNT else 403
    assert response.status_code == expected, response.text
    assert client.get(read_url, headers=reader).json() == before
