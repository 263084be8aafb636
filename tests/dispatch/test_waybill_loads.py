"""Loads from waybill drafts (运单草稿生成货源): the shipper's draft gives the pickup and drop of its
road legs, weight, volume, vehicle type and dangerous goods; only the consignor or the drafter, only a
draft, once; whoever is not on the waybill gets 404."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from logispace.core.places import coordinates
from logispace.domains.dispatch.drafts import road_stretch
from tests.identity.support import assert_problem
from tests.logistics.waybill_support import Corridor, corridor, create, done

__all__ = ["corridor"]

URL = "/api/v1/dispatch/loads/from-waybill"
WINDOW = {"earliest_pickup": "2030-01-02T08:00:00+08:00", "latest_pickup": "2030-01-02T12:00:00+08:00"}


@pytest.mark.parametrize(
    ("legs", "stretch"),
    [
        ([("road", "A", "B"), ("rail", "B", "C"), ("road", "C", "D")], ("A", "B")),
        ([("rail", "A", "B"), ("road", "B", "C"), ("road", "C", "D"), ("water", "D", "E")], ("B", "D")),
        ([("road", "A", "B"), ("road", "B", "C")], ("A", "C")),
        ([("rail", "A", "B"), ("water", "B", "C")], None),
    ],
)
def test_the_road_stretch_is_the_first_run_of_road_legs(
    legs: list[tuple[str, str, str]], stretch: tuple[str, str] | None
) -> None:
    assert road_stretch(legs) == stretch


def test_a_shipper_turns_its_draft_into_a_load(client: TestClient, corridor: Corridor) -> None:
    c = corridor
    cargo = [
        {"description": "冷冻榴莲", "packages": 100, "gross_weight_kg": 21500.5, "volume_m3": 40.0},
        {
            "description": "锂电池",
            "packages": 4,
            "gross_weight_kg": 800,
            "volume_m3": 2.5,
            "dangerous_goods_class": "9",
            "un_number": "UN3480",
        },
    ]
    number = create(client, c.shipper, c.body(cargo=cargo))["number"]
    made = client.post(URL, json={"waybill_no": number, **WINDOW}, headers=c.shipper.headers)
    assert made.status_code == 201, made.text
    x = made.json()
    lat, lon = coordinates("450702") or (0, 0)
    assert (x["pickup_lon"], x["pickup_lat"], x["pickup_place"]) == (lon, lat, "450702")
    lat, lon = coordinates("CNQZH") or (0, 0)
    assert (x["drop_lon"], x["drop_lat"], x["drop_place"]) == (lon, lat, None)
    assert (x["weight_t"], x["volume_m3"]) == (pytest.approx(22.3005, abs=1e-3), 42.5)
    assert (x["vehicle_type"], x["required_qualification"]) == ("container_chassis", "DG")
    assert (x["reference"], x["waybill_no"], x["source"], x["posted"]) == (
        number,
        number,
        "waybill_draft",
        False,
    )
    assert datetime.fromisoformat(x["earliest_pickup"]) == datetime(2030, 1, 2, 0, 0, tzinfo=UTC)
    # once per draft; a party on the waybill that did not ship it may not; an outsider sees nothing
    again = client.post(URL, json={"waybill_no": number, "reference": "OTHER-1"}, headers=c.shipper.headers)
    assert assert_problem(again, 409, "dispatch-conflict")["reason"] == "waybill_used"
    assert_problem(client.post(URL, json={"waybill_no": number}, headers=c.road.headers), 403)
    assert_problem(client.post(URL, json={"waybill_no": number}, headers=c.outsider.headers), 404)
    # the carrier does not see the shipper's private load
    seen = client.get("/api/v1/dispatch/loads", headers=c.road.headers).json()
    assert seen == []


def _body(c: Corridor, **changes: Any) -> dict[str, Any]:
    return c.body(**changes)


def test_what_cannot_become_a_load_is_refused_naming_why(client: TestClient, corridor: Corridor) -> None:
    c = corridor
    rail_only = [{"mode": "rail", "carrier_uscc": c.rail.uscc, "origin": "CNQZH", "destination": "CNCKG"}]
    unknown = [{"mode": "road", "carrier_uscc": c.road.uscc, "origin": "450300", "destination": "450100"}]
    heavy = [{"description": "钢卷", "packages": 3, "gross_weight_kg": 250000.0}]
    cases: list[tuple[dict[str, Any], dict[str, Any], int, str]] = [
        (_body(c, legs=rail_only), {}, 409, "no_road_leg"),
        (_body(c, legs=unknown), {}, 422, "pickup_place"),
        (_body(c, cargo=heavy), {}, 422, "weight_t"),
        (
            _body(c),
            {"earliest_pickup": WINDOW["latest_pickup"], "latest_pickup": WINDOW["earliest_pickup"]},
            422,
            "latest_pickup",
        ),
    ]
    for body, extra, status, why in cases:
        number = create(client, c.shipper, body)["number"]
        refused = client.post(URL, json={"waybill_no": number, **extra}, headers=c.shipper.headers)
        problem = assert_problem(refused, status)
        assert why in str(problem), problem
    issued = create(client, c.shipper, c.body())["number"]
    done(client, c.shipper, issued, "issue")
    refused = client.post(URL, json={"waybill_no": issued}, headers=c.shipper.headers)
    assert assert_problem(refused, 409)["reason"] == "not_draft"
    assert client.get("/api/v1/dispatch/loads", headers=c.shipper.headers).json() == []
