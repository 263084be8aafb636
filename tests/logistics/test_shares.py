"""Waybill shares (运单共享, 真实贸易核验): a shipper lets its bank read one waybill's trace and chain
of custody for a period, revocable, each step in the ledger; nobody else gains anything."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.logistics.shares.models import WaybillShare
from tests.conftest import World
from tests.identity.support import assert_problem
from tests.logistics.waybill_support import Corridor, Member, create, done

READS = (
    "/api/v1/shared-waybills/{number}",
    "/api/v1/shared-waybills/{number}/custody",
    "/api/v1/trace/waybills/{number}",
)


def _later(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def _delivered(client: TestClient, c: Corridor) -> str:
    number: str = create(client, c.shipper, c.body())["number"]
    done(client, c.shipper, number, "issue")
    done(client, c.road, number, "pick_up")
    return number


def _grant(client: TestClient, by: Member, number: str, to: str, **changes: Any) -> Any:
    body = {"recipient_uscc": to, "purpose": "供应链金融贸易真实性核验", "valid_until": _later(30), **changes}
    return client.post(f"/api/v1/waybills/{number}/shares", json=body, headers=by.headers)


def _counts(db: Session) -> tuple[int, int]:
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(WaybillShare)) or 0,
        db.scalar(select(func.count()).select_from(LedgerEntry)) or 0,
    )


def test_a_shared_waybill_is_readable_by_its_recipient_until_revoked(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    c, bank = corridor, corridor.outsider
    number = _delivered(client, c)
    for path in READS:
        assert_problem(client.get(path.format(number=number), headers=bank.headers), 404)

    granted = _grant(client, c.shipper, number, bank.uscc)
    assert granted.status_code == 201, granted.text
    share = granted.json()
    assert share["active"] and share["waybill"] == number and share["ledger_index"] is not None
    entry = db.scalar(select(LedgerEntry).where(LedgerEntry.entry_id == share["ledger_index"]))
    assert entry is not None and entry.kind == "logistics.waybill.share.granted"

    for path in READS:
        assert client.get(path.format(number=number), headers=bank.headers).status_code == 200, path
    listed = client.get("/api/v1/shared-waybills", headers=bank.headers).json()
    assert [s["share"]["waybill"] for s in listed] == [number]
    assert listed[0]["custody"]["verdict"] == "authentic" and listed[0]["custody"]["status_matches"]
    # Reading only: the bank takes no action, and the parties' own API stays theirs.
    assert_problem(
        client.post(f"/api/v1/waybills/{number}/actions", json={"action": "deliver"}, headers=bank.headers),
        404,
    )
    assert_problem(client.get(f"/api/v1/waybills/{number}", headers=bank.headers), 404)
    assert_problem(client.get(f"/api/v1/waybills/{number}/shares", headers=bank.headers), 404)

    revoked = client.post(f"/api/v1/waybills/{number}/shares/{share['id']}/revoke", headers=c.shipper.headers)
    assert revoked.status_code == 200 and not revoked.json()["active"]
    assert revoked.json()["revoked_ledger_index"] > share["ledger_index"]
    for path in READS:
        assert_problem(client.get(path.format(number=number), headers=bank.headers), 404)
    assert client.get("/api/v1/shared-waybills", headers=bank.headers).json() == []
    again = client.post(f"/api/v1/waybills/{number}/shares/{share['id']}/revoke", headers=c.shipper.headers)
    assert_problem(again, 409, "waybill-share-revoked")
    kept = client.get(f"/api/v1/waybills/{number}/shares", headers=c.shipper.headers).json()
    assert [s["id"] for s in kept] == [share["id"]] and kept[0]["revoked_at"] is not None


def test_a_share_ends_with_its_period(client: TestClient, corridor: Corridor, db: Session) -> None:
    c, bank = corridor, corridor.outsider
    number = _delivered(client, c)
    share = _grant(client, c.shipper, number, bank.uscc).json()
    assert client.get(READS[0].format(number=number), headers=bank.headers).status_code == 200
    db.execute(
        update(WaybillShare)
        .where(WaybillShare.id == uuid.UUID(share["id"]))
        .values(valid_until=datetime.now(UTC) - timedelta(seconds=1))
    )
    db.commit()
    assert_problem(client.get(READS[0].format(number=number), headers=bank.headers), 404)
    assert client.get("/api/v1/shared-waybills", headers=bank.headers).json() == []


def test_only_the_cargo_side_may_share_and_others_learn_nothing(
    client: TestClient, corridor: Corridor, world: World, db: Session
) -> None:
    c = corridor
    number = _delivered(client, c)
    before = _counts(db)
    assert_problem(_grant(client, c.road, number, c.outsider.uscc), 403, "waybill-share-not-allowed")
    stranger = Member(world.b_admin, "")
    theirs = _grant(client, stranger, number, c.outsider.uscc)
    assert_problem(theirs, 404, "waybill-not-found")
    assert_problem(client.get(f"/api/v1/waybills/{number}/shares", headers=world.b_admin.headers), 404)
    assert _counts(db) == before
    assert _grant(client, c.consignee, number, c.outsider.uscc).status_code == 201
    # The consignee's share is not the shipper's to see or revoke.
    assert client.get(f"/api/v1/waybills/{number}/shares", headers=c.shipper.headers).json() == []
    share_id = client.get(f"/api/v1/waybills/{number}/shares", headers=c.consignee.headers).json()[0]["id"]
    revoke = client.post(f"/api/v1/waybills/{number}/shares/{share_id}/revoke", headers=c.shipper.headers)
    assert_problem(revoke, 404, "waybill-share-not-found")


BAD: list[tuple[str, dict[str, Any], int, str | None]] = [
    ("unknown recipient", {"recipient_uscc": "91450100MA5L0TTT9X"}, 422, "waybill-share-recipient-invalid"),
    ("the period is over", {"valid_until": _later(-1)}, 422, "waybill-share-period-invalid"),
    ("more than a year", {"valid_until": _later(400)}, 422, "waybill-share-period-invalid"),
    ("ends before it starts", {"valid_from": _later(10), "valid_until": _later(5)}, 422, None),
    ("no time zone", {"valid_until": "2027-01-01T00:00:00"}, 422, "validation-failed"),
    ("malformed code", {"recipient_uscc": "not-a-code"}, 422, "validation-failed"),
    ("empty purpose", {"purpose": " "}, 422, "validation-failed"),
    ("unknown member", {"extra": 1}, 422, "validation-failed"),
]


@pytest.mark.parametrize(("case", "change", "status", "code"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_share_is_refused_and_stores_nothing(
    client: TestClient,
    corridor: Corridor,
    db: Session,
    case: str,
    change: dict[str, Any],
    status: int,
    code: str | None,
) -> None:
    c = corridor
    number = _delivered(client, c)
    before = _counts(db)
    assert_problem(_grant(client, c.shipper, number, c.outsider.uscc, **change), status, code)
    assert _counts(db) == before


def test_a_party_does_not_share_with_itself(client: TestClient, corridor: Corridor) -> None:
    number = _delivered(client, corridor)
    refused = _grant(client, corridor.shipper, number, corridor.shipper.uscc)
    assert_problem(refused, 422, "waybill-share-recipient-invalid")
