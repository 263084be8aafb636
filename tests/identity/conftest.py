"""Fixtures of the identity authorization tests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import World
from tests.factories.identity import PASSWORD, random_name
from tests.identity.support import PartyB


@pytest.fixture
def party_b(client: TestClient, world: World) -> PartyB:
    admin, b_admin = world.authority_admin.headers, world.b_admin.headers
    party_id = str(world.b_admin.party_id)
    contact = {
        "contact_name": "乙方联系人秘",
        "contact_email": f"{random_name()}@port-b.example",
        "address": "乙港口路 99 号机密仓",
    }
    edited = client.patch(f"/api/v1/parties/{party_id}", json=contact, headers=b_admin)
    assert edited.status_code == 200, edited.text
    note = f"乙方核验备注 {random_name()}"
    decided = client.post(
        f"/api/v1/parties/{party_id}/real-name-verifications",
        json={"status": "verified", "note": note},
        headers=world.reviewer.headers,
    )
    assert decided.status_code == 201, decided.text
    clerk = client.post(
        "/api/v1/users",
        json={
            "party_id": party_id,
            "username": f"bclerk-{random_name()}",
            "display_name": "乙方分析员秘",
            "email": f"{random_name()}@port-b.example",
            "password": PASSWORD,
            "roles": ["analyst"],
        },
        headers=b_admin,
    )
    assert clerk.status_code == 201, clerk.text
    spare = client.post("/api/v1/tokens", json={"name": "乙方备用令牌"}, headers=b_admin)
    assert spare.status_code == 201, spare.text
    party = client.get(f"/api/v1/parties/{party_id}", headers=admin).json()
    b_tokens = client.get("/api/v1/tokens", headers=b_admin).json()
    secrets = [
        party["name"],
        party["uscc"],
        *contact.values(),
        note,
        party_id,
        world.b_admin.username,
        str(world.b_admin.user_id),
        clerk.json()["username"],
        clerk.json()["id"],
        clerk.json()["display_name"],
        clerk.json()["email"],
        *(t["id"] for t in b_tokens),
        *(t["prefix"] for t in b_tokens),
        "乙方备用令牌",
    ]
    return PartyB(party_id=party_id, user_id=clerk.json()["id"], token_id=spare.json()["id"], secrets=secrets)
