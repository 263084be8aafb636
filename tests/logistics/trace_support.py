"""A small generated traffic (``traffic_demo``) captured by two parties, and the trace expected of
each container, worked out from the generated shipments rather than from the events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from logispace.demo.traffic import Traffic, generate
from logispace.domains.logistics.intake.adapters import CONTAINER_URN, epcis_document
from tests.conftest import Actor
from tests.logistics.support import captured

END = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
LOADING_BEFORE = timedelta(minutes=40)  # traffic_demo: loading 40 min before departure
UNLOADING_AFTER = timedelta(minutes=50)  # unloading 50 min after arrival
CHUNK = 150  # events per capture document: under the tests' 64 kB body limit


def small_traffic() -> Traffic:
    return generate(END, 8, seed=6, days=6)


def capture_traffic(client: TestClient, traffic: Traffic, carriers: Actor, port: Actor) -> None:
    """The carriers' events (road, rail, shipping) as one party, the port's as another."""
    for key, events in traffic.events.items():
        actor = port if key == "port" else carriers
        for start in range(0, len(events), CHUNK):
            captured(client, actor, epcis_document(events[start : start + CHUNK], "2026-06-10T04:00:00Z", {}))


@dataclass
class ExpectedLeg:
    means: str
    loaded_at: datetime
    unloaded_at: datetime | None
    origin: str
    destination: str


def container_urn(number: str) -> str:
    return CONTAINER_URN + quote(number, safe="")


def expected_legs(traffic: Traffic, number: str) -> list[ExpectedLeg]:
    """The legs of container ``number`` as generated, cut at the traffic's end."""
    legs = []
    for shipment in traffic.shipments:
        numbers = [n for n, _ in shipment.containers]
        if number not in numbers:
            continue
        for leg in shipment.legs:
            loaded = leg.depart - LOADING_BEFORE
            if loaded > END:
                continue
            means = leg.means[numbers.index(number)] if leg.mode == "road" else leg.means[0]
            unloaded = leg.arrive + UNLOADING_AFTER
            legs.append(
                ExpectedLeg(
                    means, loaded, unloaded if unloaded <= END else None, leg.origin.urn, leg.destination.urn
                )
            )
    return sorted(legs, key=lambda leg: leg.loaded_at)


def events_naming(traffic: Traffic, epc: str, parties: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    out = []
    for key, events in traffic.events.items():
        if parties is not None and key not in parties:
            continue
        for event in events:
            named = [*event.get("epcList", []), *event.get("childEPCs", []), event.get("parentID")]
            if epc in named:
                out.append(event)
    return out


def gps_between(traffic: Traffic, means: str, start: datetime, end: datetime | None) -> list[dict[str, Any]]:
    out = []
    for events in traffic.events.values():
        for event in events:
            moment = datetime.fromisoformat(event["eventTime"])
            if (
                event.get("epcList") == [means]
                and event["readPoint"]["id"].startswith("geo:")
                and start <= moment
                and (end is None or moment <= end)
            ):
                out.append(event)
    return sorted(out, key=lambda e: e["eventTime"])
