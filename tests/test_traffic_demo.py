"""The demo's generated week of corridor traffic: valid identifiers, containers never on two
waybills at once, nothing after the end, EPCIS documents the capture API takes."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from sqlalchemy.orm import Session

from logispace.core.clock import set_clock
from logispace.core.config import Settings
from logispace.core.identifiers import uscc_with_check_character
from logispace.core.transport_ids import check_container, check_handover_point, check_plate
from logispace.demo.traffic import CORRIDORS, Traffic, generate, imo_number
from logispace.demo.waybills import draft
from logispace.domains.identity import Principal, Role
from logispace.domains.identity import service as identity_service
from logispace.domains.logistics.epcis import service as logistics_service
from logispace.domains.logistics.epcis.document import validate_schema
from logispace.domains.logistics.intake.adapters import VEHICLE_URN, epcis_document
from tests.factories.identity import make_party, make_user

END = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
CARRIER = uscc_with_check_character("91500000MA0000005")
RAIL = uscc_with_check_character("91450000MA0000007")
SHIPPING = uscc_with_check_character("91450700MA0000011")


@pytest.fixture(scope="module")
def week() -> Traffic:
    return generate(END, 120, seed=7)


def test_the_same_seed_gives_the_same_week(week: Traffic) -> None:
    again = generate(END, 120, seed=7)
    assert [s.number for s in again.shipments] == [s.number for s in week.shipments]
    assert again.event_count == week.event_count
    assert generate(END, 120, seed=8).event_count != week.event_count


def test_every_shipment_is_a_valid_waybill_draft(week: Traffic) -> None:
    carriers = {"carrier": CARRIER, "rail": RAIL, "shipping": SHIPPING}
    for shipment in week.shipments:
        made = draft(shipment, carriers)
        assert made.waybill_no == shipment.number
        assert [leg.carrier_uscc for leg in made.legs] == [carriers[leg.carrier] for leg in shipment.legs]
        assert list(made.containers) == [number for number, _ in shipment.containers]
        for leg in shipment.legs:
            assert leg.depart < leg.due and leg.loading < leg.depart < leg.arrive < leg.unloading


def test_identifiers_are_valid(week: Traffic) -> None:
    for corridor in CORRIDORS:
        for _, _, origin, destination in corridor.legs:
            check_handover_point(origin.code)
            check_handover_point(destination.code)
    plates = set()
    for shipment in week.shipments:
        for number, _ in shipment.containers:
            assert check_container(number) == number
        for leg in shipment.legs:
            if leg.mode == "road":
                plates.update(unquote(m.removeprefix(VEHICLE_URN)) for m in leg.means)
    for plate in plates:
        check_plate(plate)
    assert any(len(p) == 8 for p in plates), "new-energy plates are in the fleet"
    assert imo_number(9_074_729 // 10) == "9074729"  # the published IMO check digit example


def test_a_container_is_never_on_two_waybills_at_once_and_is_reused(week: Traffic) -> None:
    spans = defaultdict(list)
    for s in week.shipments:
        for number, _ in s.containers:
            spans[number].append((s.issued_at, s.legs[-1].arrive))
    for intervals in spans.values():
        intervals.sort()
        for (_, busy_until), (next_start, _) in itertools.pairwise(intervals):
            assert next_start >= busy_until
    assert any(len(v) > 1 for v in spans.values())


def test_nothing_happens_after_the_end_and_legs_are_in_order(week: Traffic) -> None:
    for events in week.events.values():
        times = [datetime.fromisoformat(e["eventTime"]) for e in events]
        assert times == sorted(times) and max(times) <= END
        assert min(times) >= END - timedelta(days=7)
    for s in week.shipments:
        for before, after in zip(s.legs, s.legs[1:], strict=False):
            assert before.destination == after.origin and before.arrive < after.depart
    in_transit = [s for s in week.shipments if s.finished_legs(END) < len(s.legs)]
    assert 0 < len(in_transit) < len(week.shipments)


def test_the_events_are_valid_epcis_and_are_captured(db: Session, week: Traffic) -> None:
    party = make_party(db, name="演示承运人")
    user = make_user(db, party, Role.PARTY_ADMIN, Role.DATA_STEWARD)
    principal: Principal = identity_service.principal_of_user(db, user)
    set_clock(lambda: END)
    try:
        for name in week.events:
            chunk = next(week.chunks(name, 500))
            body = epcis_document(chunk, END.isoformat(), {})
            validate_schema(body)
            job = logistics_service.capture(db, principal, json.dumps(body).encode(), Settings())
            assert job.stored_count == len(chunk)
    finally:
        set_clock(None)
    assert logistics_service.event_count(db, principal) == sum(min(500, len(v)) for v in week.events.values())
