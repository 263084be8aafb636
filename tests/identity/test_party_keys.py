"""Party signing keys (主体签名密钥): made on first use, sealed at rest, rotation keeps old keys."""

from __future__ import annotations

import base64
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.signing import key_id_of, verify_signature
from logispace.domains.identity import PartyType, Principal, Role, active_party_key, party_public_keys
from logispace.domains.identity.keys.service import can_rotate_keys, rotate_party_key
from logispace.domains.identity.models import PartyKey
from tests.conftest import World
from tests.factories.identity import make_party
from tests.identity.support import assert_problem

PARTY = uuid.uuid4()
OTHER = uuid.uuid4()


def _p(party_id: uuid.UUID | None, *roles: Role) -> Principal:
    return Principal(
        user_id=uuid.uuid4(),
        username="u",
        party_id=party_id,
        party_type=PartyType.ENTERPRISE,
        roles=frozenset(roles),
        via="token",
    )


@pytest.mark.parametrize(
    ("principal", "party_id", "allowed"),
    [
        (_p(PARTY, Role.PARTY_ADMIN), PARTY, True),
        (_p(PARTY, Role.PARTY_ADMIN, Role.DATA_STEWARD), PARTY, True),
        (_p(PARTY, Role.DATA_STEWARD), PARTY, False),
        (_p(PARTY, Role.ANALYST), PARTY, False),
        (_p(OTHER, Role.PARTY_ADMIN), PARTY, False),
        (_p(None, Role.PARTY_ADMIN), PARTY, False),
        (_p(PARTY, Role.AUTHORITY_ADMIN), PARTY, False),
    ],
)
def test_who_may_rotate_a_partys_key(principal: Principal, party_id: uuid.UUID, allowed: bool) -> None:
    assert can_rotate_keys(principal, party_id) is allowed


def test_key_is_made_on_first_use_sealed_and_reused(db: Session, settings: Settings) -> None:
    party = make_party(db)
    assert party_public_keys(db, party.id) == []
    key = active_party_key(db, party.id, settings)
    again = active_party_key(db, party.id, settings)
    assert again == key
    row = db.scalars(select(PartyKey).where(PartyKey.party_id == party.id)).one()
    assert row.key_id == key.key_id == key_id_of(bytes(row.public_key))
    assert key.private_key not in bytes(row.sealed_private_key)
    [public] = party_public_keys(db, party.id)
    assert public.retired_at is None
    assert verify_signature(public.algorithm, public.public_key, b"waybill", key.sign(b"waybill"))


def test_rotation_retires_the_old_key_and_keeps_it(db: Session, settings: Settings, world: World) -> None:
    party_id = world.a_admin.party_id
    assert isinstance(party_id, uuid.UUID)
    old = active_party_key(db, party_id, settings)
    signature = old.sign(b"bill of lading")
    admin = _p(party_id, Role.PARTY_ADMIN)
    new = rotate_party_key(db, admin, settings)
    assert new.key_id != old.key_id
    assert active_party_key(db, party_id, settings).key_id == new.key_id
    keys = {k.key_id: k for k in party_public_keys(db, party_id)}
    assert set(keys) == {old.key_id, new.key_id}
    assert keys[old.key_id].retired_at is not None
    assert keys[new.key_id].retired_at is None
    # The retired key still verifies what it signed.
    assert verify_signature("ed25519", keys[old.key_id].public_key, b"bill of lading", signature)
    # Other parties are untouched.
    assert party_public_keys(db, world.b_admin.party_id) == []  # type: ignore[arg-type]


def test_public_keys_are_public_but_an_unknown_party_is_404(client: TestClient, world: World) -> None:
    party_id = world.a_admin.party_id
    rotated = client.post("/api/v1/parties/me/keys/rotate", headers=world.a_admin.headers)
    assert rotated.status_code == 201, rotated.text
    listed = client.get(f"/api/v1/parties/{party_id}/keys")
    assert listed.status_code == 200, listed.text
    [key] = listed.json()
    assert key == rotated.json()
    assert key["party_id"] == str(party_id)
    assert key["key_id"] == key_id_of(base64.b64decode(key["public_key"]))
    assert "sealed" not in listed.text
    assert_problem(client.get(f"/api/v1/parties/{uuid.uuid4()}/keys"), 404, "not-found")


def test_rotation_through_the_api_keeps_old_keys(client: TestClient, world: World) -> None:
    headers = world.b_admin.headers
    first = client.post("/api/v1/parties/me/keys/rotate", headers=headers).json()
    second = client.post("/api/v1/parties/me/keys/rotate", headers=headers).json()
    keys = client.get(f"/api/v1/parties/{world.b_admin.party_id}/keys").json()
    assert [k["key_id"] for k in keys] == [first["key_id"], second["key_id"]]
    assert keys[0]["retired_at"] is not None
    assert keys[1]["retired_at"] is None
    # Party A has no keys: B's rotation did not touch it.
    assert client.get(f"/api/v1/parties/{world.a_admin.party_id}/keys").json() == []


@pytest.mark.parametrize("caller", ["a_analyst", "authority_admin", "reviewer"])
def test_only_a_party_admin_rotates(client: TestClient, world: World, caller: str) -> None:
    refused = client.post("/api/v1/parties/me/keys/rotate", headers=getattr(world, caller).headers)
    assert_problem(refused, 403, "permission-denied")
    for actor in (world.a_admin, world.authority_admin):
        assert client.get(f"/api/v1/parties/{actor.party_id}/keys").json() == []


def test_rotation_needs_a_login(client: TestClient) -> None:
    assert_problem(client.post("/api/v1/parties/me/keys/rotate"), 401)
