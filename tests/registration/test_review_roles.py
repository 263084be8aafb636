"""Who takes the review steps: the registration authority (登记机构) alone, through its reviewers.

The national rules name 登记机构 for acceptance and the one-time supplement notice (004:794), the formal
review (004:796), publicity (004:798), objection review (004:800), the result code (004:802) and
cancellation (004:787); the data authority (数据主管部门) supervises and takes none of them. Every row of
the review action table is tried by every authority role: only the registration authority's reviewer
gets past the role check (its answer then depends on the application's state), the others get 403.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.domains.identity import PartyType, Role
from logispace.domains.registration.review.actions import REVIEW_ACTIONS, ReviewAction
from tests.conftest import World
from tests.factories.identity import bearer, make_party, make_token, make_user
from tests.factories.registration import API, file_application, initial_body, registrable_resource

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
}


def _path(action: ReviewAction, application_id: str) -> str:
    return f"{API}/applications/{application_id}" + action.path.format(objection_id=uuid.uuid4())


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", REVIEW_ACTIONS, ids=[a.name for a in REVIEW_ACTIONS])
def test_each_review_step_by_each_authority_role(
    client: TestClient, db: Session, world: World, action: ReviewAction, role: str
) -> None:
    party_type, granted, allowed = ROLES[role]
    staff = make_user(db, make_party(db, party_type=party_type), granted)
    headers = bearer(make_token(db, staff))
    db.commit()
    b = world.b_admin.headers
    application = file_application(client, b, initial_body(registrable_resource(client, b)))
    assert client.post(f"{API}/applications/{application['id']}/submit", headers=b).status_code == 200
    response = client.post(_path(action, application["id"]), json=BODIES[action.name], headers=headers)
    if allowed:
        assert response.status_code != 403, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "registration-actor-not-allowed"
        after = client.get(f"{API}/applications/{application['id']}", headers=headers).json()
        assert after["state"] == "submitted" and after["allowed_actions"] == []
