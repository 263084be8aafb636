"""Chain of custody (单证可信流转): tampering turns the verdict; a failed step leaves nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from logispace.domains.ledger import document_service
from logispace.domains.ledger.models import Document, DocumentVersion, LedgerEntry
from logispace.domains.logistics.waybills.models import (
    Container,
    ContainerAssignment,
    Waybill,
    WaybillEvent,
    WaybillLeg,
)
from tests.logistics.waybill_support import Corridor, create, done


def _journey(client: TestClient, c: Corridor) -> str:
    number: str = create(client, c.shipper, c.body())["number"]
    done(client, c.shipper, number, "issue")
    done(client, c.road, number, "pick_up")
    done(client, c.rail, number, "hand_over")
    return number


def _report(client: TestClient, c: Corridor, number: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/waybills/{number}/custody", headers=c.consignee.headers)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def _verdicts(report: dict[str, Any]) -> list[str]:
    return [s["verdict"] for s in report["steps"]]


def _event(db: Session, number: str, sequence: int) -> WaybillEvent:
    return db.scalars(
        select(WaybillEvent)
        .join(Waybill, Waybill.id == WaybillEvent.waybill_id)
        .where(Waybill.number == number, WaybillEvent.sequence == sequence)
    ).one()


def test_an_untouched_chain_verifies(client: TestClient, corridor: Corridor) -> None:
    report = _report(client, corridor, _journey(client, corridor))
    assert report["verdict"] == "authentic"
    assert _verdicts(report) == ["authentic"] * 4
    signers = [s["actor_uscc"] for s in report["steps"]]
    assert signers == [corridor.shipper.uscc, corridor.shipper.uscc, corridor.road.uscc, corridor.rail.uscc]


def test_a_tampered_stored_document_turns_its_step(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    number = _journey(client, corridor)
    event = _event(db, number, 3)
    forged = dict(event.snapshot or {})
    forged["cargo"] = [{**forged["cargo"][0], "packages": 1}]  # fewer packages handed to the road carrier
    db.execute(update(WaybillEvent).where(WaybillEvent.id == event.id).values(snapshot=forged))
    db.commit()
    report = _report(client, corridor, number)
    assert report["verdict"] == "tampered"
    assert _verdicts(report) == ["authentic", "authentic", "tampered", "authentic"]
    step = report["steps"][2]
    assert step["content_matches"] is False and step["signature_valid"] is True
    assert "does not hash to the notarized SHA-256" in step["problems"][0]


def test_a_step_claimed_by_another_party_is_refused(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    number = _journey(client, corridor)
    event = _event(db, number, 4)
    db.execute(
        update(WaybillEvent)
        .where(WaybillEvent.id == event.id)
        .values(actor_party_id=corridor.last_mile.actor.party_id)
    )
    db.commit()
    step = _report(client, corridor, number)["steps"][3]
    assert step["verdict"] == "tampered" and step["signed_by_actor"] is False


def test_steps_swapped_are_out_of_order(client: TestClient, corridor: Corridor, db: Session) -> None:
    number = _journey(client, corridor)
    second, third = _event(db, number, 2), _event(db, number, 3)
    ids = {2: (second.document_id, second.snapshot), 3: (third.document_id, third.snapshot)}
    for event, other in ((second, 3), (third, 2)):
        db.execute(
            update(WaybillEvent)
            .where(WaybillEvent.id == event.id)
            .values(document_id=ids[other][0], snapshot=ids[other][1])
        )
    db.commit()
    report = _report(client, corridor, number)
    assert report["verdict"] == "tampered"
    assert report["steps"][1]["in_order"] is False and report["steps"][2]["in_order"] is False


def test_a_step_removed_from_the_middle_breaks_the_chain(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    number = _journey(client, corridor)
    db.execute(delete(WaybillEvent).where(WaybillEvent.id == _event(db, number, 3).id))
    db.commit()
    report = _report(client, corridor, number)
    assert report["verdict"] == "tampered"
    assert [s["sequence"] for s in report["steps"]] == [1, 2, 4]
    assert _verdicts(report) == ["authentic", "authentic", "tampered"]
    assert any("previous document" in p for p in report["steps"][2]["problems"])


def test_a_status_changed_behind_the_chain_is_reported(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    number = _journey(client, corridor)
    db.execute(update(Waybill).where(Waybill.number == number).values(status="delivered", current_leg=None))
    db.commit()
    report = _report(client, corridor, number)
    assert report["verdict"] == "tampered" and report["status_matches"] is False
    assert _verdicts(report) == ["authentic"] * 4


def _counts(db: Session) -> tuple[int, ...]:
    return tuple(
        db.scalar(select(func.count()).select_from(model)) or 0
        for model in (
            Waybill,
            WaybillLeg,
            WaybillEvent,
            Container,
            ContainerAssignment,
            Document,
            LedgerEntry,
        )
    )


def _fail_after_notarizing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notarizing writes the document and its ledger entry, then the step fails."""
    real = document_service.notarize

    def notarize_then_fail(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise RuntimeError("the disk filled up after the ledger entry")

    monkeypatch.setattr(document_service, "notarize", notarize_then_fail)


def test_a_failed_draft_leaves_nothing(
    app: FastAPI, corridor: Corridor, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _counts(db)
    _fail_after_notarizing(monkeypatch)
    with TestClient(app, raise_server_exceptions=False) as client:
        body = corridor.body()
        response = client.post("/api/v1/waybills", json=body, headers=corridor.shipper.headers)
    assert response.status_code == 500
    assert _counts(db) == before
    assert db.scalar(select(Waybill).where(Waybill.number == body["waybill_no"])) is None


def test_a_failed_action_leaves_the_waybill_as_it_was(
    app: FastAPI, client: TestClient, corridor: Corridor, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = create(client, corridor.shipper, corridor.body())["number"]
    before = _counts(db)
    real = document_service.notarize
    _fail_after_notarizing(monkeypatch)
    with TestClient(app, raise_server_exceptions=False) as failing:
        response = failing.post(
            f"/api/v1/waybills/{number}/actions", json={"action": "issue"}, headers=corridor.shipper.headers
        )
    assert response.status_code == 500
    db.expire_all()
    assert _counts(db) == before
    waybill = db.scalars(select(Waybill).where(Waybill.number == number)).one()
    assert waybill.status == "draft"
    monkeypatch.setattr(document_service, "notarize", real)
    assert done(client, corridor.shipper, number, "issue")["status"] == "issued"
    # Every waybill has its ledger entries: the draft's and the documents are in the log.
    entries = db.scalar(
        select(func.count())
        .select_from(WaybillEvent)
        .join(LedgerEntry, LedgerEntry.entry_id == WaybillEvent.ledger_index)
        .join(Waybill, Waybill.id == WaybillEvent.waybill_id)
        .where(Waybill.number == number)
    )
    assert entries == 2


def test_stored_documents_are_append_only_so_tampering_goes_to_the_copy(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    number = _journey(client, corridor)
    event = _event(db, number, 2)
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.execute(
            update(DocumentVersion)
            .where(DocumentVersion.document_id == event.document_id)
            .values(sha256="0" * 64)
        )
