"""Custody against the ledger (运单流转账本核对): a chain cut short, extended, reordered or reset
behind the API is named, and no action is taken on it (issue 16 point 3)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from logispace.domains.ledger.models import DocumentVersion, LedgerEntry
from logispace.domains.logistics.waybills.models import Waybill, WaybillEvent
from tests.identity.support import Browser
from tests.logistics.waybill_support import Corridor, act, create, done


def _event(db: Session, number: str, sequence: int) -> WaybillEvent:
    return db.scalars(
        select(WaybillEvent)
        .join(Waybill, Waybill.id == WaybillEvent.waybill_id)
        .where(Waybill.number == number, WaybillEvent.sequence == sequence)
    ).one()


def _report(client: TestClient, c: Corridor, number: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/waybills/{number}/custody", headers=c.consignee.headers)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def _accepted(client: TestClient, c: Corridor) -> str:
    """A waybill run to the consignee's acceptance: seven signed steps, closed."""
    number: str = create(client, c.shipper, c.body())["number"]
    for by, action in (
        (c.shipper, "issue"),
        (c.road, "pick_up"),
        (c.rail, "hand_over"),
        (c.last_mile, "hand_over"),
        (c.last_mile, "deliver"),
        (c.consignee, "accept"),
    ):
        done(client, by, number, action)
    return number


def _step_entry(db: Session, number: str, sequence: int) -> int:
    """The entry id of the ledger's ``waybill.step`` entry for a step (read before the step is deleted)."""
    event = _event(db, number, sequence)
    waybill = db.get_one(Waybill, event.waybill_id)
    for index, data in db.execute(
        select(LedgerEntry.entry_id, LedgerEntry.leaf_input).where(
            LedgerEntry.subject == f"waybill:{waybill.id}", LedgerEntry.kind == "waybill.step"
        )
    ):
        if f'"sequence":{sequence},' in bytes(data).decode():
            return int(index)
    raise AssertionError(f"no step entry for step {sequence}")


def _findings(report: dict[str, Any]) -> list[tuple[str, int | None, str | None, int | None]]:
    return [(f["problem"], f["sequence"], f["action"], f["ledger_index"]) for f in report["findings"]]


def test_an_untouched_chain_matches_the_ledger(client: TestClient, corridor: Corridor) -> None:
    number = _accepted(client, corridor)
    report = _report(client, corridor, number)
    assert report["verdict"] == "authentic"
    assert report["ledger_checked"] is True and report["ledger_matches"] is True
    assert report["findings"] == []
    assert (report["expected_status"], report["expected_leg"]) == ("closed", None)
    assert all(s["in_ledger_chain"] for s in report["steps"])


