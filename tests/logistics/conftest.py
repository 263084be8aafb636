"""Fixtures of the EPCIS tests: a fixed clock and a small hand-made table of captured events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from logispace.core.clock import set_clock
from tests.conftest import World
from tests.logistics.support import JSON, captured, document, object_event
from tests.logistics.waybill_support import corridor  # noqa: F401  (the parties of the waybill tests)
from tests.logistics.waybill_trace_support import journey  # noqa: F401  (a carried two-leg waybill)

T1 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
T2 = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)
PARENT = "urn:epc:id:sscc:0614141.1234567890"
READ_POINT = "urn:epc:id:sgln:0614141.00001.0"
LOCATION = "urn:epc:id:sgln:0614141.00002.0"
CUSTOM_STEP = "https://ns.example.com/step/cooling"


def sgtin(n: int) -> str:
    return f"urn:epc:id:sgtin:0614141.107346.{n}"


class Clock:
    def __init__(self) -> None:
        self.now = T1

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    fixed = Clock()
    set_clock(fixed)
    yield fixed
    set_clock(None)


def table_events() -> tuple[list[JSON], list[JSON]]:
    """Two captures: e1, e2 at T1; e3, e4, e5 at T2. ``ex:name`` names each event."""
    e1 = object_event(
        1,
        disposition="in_transit",
        readPoint={"id": READ_POINT},
        bizLocation={"id": LOCATION},
        **{"ex:name": "e1"},
    )
    e2 = object_event(2, action="ADD", bizStep="receiving", disposition="in_progress", **{"ex:name": "e2"})
    e3 = {
        "type": "AggregationEvent",
        "eventTime": "2026-02-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "parentID": PARENT,
        "childEPCs": [sgtin(3)],
        "action": "ADD",
        "bizStep": "packing",
        "ex:name": "e3",
    }
    e4 = {
        "type": "TransformationEvent",
        "eventTime": "2026-03-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "inputEPCList": [sgtin(4)],
        "outputEPCList": [sgtin(5)],
        "bizStep": CUSTOM_STEP,
        "ex:name": "e4",
    }
    e5 = {
        "type": "TransactionEvent",
        "eventTime": "2026-04-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:0614141073467:1"}],
        "parentID": "urn:epc:id:sscc:0614141.1234567891",
        "epcList": [sgtin(6)],
        "action": "DELETE",
        "bizStep": "shipping",
        "ex:name": "e5",
    }
    return [e1, e2], [e3, e4, e5]


@pytest.fixture
def table(client: TestClient, world: World, clock: Clock) -> World:
    first, second = table_events()
    captured(client, world.a_admin, document(*first))
    clock.now = T2
    captured(client, world.a_admin, document(*second))
    return world
