"""A two-leg cold-chain waybill (road 钦州钦南区 450702 -> 钦州港 CNQZH, rail 钦州港 -> 重庆团结村 CNCKG) and
the hand-made events its carriers capture, for the alert tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from logispace.core.clock import set_clock
from tests.factories.logistics import container_number, waybill_body
from tests.logistics.support import captured, document
from tests.logistics.waybill_support import Corridor, Member, create, done

JSON = dict[str, Any]
ISSUE = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
H = timedelta(hours=1)
TRUCK = "urn:logispace:vehicle:%E6%A1%82N12345"
TRAIN = "urn:logispace:train:X9501"
CONTAINER_URN = "urn:logispace:container:"
WAYBILL_URN = "urn:logispace:waybill:"

RULES: list[JSON] = [
    {"name": "冷链温度", "kind": "temperature", "threshold": 0},
    {"name": "偏航", "kind": "route_deviation", "threshold": 20},
    {"name": "滞留", "kind": "dwell", "threshold": 6},
    {"name": "无定位", "kind": "gps_silence", "threshold": 30},
    {"name": "交接核验", "kind": "handover_unverified", "threshold": 2},
    {"name": "延误", "kind": "delay", "threshold": 1},
]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def at(clock: Clock, moment: datetime) -> None:
    clock.now = moment
    set_clock(clock)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def aggregation(
    number: str, moment: datetime, box: str, action: str, parent: str, step: str, place: str
) -> JSON:
    urn = ("urn:logispace:division:" if place.isdigit() else "urn:logispace:unlocode:") + place
    return {
        "type": "AggregationEvent",
        "eventTime": iso(moment),
        "eventTimeZoneOffset": "+00:00",
        "parentID": parent,
        "childEPCs": [CONTAINER_URN + box],
        "action": action,
        "bizStep": step,
        "readPoint": {"id": urn},
        "bizLocation": {"id": urn},
        "bizTransactionList": [{"type": "bol", "bizTransaction": WAYBILL_URN + number}],
    }


def gps(moment: datetime, lat: float, lon: float, name: str) -> JSON:
    return {
        "type": "ObjectEvent",
        "eventTime": iso(moment),
        "eventTimeZoneOffset": "+00:00",
        "epcList": [TRUCK],
        "action": "OBSERVE",
        "bizStep": "transporting",
        "readPoint": {"id": f"geo:{lat},{lon}"},
        "ex:name": name,
    }


def reading(number: str, moment: datetime, box: str, celsius: float) -> JSON:
    return {
        "type": "ObjectEvent",
        "eventTime": iso(moment),
        "eventTimeZoneOffset": "+00:00",
        "epcList": [CONTAINER_URN + box],
        "action": "OBSERVE",
        "bizStep": "transporting",
        "sensorElementList": [
            {"sensorReport": [{"type": "gs1:Temperature", "value": celsius, "uom": "CEL"}]}
        ],
        "bizTransactionList": [{"type": "bol", "bizTransaction": WAYBILL_URN + number}],
    }


def add_rules(client: TestClient, member: Member, rules: list[JSON] = RULES) -> dict[str, str]:
    """The rules added for ``member``'s party, their ids by kind."""
    ids = {}
    for rule in rules:
        response = client.post("/api/v1/tower/rules", json=rule, headers=member.headers)
        assert response.status_code == 201, response.text
        ids[rule["kind"]] = response.json()["id"]
    return ids


def shipment(client: TestClient, c: Corridor, clock: Clock) -> tuple[str, str]:
    """A two-leg waybill with one container, issued and picked up at ISSUE (number, container)."""
    box = container_number()
    body = waybill_body(
        consignor=c.shipper.uscc,
        consignee=c.consignee.uscc,
        carriers=[c.road.uscc, c.rail.uscc],
        containers=[box],
    )
    at(clock, ISSUE - H)
    number: str = create(client, c.shipper, body)["number"]
    at(clock, ISSUE)
    done(client, c.shipper, number, "issue")
    done(client, c.road, number, "pick_up")
    return number, box


def road_leg(client: TestClient, c: Corridor, clock: Clock, number: str, box: str) -> None:
    """The truck loads at 450702 (ISSUE+1h), reports on the route, 100 km off it, a reading of -10 °C
    (the range is -20..-15), and unloads at 钦州港 (ISSUE+3h)."""
    at(clock, ISSUE + 4 * H)
    captured(
        client,
        c.road.actor,
        document(
            aggregation(number, ISSUE + H, box, "ADD", TRUCK, "loading", "450702"),
            gps(ISSUE + H + timedelta(minutes=30), 21.85, 108.615, "on-route"),
            gps(ISSUE + 2 * H, 22.60, 109.40, "off-route"),
            reading(number, ISSUE + 2 * H, box, -10.0),
            aggregation(number, ISSUE + 3 * H, box, "DELETE", TRUCK, "unloading", "CNQZH"),
        ),
    )


def rail_loading(client: TestClient, c: Corridor, clock: Clock, number: str, box: str, hours: int) -> None:
    """The railway loads the box at 钦州港 ``hours`` after ISSUE (no signed handover yet)."""
    at(clock, ISSUE + (hours + 1) * H)
    captured(
        client,
        c.rail.actor,
        document(aggregation(number, ISSUE + hours * H, box, "ADD", TRAIN, "loading", "CNQZH")),
    )