def test_a_chain_cut_short_behind_the_api_is_named_and_frozen(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    """The tester's scenario: the last two signed steps deleted and the status set back."""
    number = _accepted(client, corridor)
    deliver, accept = _step_entry(db, number, 6), _step_entry(db, number, 7)
    waybill_id = _event(db, number, 1).waybill_id
    db.execute(
        delete(WaybillEvent).where(WaybillEvent.waybill_id == waybill_id, WaybillEvent.sequence.in_([6, 7]))
    )
    db.execute(update(Waybill).where(Waybill.id == waybill_id).values(status="in_transit", current_leg=3))
    db.commit()

    report = _report(client, corridor, number)
    assert report["verdict"] == "tampered"
    assert report["status_matches"] is False and report["ledger_matches"] is False
    assert [s["verdict"] for s in report["steps"]] == ["authentic"] * 5  # what is left verifies
    assert _findings(report) == [
        ("missing", 6, "deliver", deliver),
        ("missing", 7, "accept", accept),
        ("status", 7, "accept", accept),
    ]
    assert (report["expected_status"], report["expected_leg"]) == ("closed", None)

    read = client.get(f"/api/v1/waybills/{number}", headers=corridor.last_mile.headers).json()
    assert read["custody_intact"] is False and read["allowed_actions"] == []

    entries = db.scalar(select(func.count()).select_from(LedgerEntry))
    response = act(client, corridor.last_mile, number, "deliver")
    assert response.status_code == 409, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "waybill-custody-broken"
    assert "chain of custody" in problem["title"]
    assert [(f["problem"], f["sequence"], f["ledger_index"]) for f in problem["findings"]][:2] == [
        ("missing", 6, deliver),
        ("missing", 7, accept),
    ]
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == entries
    assert db.scalar(select(Waybill.status).where(Waybill.id == waybill_id)) == "in_transit"


def test_a_forged_step_that_verifies_by_itself_is_named_extra(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    """A carrier notarizes a well-formed next step of its own through the documents API and adds
    it to the chain in the database: signature, content and order all verify; only the ledger's
    step entries show it was never taken through the waybill."""
    number: str = create(client, corridor.shipper, corridor.body())["number"]
    done(client, corridor.shipper, number, "issue")
    done(client, corridor.road, number, "pick_up")
    done(client, corridor.rail, number, "hand_over")
    last = _event(db, number, 4)
    previous = db.scalars(
        select(DocumentVersion.sha256).where(DocumentVersion.document_id == last.document_id)
    ).one()
    now = datetime.now(UTC)
    forged = dict(last.snapshot or {})
    forged["step"] = {
        "sequence": 5,
        "action": "hand_over",
        "actor_uscc": corridor.last_mile.uscc,
        "from": {"status": "in_transit", "leg": 2},
        "to": {"status": "in_transit", "leg": 3},
        "occurred_at": now.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "note": None,
    }
    forged["previous_sha256"] = previous
    response = client.post(
        "/api/v1/documents",
        json={"title": f"多式联运运单 {number} · 5 交接", "reference": number, "document": forged},
        headers=corridor.last_mile.headers,
    )
    assert response.status_code == 201, response.text
    notarized = response.json()
    db.add(
        WaybillEvent(
            waybill_id=last.waybill_id,
            sequence=5,
            action="hand_over",
            actor_party_id=corridor.last_mile.actor.party_id,
            actor_uscc=corridor.last_mile.uscc,
            from_status="in_transit",
            from_leg=2,
            to_status="in_transit",
            to_leg=3,
            occurred_at=now,
            snapshot=forged,
            document_id=uuid.UUID(notarized["document"]["id"]),
            document_version=1,
            ledger_index=notarized["ledger_index"],
        )
    )
    db.execute(update(Waybill).where(Waybill.id == last.waybill_id).values(current_leg=3))
    db.commit()

    report = _report(client, corridor, number)
    step = report["steps"][4]
    assert (step["content_matches"], step["signature_valid"], step["signed_by_actor"]) == (True, True, True)
    assert step["in_order"] is True and step["ledger_included"] is True
    assert step["in_ledger_chain"] is False and step["verdict"] == "tampered"
    assert report["verdict"] == "tampered"
    assert ("extra", 5, "hand_over", notarized["ledger_index"]) in _findings(report)
    assert act(client, corridor.last_mile, number, "deliver").status_code == 409


def test_reordered_steps_are_named_with_their_ledger_places(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    number: str = create(client, corridor.shipper, corridor.body())["number"]
    done(client, corridor.shipper, number, "issue")
    done(client, corridor.road, number, "pick_up")
    issue, pick_up = _step_entry(db, number, 2), _step_entry(db, number, 3)
    second, third = _event(db, number, 2), _event(db, number, 3)
    for event_id, sequence in ((second.id, 99), (third.id, 2), (second.id, 3)):
        db.execute(update(WaybillEvent).where(WaybillEvent.id == event_id).values(sequence=sequence))
    db.commit()

    report = _report(client, corridor, number)
    assert report["verdict"] == "tampered"
    assert [s["action"] for s in report["steps"]] == ["create", "pick_up", "issue"]
    assert _findings(report) == [
        ("reordered", 2, "pick_up", pick_up),
        ("reordered", 3, "issue", issue),
    ]
    assert [s["in_ledger_chain"] for s in report["steps"]] == [True, False, False]
    assert act(client, corridor.rail, number, "hand_over").status_code == 409


def test_the_trace_page_names_the_missing_steps(
    app: FastAPI, client: TestClient, corridor: Corridor, db: Session
) -> None:
    number = _accepted(client, corridor)
    deliver = _step_entry(db, number, 6)
    waybill_id = _event(db, number, 1).waybill_id
    db.execute(
        delete(WaybillEvent).where(WaybillEvent.waybill_id == waybill_id, WaybillEvent.sequence.in_([6, 7]))
    )
    db.execute(update(Waybill).where(Waybill.id == waybill_id).values(status="in_transit", current_leg=3))
    db.commit()
    trace = client.get(f"/api/v1/trace/waybills/{number}", headers=corridor.consignee.headers).json()
    assert trace["verdict"] == "tampered"
    assert next((f["problem"], f["sequence"], f["ledgerIndex"]) for f in trace["custodyFindings"]) == (
        "missing",
        6,
        deliver,
    )
    with TestClient(app, base_url="http://testserver") as browser:
        page = Browser(browser, corridor.consignee.actor.username).client.get(f"/trace/waybills/{number}")
    assert page.status_code == 200
    assert 'data-testid="custody-findings"' in page.text
    assert page.text.count('data-testid="custody-finding"') == 3
    assert "账本中已存证" in page.text and f"存证序号 {deliver}" in page.text
    assert "第 6 步" in page.text and "交付" in page.text and "deliver" not in page.text


def _unlock_ledger(db: Session) -> None:
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE ledger_entries DISABLE TRIGGER USER"))
    else:
        db.execute(text("DROP TRIGGER ledger_entries_no_update"))
        db.execute(text("DROP TRIGGER ledger_entries_no_delete"))


def test_a_waybill_recorded_before_step_entries_still_names_its_deleted_steps(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    """A waybill of before the ``waybill.step`` entries (simulated by removing them): its step
    documents are found by the waybill number and their ledger entries' title and reference."""
    number = _accepted(client, corridor)
    waybill_id = _event(db, number, 1).waybill_id
    deliver, accept = _event(db, number, 6).ledger_index, _event(db, number, 7).ledger_index
    _unlock_ledger(db)
    db.execute(delete(LedgerEntry).where(LedgerEntry.subject == f"waybill:{waybill_id}"))
    db.commit()
    untouched = _report(client, corridor, number)
    assert untouched["verdict"] == "authentic" and untouched["ledger_checked"] is False

    db.execute(
        delete(WaybillEvent).where(WaybillEvent.waybill_id == waybill_id, WaybillEvent.sequence.in_([6, 7]))
    )
    db.execute(update(Waybill).where(Waybill.id == waybill_id).values(status="in_transit", current_leg=3))
    db.commit()
    report = _report(client, corridor, number)
    assert report["verdict"] == "tampered" and report["ledger_checked"] is False
    assert _findings(report) == [("missing", 6, "deliver", deliver), ("missing", 7, "accept", accept)]
    assert act(client, corridor.last_mile, number, "deliver").status_code == 409


def test_a_document_titled_as_a_step_does_not_break_a_recorded_chain(
    client: TestClient, corridor: Corridor
) -> None:
    """With step entries, a document notarized through the documents API under the waybill's number
    and a step's title is not a step: the chain stays intact and actions go on."""
    number: str = create(client, corridor.shipper, corridor.body())["number"]
    response = client.post(
        "/api/v1/documents",
        json={"title": f"多式联运运单 {number} · 2 签发 issue", "reference": number, "document": {"x": 1}},
        headers=corridor.consignee.headers,
    )
    assert response.status_code == 201, response.text
    assert _report(client, corridor, number)["verdict"] == "authentic"
    assert done(client, corridor.shipper, number, "issue")["custody_intact"] is True


def test_a_step_copied_under_a_new_sequence_is_the_extra_one(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    number: str = create(client, corridor.shipper, corridor.body())["number"]
    done(client, corridor.shipper, number, "issue")
    done(client, corridor.road, number, "pick_up")
    original = _event(db, number, 3)
    db.add(
        WaybillEvent(
            **{
                c: getattr(original, c)
                for c in (
                    "waybill_id",
                    "action",
                    "actor_party_id",
                    "actor_uscc",
                    "from_status",
                    "from_leg",
                    "to_status",
                    "to_leg",
                    "occurred_at",
                    "snapshot",
                    "document_id",
                    "document_version",
                    "ledger_index",
                )
            },
            sequence=4,
        )
    )
    db.commit()
    report = _report(client, corridor, number)
    assert report["verdict"] == "tampered"
    assert _findings(report) == [("extra", 4, "pick_up", original.ledger_index)]
    assert [s["in_ledger_chain"] for s in report["steps"]] == [True, True, True, False]
