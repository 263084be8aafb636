"""Dispatch API (车货匹配接口): vehicles with GPS positions, loads, match runs with decisions, route
plans; every route authorized, and a party never sees another party's private records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import World
from tests.identity.support import assert_problem

API = "/api/v1/dispatch"
TODAY = datetime.now(UTC).date()
NEXT_YEAR = (TODAY + timedelta(days=365)).isoformat()


def vehicle(plate: str, lon: float, lat: float, **kw: Any) -> dict[str, Any]:
    body = {
        "plate": plate,
        "vehicle_type": "box",
        "capacity_t": 30,
        "qualifications": ["RTC"],
        "certificate_valid_until": NEXT_YEAR,
        "driver_qualified": True,
        "lon": lon,
        "lat": lat,
    }
    return {**body, **kw}


def load(ref: str, pickup: tuple[float, float], drop: tuple[float, float], **kw: Any) -> dict[str, Any]:
    body = {
        "reference": ref,
        "pickup_lon": pickup[0],
        "pickup_lat": pickup[1],
        "drop_lon": drop[0],
        "drop_lat": drop[1],
        "weight_t": 12,
        "pickup_place": "450100",
        "drop_place": "450700",
    }
    return {**body, **kw}


NANNING = (108.37, 22.82)
QINZHOU = (108.65, 21.98)


@pytest.fixture
def market(client: TestClient, world: World) -> dict[str, Any]:
    """Party A (a carrier) with two trucks, one whose road transport certificate expired yesterday;
    party B (a shipper) with an out-and-back pair of posted loads, a private load, a load too
    heavy for any truck and one too bulky (80 m3 against the first truck's 60 m3)."""
    a, b = world.a_admin.headers, world.b_admin.headers
    ids: dict[str, Any] = {}
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    for plate, where, extra in (
        ("桂A10001", NANNING, {"capacity_m3": 60.0}),
        ("桂A10002", (108.30, 22.70), {"certificate_valid_until": yesterday}),
    ):
        r = client.post(f"{API}/vehicles", json=vehicle(plate, *where, **extra), headers=a)
        assert r.status_code == 201, r.text
        ids[plate] = r.json()["id"]
    for ref, pickup, drop, extra in (
        ("OUT-1", NANNING, QINZHOU, {"volume_m3": 60.0}),
        ("BACK-1", QINZHOU, NANNING, {}),
        ("HEAVY-1", NANNING, QINZHOU, {"weight_t": 45}),
        ("BULKY-1", NANNING, QINZHOU, {"weight_t": 2, "volume_m3": 80.0}),
        ("PRIVATE-1", NANNING, QINZHOU, {"posted": False}),
    ):
        r = client.post(f"{API}/loads", json=load(ref, pickup, drop, **extra), headers=b)
        assert r.status_code == 201, r.text
        ids[ref] = r.json()["id"]
    return ids


def test_a_carrier_matches_accepts_and_plans(
    client: TestClient, world: World, market: dict[str, Any]
) -> None:
    a = world.a_admin.headers
    seen = {x["reference"] for x in client.get(f"{API}/loads", headers=a).json()}
    assert seen == {"OUT-1", "BACK-1", "HEAVY-1", "BULKY-1"}  # not B's private load
    trucks = {x["plate"]: x["capacity_m3"] for x in client.get(f"{API}/vehicles", headers=a).json()}
    assert trucks == {"桂A10001": 60.0, "桂A10002": None}
    run = client.post(f"{API}/match-runs", json={"mode": "chain"}, headers=a)
    assert run.status_code == 201, run.text
    body = run.json()
    chains = {(p["plate"], p["sequence"], p["load_reference"]) for p in body["proposals"]}
    # the truck standing at Nanning takes OUT-1, then the backhaul BACK-1 from Qinzhou; the other
    # truck's certificate expired, so it is not matched
    assert chains == {("桂A10001", 1, "OUT-1"), ("桂A10001", 2, "BACK-1")}
    assert sorted((u["reference"], u["reason"]) for u in body["unassigned"]) == [
        ("BULKY-1", "capacity"),
        ("HEAVY-1", "capacity"),
    ]
    report = body["report"]
    # before: two round trips from Nanning; after: one out-and-back with no empty leg
    assert report["after"]["empty_km"] == 0.0
    assert report["before"]["empty_running_rate"] == 0.5
    assert report["saved_km"] == report["before"]["empty_km"]
    assert report["saved_co2e_kg"] == pytest.approx(report["saved_km"] * 0.30 * 2.68, abs=0.2)

    first = next(p for p in body["proposals"] if p["load_reference"] == "OUT-1")
    url = f"{API}/match-runs/{body['id']}/proposals/{first['id']}"
    accepted = client.post(f"{url}/accept", headers=a)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted"
    assert_problem(client.post(f"{url}/reject", headers=a), 409, "dispatch-conflict")
    assert client.get(f"{API}/loads/{market['OUT-1']}", headers=a).json()["status"] == "matched"
    shipper_view = client.get(f"{API}/loads/{market['OUT-1']}", headers=world.b_admin.headers).json()
    assert (shipper_view["status"], shipper_view["own"]) == ("matched", True)

    plan = client.post(f"{API}/route-plans", json={"load_ids": [market["OUT-1"]], "seconds": 0.5}, headers=a)
    assert plan.status_code == 201, plan.text
    routes = plan.json()["routes"]
    assert [s["kind"] for s in routes[0]["stops"]] == ["start", "pickup", "delivery", "end"]
    assert routes[0]["plate"] == "桂A10001"
    assert plan.json()["feasible"] is True


def test_current_position_comes_from_the_latest_gps_point(
    client: TestClient, world: World, market: dict[str, Any]
) -> None:
    a = world.a_admin.headers
    csv = (
        "plate,time,longitude,latitude,speed\n"
        "桂A10002,2026-05-01T08:00:00+08:00,108.1,22.1,40\n"
        "桂A10002,2026-05-01T09:00:00+08:00,108.2,22.2,40\n"
    )
    r = client.post(
        "/api/v1/logistics/intake/gps", content=csv.encode(), headers={**a, "Content-Type": "text/csv"}
    )
    assert r.status_code == 201, r.text
    got = client.get(f"{API}/vehicles/{market['桂A10002']}", headers=a).json()
    assert (got["lon"], got["lat"], got["position_from_gps"]) == (108.2, 22.2, True)
    assert got["eligible"] is False  # its certificate expired yesterday
    other = client.get(f"{API}/vehicles/{market['桂A10001']}", headers=a).json()
    assert (other["lon"], other["lat"], other["position_from_gps"], other["eligible"]) == (
        *NANNING,
        False,
        True,
    )


def test_parties_see_only_their_own_records(client: TestClient, world: World, market: dict[str, Any]) -> None:
    a, b = world.a_admin.headers, world.b_admin.headers
    run = client.post(f"{API}/match-runs", json={"mode": "single"}, headers=a).json()
    proposal = run["proposals"][0]["id"]
    plan = client.post(
        f"{API}/route-plans", json={"load_ids": [market["OUT-1"]], "seconds": 0.2}, headers=a
    ).json()
    assert client.get(f"{API}/vehicles", headers=b).json() == []
    assert client.get(f"{API}/match-runs", headers=b).json() == []
    assert client.get(f"{API}/route-plans", headers=b).json() == []
    for path in (
        f"{API}/vehicles/{market['桂A10001']}",
        f"{API}/match-runs/{run['id']}",
        f"{API}/route-plans/{plan['id']}",
    ):
        assert_problem(client.get(path, headers=b), 404, "dispatch-not-found")
    assert_problem(client.post(f"{API}/match-runs/{run['id']}/proposals/{proposal}/accept", headers=b), 404)
    assert_problem(client.get(f"{API}/loads/{market['PRIVATE-1']}", headers=a), 404, "dispatch-not-found")
    assert_problem(
        client.post(f"{API}/route-plans", json={"load_ids": [market["PRIVATE-1"]]}, headers=a),
        404,
        "dispatch-not-found",
    )
    # the failed accept left the proposal as it was
    again = client.get(f"{API}/match-runs/{run['id']}", headers=a).json()
    assert {p["state"] for p in again["proposals"]} == {"proposed"}


def test_an_analyst_reads_but_does_not_dispatch(
    client: TestClient, world: World, market: dict[str, Any]
) -> None:
    h = world.a_analyst.headers
    assert len(client.get(f"{API}/vehicles", headers=h).json()) == 2
    assert_problem(
        client.post(f"{API}/vehicles", json=vehicle("桂A10003", *NANNING), headers=h),
        403,
        "dispatch-not-allowed",
    )
    assert_problem(client.post(f"{API}/match-runs", json={}, headers=h), 403, "dispatch-not-allowed")


ROUTES = [
    ("GET", "/vehicles"),
    ("POST", "/vehicles"),
    ("GET", "/vehicles/00000000-0000-4000-8000-000000000000"),
    ("GET", "/loads"),
    ("POST", "/loads"),
    ("GET", "/loads/00000000-0000-4000-8000-000000000000"),
    ("GET", "/match-runs"),
    ("POST", "/match-runs"),
    ("GET", "/match-runs/00000000-0000-4000-8000-000000000000"),
    (
        "POST",
        "/match-runs/00000000-0000-4000-8000-000000000000/proposals/00000000-0000-4000-8000-000000000000/accept",
    ),
    (
        "POST",
        "/match-runs/00000000-0000-4000-8000-000000000000/proposals/00000000-0000-4000-8000-000000000000/reject",
    ),
    ("GET", "/route-plans"),
    ("POST", "/route-plans"),
    ("GET", "/route-plans/00000000-0000-4000-8000-000000000000"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_needs_a_login(client: TestClient, method: str, path: str) -> None:
    body = {} if method == "POST" and not path.endswith(("accept", "reject")) else None
    assert_problem(client.request(method, API + path, json=body), 401)


BAD = [
    ("vehicles", vehicle("桂A10009", 200.0, 22.0), "lon"),
    ("vehicles", vehicle("桂A10009", 108.0, 22.0, capacity_t=-1), "capacity_t"),
    ("vehicles", vehicle("桂A10009", 108.0, 22.0, capacity_m3=-1), "capacity_m3"),
    ("vehicles", vehicle("桂A10009", 108.0, 22.0, capacity_m3="lots"), "capacity_m3"),
    ("loads", load("L-9", NANNING, QINZHOU, weight_t=-2), "weight_t"),
    ("loads", load("L-9", NANNING, QINZHOU, volume_m3=-0.1), "volume_m3"),
    ("loads", {k: v for k, v in load("L-9", NANNING, QINZHOU).items() if k != "pickup_lat"}, "pickup_lat"),
]


@pytest.mark.parametrize(("kind", "body", "field"), BAD)
def test_bad_input_is_a_problem_naming_the_field(
    client: TestClient, world: World, kind: str, body: dict[str, Any], field: str
) -> None:
    r = client.post(f"{API}/{kind}", json=body, headers=world.b_admin.headers)
    assert r.status_code == 422
    assert field in r.text


def test_a_window_that_closes_before_it_opens_is_refused(client: TestClient, world: World) -> None:
    body = load(
        "L-8",
        NANNING,
        QINZHOU,
        earliest_pickup="2026-05-01T10:00:00+08:00",
        latest_pickup="2026-05-01T09:00:00+08:00",
    )
    problem = assert_problem(
        client.post(f"{API}/loads", json=body, headers=world.b_admin.headers), 422, "dispatch-input-invalid"
    )
    assert "latest_pickup" in problem["detail"]
    assert client.get(f"{API}/loads", headers=world.b_admin.headers).json() == []
