"""A registration's history against the ledger (登记历史与存证核对, issue 16 point 3): a notarized
change deleted from the stored history, or a registration rolled back behind the API, turns the
certificate's public verification invalid and is named there and on its page."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.registration.enums import ApplicationState
from logispace.domains.registration.models import (
    RegistrationApplication,
    RegistrationCertificate,
    RegistrationRecord,
    RegistrationStep,
)
from tests.conftest import World
from tests.factories.registration import API, file_application, later_body, upload_data
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import act, register

JSON = dict[str, Any]


def certificate(client: TestClient, code: str) -> JSON:
    response = client.get(f"{API}/certificates/{code}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def findings(cert: JSON) -> list[tuple[str, str, int | None]]:
    return [(f["chain"], f["problem"], f["ledger_index"]) for f in cert["history_findings"]]


def changed(client: TestClient, world: World, clock: TravelClock) -> tuple[JSON, JSON]:
    """A registration issued, then changed (record version 2, certificate revision 2)."""
    _, record = register(client, world, clock)
    b, auth = world.b_admin.headers, world.reviewer.headers
    new_data = upload_data(client, b, record["catalog_code"])
    change = file_application(
        client, b, later_body("change", record["id"], evidence_ledger_index=new_data.ledger_index)
    )
    act(client, b, change["id"], "submit")
    act(client, auth, change["id"], "accept")
    passed = act(client, auth, change["id"], "review/pass")
    clock.to(passed["publicity_end"])
    clock.forward(1)
    act(client, auth, change["id"], "issue")
    return record, change


def test_an_untouched_history_matches_the_ledger(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    record, _ = changed(client, world, clock)
    cert = certificate(client, record["certificate_code"])
    assert (cert["verdict"], cert["revision"]) == ("valid", 2)
    assert cert["history_matches"] is True and cert["history_findings"] == []


def test_a_deleted_notarized_step_is_named(
    client: TestClient, world: World, clock: TravelClock, db: Session
) -> None:
    issued, record = register(client, world, clock)
    application_id = uuid.UUID(issued["id"])
    last = db.scalars(
        select(RegistrationStep)
        .where(RegistrationStep.application_id == application_id)
        .order_by(RegistrationStep.seq.desc())
        .limit(1)
    ).one()
    index = last.ledger_index
    db.execute(delete(RegistrationStep).where(RegistrationStep.id == last.id))
    db.commit()
    cert = certificate(client, record["certificate_code"])
    assert cert["verdict"] == "invalid" and cert["history_matches"] is False
    assert cert["signature"]["valid"] and cert["ledger_verified"] and cert["record_matches"]
    assert findings(cert) == [("application", "missing", index)]
    assert any(f"ledger entry {index}" in r for r in cert["reasons"])
    page = client.get(f"/registry/certificates/{record['certificate_code']}")
    assert page.status_code == 200
    assert 'data-testid="history-findings"' in page.text
    assert "存证账本中已记录，登记历史中缺失" in page.text and f"存证序号 {index}" in page.text


def test_a_registration_rolled_back_behind_the_api_is_named(
    client: TestClient, world: World, clock: TravelClock, db: Session
) -> None:
    """The change is undone in the database: its issuing step deleted and its application set back
    to publicity, the record to version 1, and the certificate to its first signed statement. Each
    remaining piece verifies by itself (the first statement is genuinely signed and in the ledger,
    and the record says what it says); only the ledger's later entries show what was cut."""
    record, change = changed(client, world, clock)
    code = record["certificate_code"]
    change_id, record_id = uuid.UUID(change["id"]), uuid.UUID(record["id"])
    issue_step = db.scalars(
        select(RegistrationStep)
        .where(RegistrationStep.application_id == change_id)
        .order_by(RegistrationStep.seq.desc())
        .limit(1)
    ).one()
    signed = db.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.subject == f"registration:certificate:{code}")
        .order_by(LedgerEntry.entry_id)
    ).all()
    first, second = signed[0], signed[1]
    first_payload = json.loads(first.leaf_input)["payload"]
    db.execute(delete(RegistrationStep).where(RegistrationStep.id == issue_step.id))
    db.execute(
        update(RegistrationApplication)
        .where(RegistrationApplication.id == change_id)
        .values(state=ApplicationState(issue_step.from_state))
    )
    db.execute(
        update(RegistrationRecord)
        .where(RegistrationRecord.id == record_id)
        .values(
            version=1,
            content_sha256=record["content_sha256"],
            data_name=record["data_name"],
        )
    )
    db.execute(
        update(RegistrationCertificate)
        .where(RegistrationCertificate.code == code)
        .values(
            revision=1,
            statement=first_payload["statement"],
            signature=base64.b64decode(first_payload["signature"]),
            ledger_index=first.entry_id,
        )
    )
    db.commit()

    cert = certificate(client, code)
    assert cert["signature"]["valid"] and cert["ledger_verified"] and cert["record_matches"]
    assert cert["verdict"] == "invalid" and cert["history_matches"] is False
    found = findings(cert)
    assert ("application", "missing", issue_step.ledger_index) in found
    assert ("application", "state", issue_step.ledger_index) in found
    assert any(chain == "record" and problem == "state" for chain, problem, _ in found)
    assert ("certificate", "missing", second.entry_id) in found
    assert ("certificate", "state", first.entry_id) in found
