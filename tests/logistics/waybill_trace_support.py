"""A two-leg waybill (road 钦州 -> 钦州港, rail 钦州港 -> 团结村) issued, carried and closed at fixed
times, and the two carriers' events about its container before, during and after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from logispace.domains.logistics.intake.adapters import CONTAINER_URN
from tests.factories.logistics import container_number, waybill_body
from tests.logistics.support import captured, document
from tests.logistics.waybill_support import Corridor, create, done

if TYPE_CHECKING:
    from tests.logistics.conftest import Clock

JSON = dict[str, Any]
ISSUE = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
PICK_UP = ISSUE + timedelta(hours=2)
HAND_OVER = ISSUE + timedelta(hours=10)
DELIVER = ISSUE + timedelta(hours=30)
ACCEPT = ISSUE + timedelta(hours=32)
LATER = ISSUE + timedelta(days=3)
TRUCK = "urn:logispace:vehicle:%E6%A1%82N12345"
TRAIN = "urn:logispace:train:X9501"


def _event(name: str, moment: datetime, container: str, **fields: Any) -> JSON:
    event: JSON = {
        "type": "ObjectEvent",
        "eventTime": moment.isoformat().replace("+00:00", "Z"),
        "eventTimeZoneOffset": "+00:00",
        "epcList": [CONTAINER_URN + container],
        "action": "OBSERVE",
        "ex:name": name,
    }
    event.update(fields)
    return event


def _aggregation(name: str, moment: datetime, container: str, action: str, parent: str, step: str) -> JSON:
    return {
        "type": "AggregationEvent",
        "eventTime": moment.isoformat().replace("+00:00", "Z"),
        "eventTimeZoneOffset": "+00:00",
        "parentID": parent,
        "childEPCs": [CONTAINER_URN + container],
        "action": action,
        "bizStep": step,
        "ex:name": name,
    }


def carry(client: TestClient, c: Corridor, clock: Clock, container: str) -> str:
    """A two-leg waybill (road 钦州 -> 钦州港, rail 钦州港 -> 团结村) issued, carried and closed."""
    body = waybill_body(
        consignor=c.shipper.uscc,
        consignee=c.consignee.uscc,
        carriers=[c.road.uscc, c.rail.uscc],
        containers=[container],
    )
    clock.now = ISSUE - timedelta(hours=1)
    number: str = create(client, c.shipper, body)["number"]
    for moment, member, action in [
        (ISSUE, c.shipper, "issue"),
        (PICK_UP, c.road, "pick_up"),
        (HAND_OVER, c.rail, "hand_over"),
        (DELIVER, c.rail, "deliver"),
        (ACCEPT, c.consignee, "accept"),
    ]:
        clock.now = moment
        done(client, member, number, action)
    return number


def capture_events(client: TestClient, c: Corridor, clock: Clock, container: str) -> None:
    """The road carrier's and the railway's events about the container, before, during and after."""
    clock.now = LATER
    h = timedelta(hours=1)
    captured(
        client,
        c.road.actor,
        document(
            _event("road-before", ISSUE - 5 * h, container, bizStep="inspecting"),
            _aggregation("road-load", PICK_UP + h, container, "ADD", TRUCK, "loading"),
            _event("road-gps", PICK_UP + 2 * h, container, readPoint={"id": "geo:21.95,108.62"}),
            _aggregation("road-unload", HAND_OVER - h, container, "DELETE", TRUCK, "unloading"),
            _event("road-after", LATER - h, container, bizStep="inspecting"),
        ),
    )
    captured(
        client,
        c.rail.actor,
        document(
            _event("rail-before", ISSUE - 3 * h, container, bizStep="inspecting"),
            _event("rail-waiting", ISSUE + h, container, bizStep="storing"),
            _aggregation("rail-load", HAND_OVER + h, container, "ADD", TRAIN, "loading"),
            _aggregation("rail-unload", DELIVER - h, container, "DELETE", TRAIN, "unloading"),
            _event("rail-arrived", DELIVER + h, container, bizStep="arriving"),
            _event("rail-after", ACCEPT + 5 * h, container, bizStep="inspecting"),
        ),
    )


@pytest.fixture
def journey(client: TestClient, corridor: Corridor, clock: Clock) -> tuple[str, str]:
    container = container_number()
    number = carry(client, corridor, clock, container)
    capture_events(client, corridor, clock, container)
    return number, container
