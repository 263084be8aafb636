"""A capture acknowledges only what it stored: every event not stored is reported with its reason,
recapture of an identical event is one documented behaviour, and every eventID clash is an
``epcis-event-id-conflict``."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.domains.logistics import event_hash_id
from logispace.domains.logistics.epcis import repository
from logispace.domains.logistics.epcis.models import EpcisEvent
from tests.conftest import World
from tests.identity.support import assert_problem
from tests.logistics.support import capture, captured, document, event_url, object_event, query, query_all

PREFIXES = {"ex": "https://ns.example.com/"}
DECLARED = "urn:uuid:7c1d6d2e-0000-4000-8000-000000000001"


def reading(value: int) -> dict[str, Any]:
    return object_event(1, **{"ex:sensor": {"reading": value, "unit": "CEL"}})


def test_events_differing_only_in_a_nested_member_without_prefix_are_both_stored(
    client: TestClient, world: World
) -> None:
    first = captured(client, world.a_admin, document(reading(5)))
    second = captured(client, world.a_admin, document(reading(40)))
    assert (first["storedCount"], second["storedCount"]) == (1, 1)
    assert second["skipped"] == []
    readings = sorted(e["ex:sensor"]["reading"] for e in query_all(client, world.a_admin, "/epcis/events"))
    assert readings == [5, 40]


def test_every_event_not_stored_is_reported_with_its_reason(client: TestClient, world: World) -> None:
    captured(client, world.a_admin, document(object_event(1)))
    job = captured(client, world.a_admin, document(object_event(1), object_event(2), object_event(2)))
    assert (job["eventCount"], job["storedCount"], job["skippedCount"]) == (3, 1, 2)
    assert job["eventCount"] == job["storedCount"] + job["skippedCount"]
    one = event_hash_id(object_event(1), PREFIXES)
    two = event_hash_id(object_event(2), PREFIXES)
    assert [(s["pointer"], s["eventID"], s["reason"], s["storedEventID"]) for s in job["skipped"]] == [
        ("/epcisBody/eventList/0", one, "already-stored", one),
        ("/epcisBody/eventList/2", two, "duplicate-in-document", two),
    ]
    assert all(s["detail"] for s in job["skipped"])
    status = client.get(f"/epcis/capture/{job['captureID']}", headers=world.a_admin.headers).json()
    assert status == job


@pytest.mark.parametrize("first_id", [DECLARED, None], ids=["first-declared-an-id", "first-without-id"])
def test_recapture_without_event_id_is_skipped_and_reported(
    client: TestClient, db: Session, world: World, first_id: str | None
) -> None:
    """One behaviour whatever the first copy declared (docs/epcis.md, "Duplicates")."""
    first = object_event(3, **({"eventID": first_id} if first_id else {}))
    captured(client, world.a_admin, document(first))
    stored_as = first_id or event_hash_id(object_event(3), PREFIXES)
    again = captured(client, world.a_admin, document(object_event(3)))
    assert (again["storedCount"], again["skippedCount"]) == (0, 1)
    assert again["skipped"][0]["reason"] == "already-stored"
    assert again["skipped"][0]["storedEventID"] == stored_as
    assert db.scalar(select(func.count()).select_from(EpcisEvent)) == 1
    found, _ = query(client, world.a_admin, event_url(stored_as))
    assert len(found) == 1


def test_a_declared_id_equal_to_another_events_hash_is_an_event_id_conflict(
    client: TestClient, world: World
) -> None:
    """A stored event declares as its eventID the hash of a different event; that event then
    arrives without an eventID (so its ID is its hash)."""
    later = object_event(4)
    captured(client, world.a_admin, document(object_event(5, eventID=event_hash_id(later, PREFIXES))))
    body = assert_problem(capture(client, world.a_admin, document(later)), 409, "epcis-event-id-conflict")
    assert body["epcisException"] == "epcisException:ResourceAlreadyExistsException"
    assert body["pointer"] == "/epcisBody/eventList/0"


def test_an_event_stored_by_a_concurrent_capture_is_an_event_id_conflict(
    client: TestClient, db: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The duplicate lookup saw nothing (the other capture had not committed yet); the unique key
    refuses the insert."""
    captured(client, world.a_admin, document(object_event(6)))
    monkeypatch.setattr(repository, "existing", lambda *_: {})
    before = db.scalar(select(func.count()).select_from(EpcisEvent))
    response = capture(client, world.a_admin, document(object_event(7), object_event(6)))
    body = assert_problem(response, 409, "epcis-event-id-conflict")
    assert body["epcisException"] == "epcisException:ResourceAlreadyExistsException"
    assert db.scalar(select(func.count()).select_from(EpcisEvent)) == before


def test_an_error_declaration_of_a_stored_event_is_reported_not_stored(
    client: TestClient, world: World
) -> None:
    event = object_event(8, eventID=DECLARED)
    captured(client, world.a_admin, document(event))
    declared = {
        **event,
        "errorDeclaration": {"declarationTime": "2026-01-20T00:00:00Z", "reason": "incorrect_data"},
    }
    job = captured(client, world.a_admin, document(declared))
    assert (job["storedCount"], job["skippedCount"]) == (0, 1)
    assert job["skipped"][0]["reason"] == "error-declaration-of-stored-event"
