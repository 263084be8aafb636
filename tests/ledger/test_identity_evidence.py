"""Identity events go through the ledger in the same transaction (issue 4 point 6)."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.identity import SYSTEM, Role, VerificationStatus, auth_service, service
from logispace.domains.identity.schemas import VerificationDecision
from logispace.domains.ledger.models import LedgerEntry
from tests.factories.identity import bearer, make_party, make_token, make_user


def entries_for(db: Session, subject: str) -> list[dict[str, Any]]:
    rows = db.scalars(
        select(LedgerEntry).where(LedgerEntry.subject == subject).order_by(LedgerEntry.leaf_index)
    )
    return [json.loads(bytes(row.leaf_input)) for row in rows]


def test_party_creation_and_verification_are_recorded(db: Session) -> None:
    party = make_party(db, name="钦州港务集团")
    service.decide_verification(
        db, SYSTEM, party.id, VerificationDecision(status=VerificationStatus.VERIFIED)
    )
    created, verified = entries_for(db, f"party:{party.id}")
    assert created["kind"] == "identity.party_created"
    assert created["payload"] == {"name": "钦州港务集团", "party_type": "enterprise", "uscc": party.uscc}
    assert verified["kind"] == "identity.party_verified"
    assert verified["payload"]["status"] == "verified"


def test_user_names_appear_only_as_hashes(db: Session) -> None:
    party = make_party(db)
    user = make_user(db, party, Role.PARTY_ADMIN, username="zhang.san")
    (entry,) = entries_for(db, f"user:{user.id}")
    assert entry["kind"] == "identity.user_created"
    assert entry["actor"] is None  # created by the system operator
    assert entry["payload"]["username_sha256"] == hashlib.sha256(b"zhang.san").hexdigest()
    assert b"zhang.san" not in json.dumps(entry).encode()


def test_tokens_issued_and_revoked_are_recorded_without_secrets(db: Session) -> None:
    party = make_party(db)
    user = make_user(db, party, Role.PARTY_ADMIN)
    secret = make_token(db, user)
    token = auth_service.list_tokens(db, auth_service.principal_for(user, party.party_type, "token"))[0]
    auth_service.revoke_token(db, auth_service.principal_for(user, party.party_type, "token"), token.id)
    issued, revoked = entries_for(db, f"token:{token.id}")
    assert issued["kind"] == "identity.token_issued" and revoked["kind"] == "identity.token_revoked"
    assert issued["actor"] == str(party.id) and revoked["actor"] == str(party.id)
    assert secret not in json.dumps(issued) and token.digest not in json.dumps(issued)


def test_a_failed_request_leaves_no_entry(client: TestClient, db: Session) -> None:
    party = make_party(db)
    admin = make_user(db, party, Role.PARTY_ADMIN)
    token = make_token(db, admin)
    db.commit()
    before = db.scalar(select(LedgerEntry.leaf_index).order_by(LedgerEntry.leaf_index.desc()).limit(1))
    # A second user with a taken name: refused, and neither the user nor an entry is written.
    body = {
        "party_id": str(party.id),
        "username": admin.username,
        "display_name": "重复",
        "password": "correct-horse-battery",
        "roles": ["analyst"],
    }
    response = client.post("/api/v1/users", json=body, headers=bearer(token))
    assert response.status_code == 409, response.text
    after = db.scalar(select(LedgerEntry.leaf_index).order_by(LedgerEntry.leaf_index.desc()).limit(1))
    assert after == before


def test_a_rolled_back_write_leaves_no_entry(db: Session) -> None:
    savepoint = db.begin_nested()
    party = make_party(db)
    subject = f"party:{party.id}"
    assert entries_for(db, subject)
    savepoint.rollback()
    assert entries_for(db, subject) == []
    assert entries_for(db, f"party:{uuid.uuid4()}") == []
