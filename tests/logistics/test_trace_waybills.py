"""Stored waybills in the trace: the windows a waybill opens over its other parties' events, the
container trace's waybills and documents, and the trace of a waybill (events by leg, handovers,
verdicts, a tampered document, isolation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from logispace.domains.logistics.waybills.models import Waybill, WaybillEvent
from tests.factories.logistics import container_number, waybill_body
from tests.identity.support import assert_problem
from tests.logistics.conftest import Clock
from tests.logistics.waybill_support import Corridor, Member, create, done
from tests.logistics.waybill_trace_support import ACCEPT, ISSUE, JSON, TRAIN, TRUCK, capture_events


def _trace(client: TestClient, by: Member, container: str) -> JSON:
    response = client.get(f"/api/v1/trace/containers/{container}", headers=by.headers)
    assert response.status_code == 200, response.text
    body: JSON = response.json()
    return body


def _event_times(body: JSON) -> list[datetime]:
    return [datetime.fromisoformat(e["eventTime"].replace("Z", "+00:00")) for e in body["events"]]


def test_a_carrier_sees_the_other_carriers_events_only_during_the_waybill(
    client: TestClient, corridor: Corridor, journey: tuple[str, str]
) -> None:
    _, container = journey
    road = _trace(client, corridor.road, container)
    by_party = {e["capturedBy"] for e in road["events"]}
    assert by_party == {str(corridor.road.actor.party_id), str(corridor.rail.actor.party_id)}
    rail_times = [
        datetime.fromisoformat(e["eventTime"].replace("Z", "+00:00"))
        for e in road["events"]
        if e["capturedBy"] == str(corridor.rail.actor.party_id)
    ]
    # The railway's waiting, loading, unloading and arrival: not its events before issue or after close.
    assert len(rail_times) == 4
    assert all(ISSUE <= t <= ACCEPT for t in rail_times)
    # Its own events it sees whenever they happened.
    own = [e for e in road["events"] if e["capturedBy"] == str(corridor.road.actor.party_id)]
    assert len(own) == 5
    # The railway sees the road carrier's events of the window, not before or after.
    rail = _trace(client, corridor.rail, container)
    road_seen = [e for e in rail["events"] if e["capturedBy"] == str(corridor.road.actor.party_id)]
    assert len(road_seen) == 3 and len(rail["events"]) == 6 + 3
    # The consignor captured nothing and sees both carriers within the window only.
    shipper = _trace(client, corridor.shipper, container)
    assert len(shipper["events"]) == 7
    assert all(ISSUE <= t <= ACCEPT for t in _event_times(shipper))
    assert [leg["mode"] for leg in shipper["legs"]] == ["road", "rail"]
    # A carrier with no part in the waybill sees nothing, as for an unknown container.
    assert_problem(
        client.get(f"/api/v1/trace/containers/{container}", headers=corridor.last_mile.headers),
        404,
        "trace-not-found",
    )


def test_a_draft_that_was_never_issued_opens_no_window(
    client: TestClient, corridor: Corridor, clock: Clock
) -> None:
    container = container_number()
    clock.now = ISSUE
    create(
        client,
        corridor.shipper,
        waybill_body(
            consignor=corridor.shipper.uscc,
            consignee=corridor.consignee.uscc,
            carriers=[corridor.road.uscc, corridor.rail.uscc],
            containers=[container],
        ),
    )
    capture_events(client, corridor, clock, container)
    road = _trace(client, corridor.road, container)
    assert {e["capturedBy"] for e in road["events"]} == {str(corridor.road.actor.party_id)}
    assert_problem(
        client.get(f"/api/v1/trace/containers/{container}", headers=corridor.shipper.headers),
        404,
        "trace-not-found",
    )


def test_the_container_trace_lists_its_waybills_and_their_verified_documents(
    client: TestClient, corridor: Corridor, journey: tuple[str, str]
) -> None:
    number, container = journey
    body = _trace(client, corridor.consignee, container)
    assert [w["number"] for w in body["storedWaybills"]] == [number]
    waybill = body["storedWaybills"][0]
    assert (waybill["status"], waybill["verdict"]) == ("closed", "authentic")
    assert [(x["mode"], x["carrierUscc"], x["origin"], x["destination"]) for x in waybill["legs"]] == [
        ("road", corridor.road.uscc, "450702", "CNQZH"),
        ("rail", corridor.rail.uscc, "CNQZH", "CNCKG"),
    ]
    assert waybill["legs"][0]["carrierName"] == "钦州某道路运输公司"
    assert waybill["issuedAt"].startswith("2026-06-01T08:00") and waybill["closedAt"] is not None
    assert [d["action"] for d in body["documents"]] == [
        "create",
        "issue",
        "pick_up",
        "hand_over",
        "deliver",
        "accept",
    ]
    assert {d["verdict"] for d in body["documents"]} == {"authentic"}
    assert all(d["pageUrl"] == f"/documents/{d['documentId']}" for d in body["documents"])
    # A party of no waybill of the container sees its own events and no waybill.
    outsider_view = client.get(f"/api/v1/trace/containers/{container}", headers=corridor.outsider.headers)
    assert outsider_view.status_code == 404


def test_the_waybill_trace_groups_events_by_leg_in_time_order(
    client: TestClient, corridor: Corridor, journey: tuple[str, str]
) -> None:
    number, container = journey
    response = client.get(f"/api/v1/trace/waybills/{number}", headers=corridor.shipper.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["state"], body["verdict"]) == ("closed", "closed", "authentic")
    assert body["containers"] == [container]
    road, rail = body["legs"]
    assert (road["mode"], road["carrierUscc"], road["origin"], road["destination"]) == (
        "road",
        corridor.road.uscc,
        "450702",
        "CNQZH",
    )
    assert road["startedAt"].startswith("2026-06-01T10:00") and road["endedAt"].startswith("2026-06-01T18:00")
    assert rail["startedAt"] == road["endedAt"] and rail["endedAt"].startswith("2026-06-02T14:00")
    assert road["means"] == [TRUCK] and rail["means"] == [TRAIN]
    assert [e["bizStep"] for e in road["events"]] == ["loading", None, "unloading"]
    assert [e["bizStep"] for e in rail["events"]] == ["loading", "unloading"]
    assert all(e["container"] == container for e in road["events"] + rail["events"])
    # Waiting at the port before pick-up and the arrival after delivery are outside the legs.
    assert [e["bizStep"] for e in body["otherEvents"]] == ["storing", "arriving"]
    every = body["otherEvents"] + road["events"] + rail["events"]
    assert len(every) == 7  # nothing before issue or after close, whoever captured it
    times = [e["eventTime"] for e in sorted(every, key=lambda e: e["eventTime"])]
    assert times == sorted(times)
    assert [
        (h["fromLeg"], h["toLeg"], h["place"], h["fromCarrierUscc"], h["toCarrierUscc"], h["verdict"])
        for h in body["handovers"]
    ] == [(1, 2, "CNQZH", corridor.road.uscc, corridor.rail.uscc, "authentic")]
    assert body["handovers"][0]["time"].startswith("2026-06-01T18:00")
    assert [d["verdict"] for d in body["documents"]] == ["authentic"] * 6
    assert body["position"]["latitude"] == pytest.approx(21.95)
    # the arrival was the last scan, but the consignee signed after it: the waybill reads closed
    assert (body["latest"]["waybillAction"], body["latest"]["waybillStatus"]) == ("accept", "closed")
    assert body["latest"]["bizStep"] is None and body["latest"]["place"] == "CNCKG"
    # Every party of the waybill sees the same chain.
    for member in (corridor.road, corridor.rail, corridor.consignee):
        other = client.get(f"/api/v1/trace/waybills/{number}", headers=member.headers).json()
        assert other["legs"] == body["legs"] and other["otherEvents"] == body["otherEvents"]


def test_a_tampered_document_shows_tampered_in_the_waybill_trace(
    client: TestClient, corridor: Corridor, journey: tuple[str, str], db: Session
) -> None:
    number, container = journey
    step = db.scalars(
        select(WaybillEvent)
        .join(Waybill, Waybill.id == WaybillEvent.waybill_id)
        .where(Waybill.number == number, WaybillEvent.action == "hand_over")
    ).one()
    forged = dict(step.snapshot or {})
    forged["containers"] = ["LSPU0000000"]  # a different box handed over
    db.execute(update(WaybillEvent).where(WaybillEvent.id == step.id).values(snapshot=forged))
    db.commit()
    body = client.get(f"/api/v1/trace/waybills/{number}", headers=corridor.rail.headers).json()
    assert body["verdict"] == "tampered"
    assert [d["verdict"] for d in body["documents"]] == [
        "authentic",
        "authentic",
        "authentic",
        "tampered",
        "authentic",
        "authentic",
    ]
    assert body["handovers"][0]["verdict"] == "tampered"
    in_container = _trace(client, corridor.rail, container)
    assert in_container["storedWaybills"][0]["verdict"] == "tampered"
    assert [d["verdict"] for d in in_container["documents"]].count("tampered") == 1


def test_only_the_parties_of_a_waybill_see_its_trace(
    client: TestClient, corridor: Corridor, journey: tuple[str, str], world: Any
) -> None:
    number, _ = journey
    for headers in (corridor.outsider.headers, corridor.last_mile.headers, world.authority_admin.headers):
        theirs = assert_problem(
            client.get(f"/api/v1/trace/waybills/{number}", headers=headers), 404, "waybill-not-found"
        )
        missing = assert_problem(
            client.get("/api/v1/trace/waybills/MT0000000000", headers=headers), 404, "waybill-not-found"
        )
        assert theirs["title"] == missing["title"]


def test_a_waybill_with_no_events_yet_has_its_legs_and_documents(
    client: TestClient, corridor: Corridor, clock: Clock
) -> None:
    clock.now = ISSUE
    number = create(client, corridor.shipper, corridor.body())["number"]
    done(client, corridor.shipper, number, "issue")
    body = client.get(f"/api/v1/trace/waybills/{number}", headers=corridor.road.headers).json()
    assert body["state"] == "issued" and len(body["legs"]) == 3
    assert all(leg["events"] == [] and leg["startedAt"] is None for leg in body["legs"])
    assert body["position"] is None and body["handovers"] == []
    assert [d["action"] for d in body["documents"]] == ["create", "issue"]
    # no event yet: its latest status is its own last step, the issue
    latest = body["latest"]
    assert (latest["waybillAction"], latest["waybillStatus"], latest["place"]) == ("issue", "issued", None)
