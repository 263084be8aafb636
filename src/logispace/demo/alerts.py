"""Alerts of the demo's corridor week (演示异常预警): each party's rules, the promised arrivals of the
waybills, two incidents captured as events, and a sweep, so that the alert feed opens with alerts of
several kinds after ``make demo``.

The rules go in before the traffic is captured, so they are evaluated as its events arrive, exactly as
live data would be: containers dwelling at 钦州港 for more than a day between legs raise dwell alerts,
waybills under way past their promised arrival delay alerts (at the sweep). The incidents are a
reefer's temperature above its cold-chain range and a truck reporting far off its route, each captured
by the carrier of the leg under way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.demo.traffic import Shipment, Traffic
from logispace.domains import logistics, tower
from logispace.domains.identity import Principal
from logispace.domains.logistics.epcis import service as capture_service
from logispace.domains.logistics.intake.adapters import CONTAINER_URN, epcis_document

CARRIER_RULES = (
    ("集装箱滞留超过一天", "dwell", 24.0),
    ("在途车辆定位中断", "gps_silence", 30.0),
    ("偏离计划路线", "route_deviation", 30.0),
    ("交接单证未核验", "handover_unverified", 6.0),
)
SHIPPER_RULES = (("冷链温度异常", "temperature", 0.0), ("运输延误", "delay", 2.0))
RULES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "carrier": CARRIER_RULES,
    "shipping": (("集装箱港口滞留", "dwell", 36.0),),
}
"""The rules of each demo party key; every shipper gets :data:`SHIPPER_RULES`."""


def add_rules(session: Session, principals: Mapping[str, Principal]) -> int:
    """The demo parties' rules (before the traffic is captured); how many were added."""
    added = 0
    for key, principal in principals.items():
        chosen = SHIPPER_RULES if key.startswith("shipper") else RULES.get(key, ())
        for name, kind, threshold in chosen:
            body = tower.RuleCreate.model_validate({"name": name, "kind": kind, "threshold": threshold})
            tower.create_rule(session, principal, body)
            added += 1
    return added


def promise_arrivals(session: Session, traffic: Traffic) -> None:
    """Each waybill's promised arrival: the planned arrival of its last leg (计划到达)."""
    ids = logistics.waybill_ids_by_number(session, [s.number for s in traffic.shipments])
    for shipment in traffic.shipments:
        for waybill_id in ids.get(shipment.number, []):
            tower.promise(session, waybill_id, shipment.legs[-1].due, None)


def _under_way(shipment: Shipment, end: datetime, mode: str | None = None) -> int | None:
    """The index of the leg under way at ``end`` (of ``mode`` if given), or None."""
    for n, leg in enumerate(shipment.legs):
        if leg.depart < end - timedelta(hours=1) and leg.arrive > end and (mode is None or leg.mode == mode):
            return n
    return None


def _event(moment: datetime, epcs: list[str], number: str, **body: Any) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": moment.isoformat(),
        "eventTimeZoneOffset": "+08:00",
        "epcList": epcs,
        "action": "OBSERVE",
        "bizStep": "transporting",
        "disposition": "in_transit",
        "bizTransactionList": [{"type": "bol", "bizTransaction": "urn:logispace:waybill:" + number}],
        **body,
    }


def incidents(traffic: Traffic, end: datetime) -> dict[str, list[dict[str, Any]]]:
    """A reefer too warm and a truck off its route, by the capturing party's key."""
    out: dict[str, list[dict[str, Any]]] = {}
    reefer = next((s for s in traffic.shipments if s.temperature and _under_way(s, end) is not None), None)
    if reefer is not None and reefer.temperature is not None:
        leg = reefer.legs[_under_way(reefer, end) or 0]
        boxes = [CONTAINER_URN + quote(number, safe="") for number, _ in reefer.containers]
        report = {"type": "gs1:Temperature", "value": reefer.temperature[1] + 4.5, "uom": "CEL"}
        event = _event(
            end - timedelta(minutes=20), boxes, reefer.number, sensorElementList=[{"sensorReport": [report]}]
        )
        out.setdefault(leg.carrier, []).append(event)
    truck = next(
        (s for s in traffic.shipments if s is not reefer and _under_way(s, end, "road") is not None), None
    )
    if truck is not None:
        leg = truck.legs[_under_way(truck, end, "road") or 0]
        lat = (leg.origin.lat + leg.destination.lat) / 2 + 0.6
        lon = (leg.origin.lon + leg.destination.lon) / 2 + 0.6
        event = _event(
            end - timedelta(minutes=10),
            [leg.means[0]],
            truck.number,
            readPoint={"id": f"geo:{lat:.5f},{lon:.5f}"},
        )
        out.setdefault(leg.carrier, []).append(event)
    return out


def capture_incidents(
    session: Session, settings: Settings, traffic: Traffic, end: datetime, principals: Mapping[str, Principal]
) -> None:
    """Capture the incidents, then sweep for the time-based rules at ``end``."""
    for key, events in incidents(traffic, end).items():
        body = epcis_document(events, end.isoformat(), {})
        capture_service.capture(session, principals[key], json.dumps(body).encode(), settings)
    tower.sweep(session, end)
