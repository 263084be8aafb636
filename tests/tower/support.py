"""A hand-made shipment for the control-tower tests: one waybill on three legs (road, rail, road) of
the Qinzhou corridor, each carrier's EPCIS events at set times, a truck's GPS points (two loaded,
two after unloading), the legs' agreed terms and two ETA predictions kept before arrival.

Times are hours after :data:`T0`; the expected KPIs are worked out by hand in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.identity import service as identity_service
from logispace.domains.tower import eta_service, kpi_service
from logispace.domains.tower.kpis.terms import TermsBody, record_terms
from tests.conftest import World
from tests.logistics.support import captured, document
from tests.logistics.waybill_support import Corridor, Member, create, done

T0 = datetime(2026, 11, 2, tzinfo=UTC)
TRUCK = "urn:logispace:vehicle:%E6%A1%82A12345"
TRAIN = "urn:logispace:train:X8001"
VAN = "urn:logispace:vehicle:%E6%B8%9DB54321"
PLACES = {"450702": "urn:logispace:division:450702", "CNQZH": "urn:logispace:unlocode:CNQZH",
          "CNCKG": "urn:logispace:unlocode:CNCKG", "500112": "urn:logispace:division:500112"}  # fmt: skip
LEGS = (  # carrier attribute, means, origin, destination, loading, departing, arriving, unloading
    ("road", TRUCK, "450702", "CNQZH", 0.5, 1.0, 3.0, 3.5),
    ("rail", TRAIN, "CNQZH", "CNCKG", 5.0, 6.0, 30.0, 31.0),
    ("last_mile", VAN, "CNCKG", "500112", 32.0, 33.0, 34.0, 34.5),
)
TERMS = (  # distance km, transport, storage, handling, management (元)
    (100.0, 500.0, 0.0, 100.0, 20.0),
    (1000.0, 3000.0, 200.0, 300.0, 100.0),
    (40.0, 300.0, 50.0, 100.0, 10.0),
)
PROMISED_H = 36.0


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def _event(kind: str, hours: float, place: str, number: str, **body: Any) -> dict[str, Any]:
    return {
        "type": kind, "eventTime": at(hours).isoformat(), "eventTimeZoneOffset": "+08:00", **body,
        "readPoint": {"id": PLACES[place]}, "bizLocation": {"id": PLACES[place]},
        "bizTransactionList": [{"type": "bol", "bizTransaction": "urn:logispace:waybill:" + number}],
    }  # fmt: skip


def leg_events(number: str, box: str, means: str, origin: str, destination: str, times: tuple[float, ...]
               ) -> list[dict[str, Any]]:  # fmt: skip
    loading, departing, arriving, unloading = times
    return [
        _event("AggregationEvent", loading, origin, number, parentID=means, childEPCs=[box], action="ADD",
               bizStep="loading", disposition="in_transit"),
        _event("ObjectEvent", departing, origin, number, epcList=[box], action="OBSERVE", bizStep="departing",
               disposition="in_transit"),
        _event("ObjectEvent", arriving, destination, number, epcList=[box], action="OBSERVE",
               bizStep="arriving", disposition="in_progress"),
        _event("AggregationEvent", unloading, destination, number, parentID=means, childEPCs=[box],
               action="DELETE", bizStep="unloading", disposition="in_progress"),
    ]  # fmt: skip


def gps(hours: float, lon: float) -> dict[str, Any]:
    """A truck position on the equator (0.1 degree of longitude = 11.119493 km)."""
    return {"type": "ObjectEvent", "eventTime": at(hours).isoformat(), "eventTimeZoneOffset": "+08:00",
            "epcList": [TRUCK], "action": "OBSERVE", "bizStep": "transporting", "disposition": "in_transit",
            "readPoint": {"id": f"geo:0.00000,{lon:.5f}"}}  # fmt: skip


@dataclass
class Shipment:
    corridor: Corridor
    number: str


def principal(db: Session, member: Member) -> Any:
    user = identity_service.user_by_username(db, member.actor.username)
    assert user is not None
    return identity_service.principal_of_user(db, user)


@pytest.fixture
def shipment(
    client: TestClient, corridor: Corridor, world: World, db: Session, settings: Settings
) -> Shipment:
    number = record_shipment(client, corridor, db)
    kpi_service.refresh(db, settings, at(40.0))
    return Shipment(corridor, number)


def record_shipment(client: TestClient, corridor: Corridor, db: Session) -> str:
    """The waybill, its carriers' events, its terms and an ETA prediction at 10 h (no refresh)."""
    body = corridor.body()
    number = create(client, corridor.shipper, body)["number"]
    box = "urn:logispace:container:" + body["containers"][0]
    done(client, corridor.shipper, number, "issue")
    for carrier, means, origin, destination, *times in LEGS:
        events = leg_events(number, box, means, origin, destination, tuple(times))
        if carrier == "road":  # two points loaded, a gap, two driven empty after unloading
            events += [gps(1.0, 108.0), gps(1 + 5 / 60, 108.1), gps(3 + 40 / 60, 108.2), gps(3.75, 108.3)]
        captured(client, getattr(corridor, carrier).actor, document(*events))
    shipper = principal(db, corridor.shipper)
    for n, (km, *costs) in enumerate(TERMS, start=1):
        transport, storage, handling, management = costs
        body = TermsBody(sequence=n, distance_km=km, cost_transport=transport, cost_storage=storage,
                         cost_handling=handling, cost_management=management,
                         promised_at=at(PROMISED_H) if n == 3 else None)  # fmt: skip
        record_terms(db, shipper, number, body)
    stored = kpi_service.stored_shipments(db)
    eta_service.predict_at(db, stored, [at(10.0)])
    return str(number)
