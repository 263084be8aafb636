"""Role rules: who may create users, grant roles, decide real-name verification; dead tokens."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.domains.identity.models import ApiToken
from tests.conftest import Actor, World
from tests.factories.identity import PASSWORD, bearer, random_name
from tests.identity.support import JSON, Browser, assert_problem

# -- d: role rules ------------------------------------------------------------------------------


def new_user(party_id: object, *roles: str) -> JSON:
    return {
        "party_id": str(party_id),
        "username": f"new-{random_name()}",
        "display_name": "新用户",
        "password": PASSWORD,
        "roles": list(roles),
    }


@pytest.mark.parametrize(
    ("actor", "roles", "status", "code"),
    [
        ("a_analyst", [], 403, "permission-denied"),
        ("a_analyst", ["analyst"], 403, "permission-denied"),
        ("a_admin", ["authority_admin"], 409, "role-not-allowed"),
        ("a_admin", ["reviewer"], 409, "role-not-allowed"),
        ("a_admin", ["analyst", "authority_admin"], 409, "role-not-allowed"),
        ("a_admin", ["analyst", "data_steward"], 201, None),
        ("a_admin", ["party_admin"], 201, None),
    ],
)
def test_who_may_create_users_with_which_roles(
    client: TestClient, world: World, actor: str, roles: list[str], status: int, code: str | None
) -> None:
    acting = getattr(world, actor)
    body = new_user(acting.party_id, *roles)
    response = client.post("/api/v1/users", json=body, headers=acting.headers)
    if code is None:
        assert response.status_code == status, response.text
        assert sorted(response.json()["roles"]) == sorted(roles)
    else:
        assert_problem(response, status, code)
        found = client.get(
            "/api/v1/users", params={"q": body["username"]}, headers=world.authority_admin.headers
        )
        assert found.json()["items"] == []


@pytest.mark.parametrize(
    ("roles", "status", "code"),
    [
        (["authority_admin"], 409, "role-not-allowed"),
        (["reviewer", "analyst"], 409, "role-not-allowed"),
        (["data_steward"], 200, None),
    ],
)
def test_party_admin_cannot_grant_authority_roles_to_a_user(
    client: TestClient, world: World, roles: list[str], status: int, code: str | None
) -> None:
    url = f"/api/v1/users/{world.a_analyst.user_id}"
    response = client.patch(url, json={"roles": roles}, headers=world.a_admin.headers)
    if code is None:
        assert response.status_code == status, response.text
    else:
        assert_problem(response, status, code)
        assert client.get(url, headers=world.a_admin.headers).json()["roles"] == ["analyst"]


def test_analyst_cannot_edit_users_and_party_admin_cannot_create_parties(
    client: TestClient, world: World
) -> None:
    edited = client.patch(
        f"/api/v1/users/{world.a_analyst.user_id}",
        json={"roles": ["party_admin"]},
        headers=world.a_analyst.headers,
    )
    assert_problem(edited, 403, "permission-denied")
    party = {"name": "甲方自建主体", "party_type": "enterprise", "uscc": "91350100M000100Y43"}
    assert_problem(
        client.post("/api/v1/parties", json=party, headers=world.a_admin.headers), 403, "permission-denied"
    )


@pytest.mark.parametrize(
    ("actor", "own_party", "status"),
    [
        ("a_admin", True, 403),
        ("a_analyst", True, 403),
        ("b_admin", True, 403),
        ("reviewer", False, 201),
        ("authority_admin", False, 201),
    ],
)
def test_only_the_authority_records_real_name_verifications(
    client: TestClient, world: World, actor: str, own_party: bool, status: int
) -> None:
    acting = getattr(world, actor)
    party_id = acting.party_id if own_party else world.a_admin.party_id
    url = f"/api/v1/parties/{party_id}/real-name-verifications"
    response = client.post(url, json={"status": "verified"}, headers=acting.headers)
    history = client.get(url, headers=world.authority_admin.headers).json()
    party = client.get(f"/api/v1/parties/{party_id}", headers=world.authority_admin.headers).json()
    if status == 403:
        assert_problem(response, 403, "permission-denied")
        assert history == []
        assert party["verification_status"] == "unverified"
    else:
        assert response.status_code == status, response.text
        assert response.json()["decided_by"] == acting.username
        assert party["verification_status"] == "verified"


def test_party_admin_cannot_verify_own_party_through_the_page(
    client: TestClient, world: World, log_in: Callable[[Actor], Browser]
) -> None:
    party_id = world.a_admin.party_id
    refused = log_in(world.a_admin).post(f"/admin/parties/{party_id}/verify", {"status": "verified"})
    assert refused.status_code == 403
    party = client.get(f"/api/v1/parties/{party_id}", headers=world.a_admin.headers).json()
    assert party["verification_status"] == "unverified"


def test_a_token_cannot_be_revoked_twice_and_stops_working(client: TestClient, world: World) -> None:
    created = client.post("/api/v1/tokens", json={"name": "short-lived"}, headers=world.a_admin.headers)
    assert created.status_code == 201, created.text
    token, token_id = created.json()["token"], created.json()["id"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    first = client.delete(f"/api/v1/tokens/{token_id}", headers=world.a_admin.headers)
    assert first.status_code == 204, first.text
    second = client.delete(f"/api/v1/tokens/{token_id}", headers=world.a_admin.headers)
    assert_problem(second, 409, "token-revoked")
    assert_problem(client.get("/api/v1/me", headers=bearer(token)), 401, "invalid-token")
    listed = {t["id"]: t for t in client.get("/api/v1/tokens", headers=world.a_admin.headers).json()}
    assert listed[token_id]["status"] == "revoked"


def test_an_expired_token_answers_401(client: TestClient, world: World, db: Session) -> None:
    created = client.post("/api/v1/tokens", json={"name": "expiring"}, headers=world.a_admin.headers)
    assert created.status_code == 201, created.text
    token, token_id = created.json()["token"], created.json()["id"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    row = db.get(ApiToken, uuid.UUID(token_id))
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()

    assert_problem(client.get("/api/v1/me", headers=bearer(token)), 401, "invalid-token")
    assert_problem(client.get("/api/v1/tokens", headers=bearer(token)), 401, "invalid-token")
    listed = {t["id"]: t for t in client.get("/api/v1/tokens", headers=world.a_admin.headers).json()}
    assert listed[token_id]["status"] == "expired"
