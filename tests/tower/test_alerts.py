"""Alert rules evaluated as events arrive and by the sweep, on a hand-made two-leg cold-chain waybill:
which alerts are raised, with which facts and events; handling them; nothing raised twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.domains import logistics, tower
from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.tower.alerts.models import Alert
from logispace.domains.tower.eta.models import EtaPrediction
from tests.logistics.support import captured, document
from tests.logistics.waybill_support import Corridor, done
from tests.tower.alert_support import (
    ISSUE,
    TRUCK,
    Clock,
    H,
    add_rules,
    aggregation,
    at,
    rail_loading,
    reading,
    road_leg,
    shipment,
)


def feed(client: TestClient, headers: dict[str, str], query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/tower/alerts{query}", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def by_kind(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {a["kind"]: a for a in items}


def test_events_raise_temperature_deviation_and_dwell_then_the_sweep_raises_handover_and_delay(
    client: TestClient, db: Session, corridor: Corridor, clock: Clock
) -> None:
    c = corridor
    add_rules(client, c.shipper)
    number, box = shipment(client, c, clock)
    road_leg(client, c, clock, number, box)
    raised = by_kind(feed(client, c.shipper.headers))
    assert set(raised) == {"temperature", "route_deviation"}
    assert raised["temperature"]["facts"] == {
        "reading_c": -10.0,
        "min_c": -20.0,
        "max_c": -15.0,
        "outside_c": 5.0,
    }
    assert raised["route_deviation"]["facts"] == {"off_route_km": 108.0, "latitude": 22.6, "longitude": 109.4}
    assert raised["route_deviation"]["subject"] == TRUCK and raised["route_deviation"]["leg"] == 1
    assert all(len(a["event_ids"]) == 1 and a["status"] == "open" for a in raised.values())
    assert raised["temperature"]["waybill_number"] == number

    rail_loading(client, c, clock, number, box, hours=12)  # 9 hours after unloading at 钦州港
    dwell = by_kind(feed(client, c.shipper.headers))["dwell"]
    assert (dwell["facts"], dwell["leg"]) == ({"hours": 9.0, "place": "CNQZH"}, 1)
    assert len(dwell["event_ids"]) == 3  # the truck's loading and unloading, the train's loading

    assert tower.sweep(db, ISSUE + 14 * H) == []  # handover pending 2 hours: not more than 2
    found = tower.sweep(db, ISSUE + 14 * H + timedelta(minutes=30))
    assert [(r.kind, r.facts) for r in found] == [("handover_unverified", {"hours": 2.5, "place": "CNQZH"})]

    (waybill_id,) = logistics.waybill_ids_by_number(db, [number])[number]
    tower.promise(db, waybill_id, ISSUE + 20 * H, None)
    assert [r.kind for r in tower.sweep(db, ISSUE + 21 * H)] == ["handover_unverified"]  # already open
    late = [r for r in tower.sweep(db, ISSUE + 21 * H + timedelta(minutes=6)) if r.kind == "delay"]
    assert [r.facts["hours_late"] for r in late] == [1.1]
    kinds = sorted(a["kind"] for a in feed(client, c.shipper.headers))
    assert kinds == ["delay", "dwell", "handover_unverified", "route_deviation", "temperature"]
    # One alert per condition: sweeping again raises nothing new.
    tower.sweep(db, ISSUE + 22 * H)
    assert db.scalar(select(func.count()).select_from(Alert)) == 5
    # The parties without rules have no alerts.
    for member in (c.road, c.rail, c.consignee, c.outsider):
        assert feed(client, member.headers) == []


def test_the_delay_rule_raises_when_the_eta_prediction_runs_past_the_promise(
    client: TestClient, db: Session, corridor: Corridor, clock: Clock
) -> None:
    c = corridor
    add_rules(client, c.shipper, [{"name": "延误", "kind": "delay", "threshold": 2}])
    number, _ = shipment(client, c, clock)
    (waybill_id,) = logistics.waybill_ids_by_number(db, [number])[number]
    tower.promise(db, waybill_id, ISSUE + 30 * H, None)
    last_leg = 2  # road, then rail
    predicted = [(ISSUE + 2 * H, ISSUE + 31 * H), (ISSUE + 3 * H, ISSUE + 33 * H)]
    for made, arrival in predicted:  # the newest prediction counts: 3 hours late
        db.add(EtaPrediction(waybill_id=waybill_id, leg=last_leg, predicted_at=made,
                             predicted_arrival=arrival, method="baseline", inputs={}))  # fmt: skip
    db.add(EtaPrediction(waybill_id=waybill_id, leg=1, predicted_at=ISSUE + 4 * H,
                         predicted_arrival=ISSUE + 40 * H, method="baseline", inputs={}))  # fmt: skip
    db.flush()
    late = tower.sweep(db, ISSUE + 4 * H)  # long before the promise passes
    assert [(r.kind, r.facts["hours_late"], r.facts["predicted_arrival"]) for r in late] == [
        ("delay", 3.0, (ISSUE + 33 * H).isoformat())
    ]


def test_a_signed_handover_clears_the_pending_one_and_gps_silence_is_judged_for_trucks(
    client: TestClient, db: Session, corridor: Corridor, clock: Clock
) -> None:
    c = corridor
    add_rules(client, c.consignee)  # the consignee's rules apply to the waybill it is on
    number, box = shipment(client, c, clock)
    at(clock, ISSUE + 2 * H)
    captured(
        client, c.road.actor, document(aggregation(number, ISSUE + H, box, "ADD", TRUCK, "loading", "450702"))
    )
    assert tower.sweep(db, ISSUE + H + timedelta(minutes=30)) == []
    silent = tower.sweep(db, ISSUE + H + timedelta(minutes=31))
    assert [(r.kind, r.subject, r.facts["minutes_silent"]) for r in silent] == [("gps_silence", TRUCK, 31)]

    at(clock, ISSUE + 4 * H)
    captured(
        client,
        c.road.actor,
        document(aggregation(number, ISSUE + 3 * H, box, "DELETE", TRUCK, "unloading", "CNQZH")),
    )
    rail_loading(client, c, clock, number, box, hours=4)
    at(clock, ISSUE + 5 * H)
    done(client, c.rail, number, "hand_over")  # signed and notarized
    found = tower.sweep(db, ISSUE + 9 * H)
    assert [r.kind for r in found] == []
    assert [a["kind"] for a in feed(client, c.consignee.headers)] == ["gps_silence"]


def test_an_event_about_another_partys_waybill_raises_nothing(
    client: TestClient, corridor: Corridor, clock: Clock
) -> None:
    c = corridor
    add_rules(client, c.shipper)
    number, box = shipment(client, c, clock)
    at(clock, ISSUE + 4 * H)
    # The outsider is on no leg of the waybill: its events do not count for it.
    hot = {
        "type": "ObjectEvent",
        "eventTime": "2026-06-01T02:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": ["urn:logispace:container:" + box],
        "action": "OBSERVE",
        "sensorElementList": [{"sensorReport": [{"type": "gs1:Temperature", "value": 30.0, "uom": "CEL"}]}],
        "bizTransactionList": [{"type": "bol", "bizTransaction": "urn:logispace:waybill:" + number}],
    }
    captured(client, c.outsider.actor, document(hot))
    assert feed(client, c.shipper.headers) == []
    captured(client, c.road.actor, document(hot))
    assert [a["kind"] for a in feed(client, c.shipper.headers)] == ["temperature"]


def test_acknowledge_assign_resolve_are_recorded_and_a_resolved_condition_may_alert_again(
    client: TestClient, db: Session, corridor: Corridor, clock: Clock
) -> None:
    c = corridor
    add_rules(client, c.shipper)
    number, box = shipment(client, c, clock)
    road_leg(client, c, clock, number, box)
    alert = by_kind(feed(client, c.shipper.headers))["temperature"]
    url = f"/api/v1/tower/alerts/{alert['id']}"
    entries = db.scalar(select(func.count()).select_from(LedgerEntry))
    acked = client.post(url + "/ack", json={"note": "已联系司机"}, headers=c.shipper.headers).json()
    assert (acked["status"], acked["acknowledged_at"] is not None) == ("acknowledged", True)
    me = str(c.shipper.actor.user_id)
    assigned = client.post(url + "/assign", json={"user_id": me}, headers=c.shipper.headers).json()
    assert (assigned["status"], assigned["assignee_user_id"]) == ("acknowledged", me)
    stranger = client.post(
        url + "/assign", json={"user_id": str(c.road.actor.user_id)}, headers=c.shipper.headers
    )
    assert stranger.status_code == 404 and stranger.json()["field"] == "user_id"
    refused = client.post(url + "/resolve", json={"note": " "}, headers=c.shipper.headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "note"]
    resolved = client.post(
        url + "/resolve", json={"note": "冷机复位，温度恢复"}, headers=c.shipper.headers
    ).json()
    assert (resolved["status"], resolved["resolution_note"]) == ("resolved", "冷机复位，温度恢复")
    again = client.post(url + "/ack", json={}, headers=c.shipper.headers)
    assert again.status_code == 409 and again.json()["code"] == "alert-resolved"
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == entries + 3
    assert [a["id"] for a in feed(client, c.shipper.headers, "?status=resolved")] == [alert["id"]]
    assert {a["kind"] for a in feed(client, c.shipper.headers, "?status=open")} == {"route_deviation"}
    # The same condition seen again after resolution raises a new alert.
    at(clock, ISSUE + 5 * H)
    captured(client, c.road.actor, document(reading(number, ISSUE + 4 * H, box, -12.0)))
    temperature = [a for a in feed(client, c.shipper.headers) if a["kind"] == "temperature"]
    assert [(a["status"], a["facts"]["outside_c"]) for a in temperature] == [("open", 3.0), ("resolved", 5.0)]


def test_the_stream_sends_the_alerts_after_the_given_id(
    client: TestClient, corridor: Corridor, clock: Clock
) -> None:
    c = corridor
    add_rules(client, c.shipper)
    number, box = shipment(client, c, clock)
    road_leg(client, c, clock, number, box)
    ids = sorted(a["id"] for a in feed(client, c.shipper.headers))
    response = client.get(f"/api/v1/tower/alerts/stream?after={ids[0]}&seconds=0", headers=c.shipper.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    frames = [f for f in response.text.split("\n\n") if f.startswith("id: ")]
    assert [int(f.split("\n")[0][4:]) for f in frames] == ids[1:]
    assert all("\nevent: alert\ndata: {" in f for f in frames)
    resumed = client.get(
        "/api/v1/tower/alerts/stream?seconds=0", headers={**c.shipper.headers, "Last-Event-ID": "0"}
    )
    assert resumed.text.count("event: alert") == len(ids)
    for member in (c.outsider, c.road):
        other = client.get("/api/v1/tower/alerts/stream?after=0&seconds=0", headers=member.headers)
        assert other.status_code == 200 and "event: alert" not in other.text
