"""Capture: idempotent recapture, all-or-nothing, and a clear problem for every kind of bad input."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.identity import PartyType, Principal, Role
from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.logistics import event_hash_id
from logispace.domains.logistics.epcis import service
from logispace.domains.logistics.epcis.models import CaptureJob, EpcisEvent, EpcisEventEpc
from tests.conftest import World
from tests.identity.support import assert_problem
from tests.logistics.conftest import T1, Clock
from tests.logistics.support import (
    EXAMPLES,
    JSON,
    capture,
    captured,
    document,
    event_url,
    load,
    object_event,
    query,
    query_all,
)


def counts(db: Session) -> tuple[int, int, int]:
    return (
        db.scalar(select(func.count()).select_from(EpcisEvent)) or 0,
        db.scalar(select(func.count()).select_from(EpcisEventEpc)) or 0,
        db.scalar(select(func.count()).select_from(CaptureJob)) or 0,
    )


def invalid(response: Any, pointer: str, status: int = 400) -> JSON:
    body = assert_problem(response, status, "epcis-invalid-document")
    assert body["epcisException"] == "epcisException:ValidationException"
    assert body["pointer"] == pointer, body
    return body


def test_capture_job_resource_and_ledger_entry(client: TestClient, db: Session, world: World) -> None:
    doc = document(object_event(1), object_event(2))
    job = captured(client, world.a_admin, doc)
    assert job["running"] is False
    assert job["success"] is True
    assert job["captureErrorBehaviour"] == "rollback"
    assert job["errors"] == []
    assert (job["eventCount"], job["storedCount"]) == (2, 2)
    entry = db.get(LedgerEntry, job["ledgerIndex"])
    assert entry is not None
    assert entry.kind == "epcis.capture"
    assert entry.subject == f"epcis-capture:{job['captureID']}"
    assert job["documentSha256"] in bytes(entry.leaf_input).decode()


def test_the_same_event_captured_twice_is_stored_once(client: TestClient, db: Session, world: World) -> None:
    doc = document(object_event(1), object_event(2, eventID="urn:uuid:3d8f4f9e-0000-4000-8000-000000000002"))
    first = captured(client, world.a_admin, doc)
    again = captured(client, world.a_admin, doc)
    assert (first["storedCount"], again["storedCount"]) == (2, 0)
    # The same event written differently (keys reordered, other time notation) is the same event.
    variant = object_event(1)
    variant = dict(reversed(list(variant.items())))
    variant["eventTime"] = "2026-01-02T02:00:00Z"
    third = captured(client, world.a_admin, document(variant, object_event(3)))
    assert third["storedCount"] == 1
    assert len(query_all(client, world.a_admin, "/epcis/events")) == 3
    # Within one document too.
    fourth = captured(client, world.a_admin, document(object_event(4), object_event(4)))
    assert (fourth["eventCount"], fourth["storedCount"]) == (2, 1)


def test_missing_event_id_is_the_event_hash(client: TestClient, world: World) -> None:
    event = object_event(7, **{"ex:note": "没有事件标识"})
    captured(client, world.a_admin, document(event))
    expected = event_hash_id(event, {"ex": "https://ns.example.com/"})
    found, _ = query(client, world.a_admin, event_url(expected))
    assert found[0]["eventID"] == expected
    assert found[0]["ex:note"] == "没有事件标识"


def test_an_event_id_naming_another_event_refuses_the_whole_capture(
    client: TestClient, db: Session, world: World
) -> None:
    captured(
        client,
        world.a_admin,
        document(object_event(1, eventID="urn:uuid:11111111-1111-4111-8111-111111111111")),
    )
    before = counts(db)
    clash = document(
        object_event(5), object_event(6, eventID="urn:uuid:11111111-1111-4111-8111-111111111111")
    )
    body = assert_problem(capture(client, world.a_admin, clash), 409, "epcis-event-id-conflict")
    assert body["epcisException"] == "epcisException:ResourceAlreadyExistsException"
    assert body["pointer"] == "/epcisBody/eventList/1"
    assert counts(db) == before


BAD_DOCUMENTS: list[tuple[str, Any, str]] = [
    ("not JSON", b"{not json", ""),
    ("not UTF-8", b"\xff\xfe{}", ""),
    ("JSON array", b"[1, 2]", ""),
    ("missing @context", {k: v for k, v in document(object_event(1)).items() if k != "@context"}, ""),
    (
        "wrong @context",
        document(object_event(1), context=["https://example.com/other-context.jsonld"]),
        "/@context",
    ),
    (
        "@context without EPCIS",
        document(object_event(1), context=[{"ex": "https://ns.example.com/"}]),
        "/@context",
    ),
    (
        "unknown event type",
        document(object_event(1), {**object_event(2), "type": "ex:ParcelEvent"}),
        "/epcisBody/eventList/1/type",
    ),
    (
        "missing eventTime",
        document(object_event(1), {k: v for k, v in object_event(2).items() if k != "eventTime"}),
        "/epcisBody/eventList/1",
    ),
    ("bad action", document({**object_event(1), "action": "WATCH"}), "/epcisBody/eventList/0/action"),
    ("query document shape", {**document(object_event(1)), "type": "EPCISQueryDocument"}, "/epcisBody"),
    ("valid query document", load(EXAMPLES / "EPCISQueryDocument.jsonld"), "/type"),
]


@pytest.mark.parametrize(("label", "doc", "pointer"), BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_bad_documents_are_refused_whole_with_a_pointer(
    client: TestClient, db: Session, world: World, label: str, doc: Any, pointer: str
) -> None:
    before = counts(db)
    body = invalid(capture(client, world.a_admin, doc), pointer)
    assert body["detail"]
    assert counts(db) == before


def test_event_time_in_the_future_beyond_the_tolerance(
    client: TestClient, db: Session, world: World, clock: Clock, settings: Settings
) -> None:
    tolerance = timedelta(seconds=settings.epcis_future_tolerance_seconds)
    soon = object_event(1, eventTime=(T1 + tolerance - timedelta(seconds=1)).isoformat())
    late = object_event(2, eventTime=(T1 + tolerance + timedelta(seconds=1)).isoformat())
    before = counts(db)
    body = invalid(capture(client, world.a_admin, document(soon, late)), "/epcisBody/eventList/1/eventTime")
    assert "future" in body["detail"]
    assert counts(db) == before
    assert captured(client, world.a_admin, document(soon))["storedCount"] == 1


def test_schema_errors_list_every_pointer(client: TestClient, world: World) -> None:
    broken = document(
        {**object_event(1), "action": "WATCH"}, {**object_event(2), "eventTimeZoneOffset": "8h"}
    )
    body = invalid(capture(client, world.a_admin, broken), "/epcisBody/eventList/0/action")
    pointers = {e["pointer"] for e in body["errors"]}
    assert {"/epcisBody/eventList/0/action", "/epcisBody/eventList/1/eventTimeZoneOffset"} <= pointers


def test_a_huge_body_is_refused_before_it_is_read(client: TestClient, db: Session, world: World) -> None:
    before = counts(db)
    huge = b" " * (100 * 1024 * 1024)
    response = capture(client, world.a_admin, huge)
    assert_problem(response, 413, "payload-too-large")
    assert counts(db) == before


def test_more_events_than_the_capture_limit(client: TestClient, db: Session, world: World, app: Any) -> None:
    app.state.settings = app.state.settings.model_copy(update={"epcis_capture_limit": 3})
    response = capture(client, world.a_admin, document(*(object_event(n) for n in range(4))))
    body = assert_problem(response, 413, "epcis-capture-limit-exceeded")
    assert body["epcisException"] == "epcisException:CaptureLimitExceededException"
    assert counts(db) == (0, 0, 0)


def test_content_type_and_error_behaviour(client: TestClient, world: World) -> None:
    body = json.dumps(document(object_event(1))).encode()
    text = client.post(
        "/epcis/capture", content=body, headers={**world.a_admin.headers, "Content-Type": "text/plain"}
    )
    assert assert_problem(text, 415)["epcisException"] == "epcisException:UnsupportedMediaTypeException"
    proceed = capture(client, world.a_admin, body, **{"GS1-Capture-Error-Behaviour": "proceed"})
    assert_problem(proceed, 400, "epcis-unsupported-error-behaviour")
    plain_json = client.post(
        "/epcis/capture", content=body, headers={**world.a_admin.headers, "Content-Type": "application/json"}
    )
    assert plain_json.status_code == 202, plain_json.text


def test_a_failure_after_the_inserts_rolls_everything_back(
    db: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    principal = Principal(
        user_id=world.a_admin.user_id,  # type: ignore[arg-type]
        username=world.a_admin.username,
        party_id=world.a_admin.party_id,  # type: ignore[arg-type]
        party_type=PartyType.ENTERPRISE,
        roles=frozenset({Role.PARTY_ADMIN}),
        via="token",
    )
    before = counts(db)
    seen: list[tuple[int, int, int]] = []

    def failing_append(session: Session, **_: Any) -> None:
        seen.append(counts(session))
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(service.ledger, "append", failing_append)
    savepoint = db.begin_nested()
    body = json.dumps(document(object_event(1), object_event(2))).encode()
    with pytest.raises(RuntimeError):
        service.capture(db, principal, body, Settings())
    savepoint.rollback()
    assert seen == [(before[0] + 2, before[1] + 2, before[2] + 1)]  # the rows were written ...
    assert counts(db) == before  # ... and are gone with the transaction


def test_a_principal_without_a_party_may_not_capture(db: Session) -> None:
    system = Principal(user_id=None, username="system", party_id=None, party_type=None)
    with pytest.raises(service.PermissionDenied):
        service.capture(db, system, b"{}", Settings())


def test_nul_characters_in_identifiers_are_refused(client: TestClient, db: Session, world: World) -> None:
    before = counts(db)
    doc = document(object_event(1), object_event(2, epcList=["urn:epc:id:giai:4000001.12\u00003"]))
    body = assert_problem(capture(client, world.a_admin, doc), 400, "epcis-invalid-document")
    assert body["pointer"].startswith("/epcisBody/eventList/1")
    assert counts(db) == before


def test_a_lone_surrogate_is_an_invalid_document_with_its_pointer(
    client: TestClient, db: Session, world: World
) -> None:
    """The one body check of every API route (web.text_guard) answers in the EPCIS error format here."""
    before = counts(db)
    doc = document(object_event(1), object_event(2, epcList=["urn:epc:id:giai:4000001.12\ud8003"]))
    body = assert_problem(capture(client, world.a_admin, doc), 400, "epcis-invalid-document")
    assert body["pointer"] == "/epcisBody/eventList/1/epcList/0"
    assert counts(db) == before
