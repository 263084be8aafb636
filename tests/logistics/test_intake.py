"""Intake through the API: DCSA T&T events and vehicle GPS CSV captured as EPCIS events of the
caller's party, all or nothing, with the ISO 6346 warning kept and bad rows named by line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.logistics.epcis.models import CaptureJob, EpcisEvent
from tests.conftest import World
from tests.identity.support import assert_problem
from tests.logistics.conftest import Clock
from tests.logistics.support import query_all

JSON = dict[str, Any]
DCSA_URL = "/api/v1/logistics/intake/dcsa"
GPS_URL = "/api/v1/logistics/intake/gps"
CSV_HEADERS = {"Content-Type": "text/csv"}
GOOD = "CSQU3054383"  # valid ISO 6346
BAD = "APZU4812091"  # a DCSA sample-style number whose check digit fails (expected 0)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """A capture limit of 3 events, so that a longer intake spans several capture documents."""
    return Settings(
        cookie_secure=False, database_url=database_url, max_body_bytes=64 * 1024, epcis_capture_limit=3
    )


def equipment(number: str, code: str = "LOAD", when: str = "2026-05-01T10:00:00+08:00", **extra: Any) -> JSON:
    return {
        "eventType": "EQUIPMENT",
        "eventClassifierCode": "ACT",
        "eventDateTime": when,
        "equipmentEventTypeCode": code,
        "equipmentReference": number,
        "ISOEquipmentCode": "22GP",
        "emptyIndicatorCode": "LADEN",
        "eventLocation": {"UNLocationCode": "CNQZH"},
        "documentReferences": [{"documentReferenceType": "TRD", "documentReferenceValue": "BL0001"}],
        **extra,
    }


def dcsa_events() -> list[JSON]:
    return [
        equipment(GOOD, "GTIN", "2026-05-01T08:00:00+08:00"),
        equipment(BAD, "LOAD", eventID="4d9a1a30-7d2b-4a5c-9a7f-7a4c0d1e2f31"),
        {
            "eventType": "TRANSPORT",
            "eventClassifierCode": "ACT",
            "eventDateTime": "2026-05-01T12:00:00+08:00",
            "transportEventTypeCode": "DEPA",
            "transportCall": {
                "transportCallID": "TC-1",
                "modeOfTransport": "VESSEL",
                "vessel": {"vesselIMONumber": "9321483"},
                "UNLocationCode": "CNQZH",
            },
        },
        {
            "eventType": "SHIPMENT",
            "eventClassifierCode": "ACT",
            "eventDateTime": "2026-04-30T09:00:00Z",
            "shipmentEventTypeCode": "ISSU",
            "documentTypeCode": "TRD",
            "documentID": "BL0001",
        },
        equipment(GOOD, "DISC", "2026-05-09T10:00:00+08:00", eventClassifierCode="EST"),
    ]


def event_count(db: Session) -> tuple[int, int]:
    return (
        db.scalar(select(func.count()).select_from(EpcisEvent)) or 0,
        db.scalar(select(func.count()).select_from(CaptureJob)) or 0,
    )


def test_dcsa_events_are_captured_for_the_callers_party_with_warnings_kept(
    client: TestClient, db: Session, world: World, clock: Clock
) -> None:
    response = client.post(DCSA_URL, json=dcsa_events(), headers=world.a_admin.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["eventCount"], body["storedCount"]) == (4, 4)
    assert [job["eventCount"] for job in body["captures"]] == [3, 1]  # 4 events, capture limit 3
    warnings = {w["where"]: w["message"] for w in body["warnings"]}
    assert "check digit is wrong (expected 0, got 1)" in warnings["event 1"]
    assert "EST" in warnings["event 4"]
    # The container that fails ISO 6346 is kept as given, and traced by its number with a warning.
    mine = query_all(client, world.a_admin, "/epcis/events")
    assert len(mine) == 4
    assert ["urn:logispace:container:" + BAD] in [e.get("epcList") for e in mine]
    assert query_all(client, world.b_admin, "/epcis/events") == []
    trace = client.get(f"/api/v1/trace/containers/{BAD}", headers=world.a_admin.headers)
    assert trace.status_code == 200, trace.text
    assert trace.json()["container"] == BAD
    assert "check digit" in trace.json()["warnings"][0]
    assert trace.json()["status"]["bizStep"] == "loading"
    assert trace.json()["waybills"] == []
    # Taking the same events in again stores nothing new.
    again = client.post(DCSA_URL, json=dcsa_events(), headers=world.a_admin.headers)
    assert again.status_code == 201 and again.json()["storedCount"] == 0
    assert event_count(db)[0] == 4


@pytest.mark.parametrize(
    ("events", "loc", "words"),
    [
        (
            [equipment(GOOD), {"eventType": "REEFER", "eventDateTime": "2026-05-01T10:00:00Z"}],
            ["event", 1],
            "REEFER",
        ),
        ([equipment(GOOD), equipment("", "LOAD")], ["event", 1], "equipmentReference"),
        ([equipment(GOOD, when="yesterday")], ["event", 0], "eventDateTime"),
        ([equipment(GOOD), "not an object"], ["event", 1], "not a JSON object"),
        (
            [{"eventType": "TRANSPORT", "eventDateTime": "2026-05-01T10:00:00Z", "transportCall": "x"}],
            ["event", 0],
            "",
        ),
    ],
)
def test_an_unmappable_dcsa_event_refuses_the_whole_list(
    client: TestClient, db: Session, world: World, clock: Clock, events: list[Any], loc: list[Any], words: str
) -> None:
    body = assert_problem(
        client.post(DCSA_URL, json=events, headers=world.a_admin.headers), 422, "intake-refused"
    )
    assert body["errors"][0]["loc"] == loc and words in body["errors"][0]["msg"]
    assert body["refused"] == 1
    assert event_count(db) == (0, 0)


def test_dcsa_body_that_is_not_a_json_list(client: TestClient, db: Session, world: World) -> None:
    headers = {**world.a_admin.headers, "Content-Type": "application/json"}
    assert_problem(client.post(DCSA_URL, content=b"{not json", headers=headers), 422, "intake-refused")
    assert_problem(
        client.post(DCSA_URL, json={"events": []}, headers=world.a_admin.headers), 422, "intake-refused"
    )
    assert_problem(
        client.post(DCSA_URL, content=b"a,b\n", headers={**world.a_admin.headers, **CSV_HEADERS}), 415
    )
    assert event_count(db) == (0, 0)


def test_a_capture_failing_in_a_later_document_leaves_nothing(
    client: TestClient, db: Session, world: World, clock: Clock
) -> None:
    """Four events make two capture documents; the second refuses (future event time): no job, no event."""
    events = [*dcsa_events()[:3], equipment(GOOD, "DISC", "2099-01-01T00:00:00Z")]
    body = assert_problem(client.post(DCSA_URL, json=events, headers=world.a_admin.headers), 400)
    assert body["code"] == "epcis-invalid-document"
    assert event_count(db) == (0, 0)


def gps_csv(*rows: str) -> bytes:
    return ("plate,time,longitude,latitude,speed\n" + "".join(r + "\n" for r in rows)).encode()


def test_gps_points_become_located_vehicle_events(client: TestClient, world: World, clock: Clock) -> None:
    csv = gps_csv(
        "桂A12345,2026-05-01 10:00:00,108.32,22.82,62.5",
        "桂AD12345,2026-05-01T10:00:30+08:00,108.33,22.83,0",  # new-energy small car
        "桂A12345F,2026-05-01 10:01:00,108.34,22.84,70",  # new-energy large vehicle
        "桂A12345,2026-05-01 10:01:30,108.35,22.85,71.5",
    )
    response = client.post(GPS_URL, content=csv, headers={**world.a_admin.headers, **CSV_HEADERS})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["eventCount"], body["storedCount"], len(body["captures"])) == (4, 4, 2)
    assert body["warnings"] == []
    truck = client.get(
        "/api/v1/trace/epcs/urn:logispace:vehicle:桂A12345", headers=world.a_admin.headers
    ).json()
    assert [e["bizStep"] for e in truck["events"]] == ["transporting", "transporting"]
    assert (truck["position"]["latitude"], truck["position"]["longitude"]) == (22.85, 108.35)
    assert truck["position"]["time"].startswith("2026-05-01T02:01:30")  # Beijing time, stored in UTC
    other = client.get("/api/v1/trace/epcs/urn:logispace:vehicle:桂A12345", headers=world.b_admin.headers)
    assert_problem(other, 404, "trace-not-found")


def test_bad_gps_rows_are_named_by_line_and_nothing_is_captured(
    client: TestClient, db: Session, world: World, clock: Clock
) -> None:
    csv = gps_csv(
        "桂A12345,2026-05-01 10:00:00,108.32,22.82,62.5",
        "桂I12345,2026-05-01 10:00:30,108.33,22.83,60",  # I is not a serial letter
        "桂A12345,2026-05-01 10:01:00,108.34,22.84,70",
        "桂A12345,yesterday,108.35,22.85,71",
        "桂A12345,2026-05-01 10:02:00,198.35,22.85,71",
        "桂A12345,2026-05-01 10:02:30,108.35,22.85,260",
    )
    body = assert_problem(
        client.post(GPS_URL, content=csv, headers={**world.a_admin.headers, **CSV_HEADERS}),
        422,
        "intake-refused",
    )
    assert [e["loc"] for e in body["errors"]] == [["line", 3], ["line", 5], ["line", 6], ["line", 7]]
    assert "line 3" in body["detail"] and body["refused"] == 4
    assert event_count(db) == (0, 0)


@pytest.mark.parametrize(
    "content",
    [
        b"plate,time\n\xe6\xa1\x82A12345,2026-05-01\n",
        b"\xff\xfe\x00bad",
        b"plate,time,longitude,latitude,speed\n\x00,1\n",
    ],
)
def test_unreadable_csv_is_refused(client: TestClient, db: Session, world: World, content: bytes) -> None:
    body = assert_problem(
        client.post(GPS_URL, content=content, headers={**world.a_admin.headers, **CSV_HEADERS}),
        422,
        "intake-refused",
    )
    assert body["errors"]
    assert event_count(db) == (0, 0)


def test_an_empty_list_captures_nothing(client: TestClient, db: Session, world: World) -> None:
    response = client.post(DCSA_URL, json=[], headers=world.a_admin.headers)
    assert response.status_code == 201 and response.json()["captures"] == []
    assert json.loads(response.text)["eventCount"] == 0
    assert event_count(db) == (0, 0)


def test_a_csv_over_the_body_limit_is_refused_before_anything_is_read(
    client: TestClient, db: Session, world: World
) -> None:
    row = "桂A12345,2026-05-01 10:00:00,108.32,22.82,62.5\n"
    big = gps_csv() + row.encode() * (70 * 1024 // len(row.encode()))
    response = client.post(GPS_URL, content=big, headers={**world.a_admin.headers, **CSV_HEADERS})
    assert_problem(response, 413)

    def chunks() -> Any:  # no content-length: the route's own limit while streaming
        for _ in range(0, len(big), 8192):
            yield big[:8192]

    streamed = client.post(GPS_URL, content=chunks(), headers={**world.a_admin.headers, **CSV_HEADERS})
    assert_problem(streamed, 413)
    assert event_count(db) == (0, 0)
