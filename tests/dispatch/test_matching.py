"""Capacity matching (车货匹配): who may take what, most loads first, then fewest empty km; chaining."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from logispace.domains.dispatch.matching import (
    EARTH_RADIUS_KM,
    InputError,
    Load,
    MatchSpec,
    Vehicle,
    chain,
    haversine_km,
    match,
)
from logispace.domains.dispatch.matching.csv_files import read_loads, read_vehicles
from logispace.domains.dispatch.matching.solver import _can_serve_more, _capacity_floor

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
ONE_DEGREE_KM = 2 * np.pi * EARTH_RADIUS_KM / 360  # 111.1951 km along a meridian or the equator


def km(degrees: float) -> float:
    return round(degrees * ONE_DEGREE_KM, 3)


def test_haversine_on_the_equator_and_a_meridian() -> None:
    got = haversine_km(
        np.array([0.0, 108.0]), np.array([0.0, 22.0]), np.array([1.0, 108.0]), np.array([0.0, 23.0])
    )
    assert np.round(got, 4).tolist() == [111.1951, 111.1951]


def veh(vid: str, lon: float = 108.0, lat: float = 22.0, cap: float = 30, **kw: object) -> Vehicle:
    return Vehicle(vid, lon, lat, cap, **kw)  # type: ignore[arg-type]


def ld(lid: str, lon: float = 108.0, lat: float = 22.0, weight: float = 10, **kw: object) -> Load:
    return Load(lid, lon, lat, 108.5, 22.5, weight, **kw)  # type: ignore[arg-type]


# (case, vehicles, load, expected vehicle or None, expected reason)
SINGLE = [
    ("fits", [veh("A")], ld("x"), "A", None),
    ("too heavy", [veh("A", cap=5)], ld("x", weight=6), None, "capacity"),
    ("exactly full", [veh("A", cap=6)], ld("x", weight=6), "A", None),
    ("wrong type", [veh("A", vehicle_type="box")], ld("x", vehicle_type="reefer"), None, "vehicle_type"),
    ("untyped vehicle for a typed load", [veh("A")], ld("x", vehicle_type="tank"), None, "vehicle_type"),
    ("any type", [veh("A", vehicle_type="flatbed")], ld("x"), "A", None),
    (
        "dangerous goods unqualified",
        [veh("A", qualifications=frozenset({"RTC"}))],
        ld("x", required_qualification="DG"),
        None,
        "qualification",
    ),
    (
        "dangerous goods qualified",
        [veh("A", qualifications=frozenset({"RTC", "DG"}))],
        ld("x", required_qualification="DG"),
        "A",
        None,
    ),
    # 1 degree = 111.2 km = 1.85 h at 60 km/h: free at 08:00, the window closes at 09:30 -> late
    (
        "too far for the window",
        [veh("A", lat=21.0, available_from=T0)],
        ld("x", latest_pickup=T0 + timedelta(minutes=90)),
        None,
        "time_window",
    ),
    (
        "near enough for the window",
        [veh("A", lat=21.0, available_from=T0)],
        ld("x", latest_pickup=T0 + timedelta(minutes=112)),
        "A",
        None,
    ),
    (
        "free after the window",
        [veh("A", available_from=T0 + timedelta(hours=3))],
        ld("x", latest_pickup=T0 + timedelta(hours=2)),
        None,
        "time_window",
    ),
    (
        "waits for the window",
        [veh("A", available_from=T0)],
        ld("x", earliest_pickup=T0 + timedelta(hours=5)),
        "A",
        None,
    ),
    ("volume fits", [veh("A", capacity_m3=40.0)], ld("x", volume_m3=40.0), "A", None),
    ("too bulky", [veh("A", capacity_m3=40.0)], ld("x", volume_m3=40.5), None, "capacity"),
    ("vehicle gives no volume: no limit", [veh("A")], ld("x", volume_m3=400.0), "A", None),
    ("load gives no volume: asks none", [veh("A", capacity_m3=0.0)], ld("x"), "A", None),
    (
        "light but bulky: the roomier vehicle",
        [veh("A", cap=40, capacity_m3=30.0), veh("B", lat=22.5, cap=12, capacity_m3=90.0)],
        ld("x", weight=3, volume_m3=60.0),
        "B",
        None,
    ),
    (
        "checks in order: capacity before type",
        [veh("A", cap=1, vehicle_type="box")],
        ld("x", weight=2, vehicle_type="tank"),
        None,
        "capacity",
    ),
    (
        "two checks each failed by a different vehicle",
        [veh("A", cap=1, vehicle_type="tank"), veh("B", cap=9, vehicle_type="box")],
        ld("x", weight=2, vehicle_type="tank"),
        None,
        "vehicle_type",
    ),
]


@pytest.mark.parametrize(
    ("case", "vehicles", "load", "vehicle", "reason"), SINGLE, ids=[c[0] for c in SINGLE]
)
def test_one_load_who_may_take_it(
    case: str, vehicles: list[Vehicle], load: Load, vehicle: str | None, reason: str | None
) -> None:
    result = match(vehicles, [load])
    assert [a.vehicle_id for a in result.assignments] == ([vehicle] if vehicle else [])
    assert [u.reason for u in result.unassigned] == ([reason] if reason else [])


def test_most_loads_first_then_fewest_km() -> None:
    # A is next to both loads; B (10 t) can only take the light one, 0.5 degree away. Fewest km alone
    # would send A to the light load and leave the heavy one; serving both sends A to the heavy one.
    vehicles = [veh("A", lat=22.0), veh("B", lat=22.5, cap=10)]
    loads = [ld("light", lat=22.0, weight=5), ld("heavy", lat=22.0, weight=20)]
    result = match(vehicles, loads)
    assert {(a.vehicle_id, a.load_id) for a in result.assignments} == {("A", "heavy"), ("B", "light")}
    assert result.total_deadhead_km == km(0.5)
    assert result.unassigned == ()


def test_fewest_km_among_full_assignments() -> None:
    # Crossing pairs: A at 22.0 and B at 22.3; loads at 22.1 and 22.4 -> A to 22.1, B to 22.4.
    vehicles = [veh("A", lat=22.0), veh("B", lat=22.3)]
    loads = [ld("p", lat=22.4), ld("q", lat=22.1)]
    result = match(vehicles, loads)
    assert [(a.vehicle_id, a.load_id) for a in result.assignments] == [("B", "p"), ("A", "q")]
    assert result.total_deadhead_km == round(2 * km(0.1), 3)
    assert result.method == "exact"


def test_a_vehicle_taken_by_a_better_pair_leaves_the_other_load_listed() -> None:
    result = match([veh("A")], [ld("near"), ld("far", lat=23.0)])
    assert [(a.vehicle_id, a.load_id) for a in result.assignments] == [("A", "near")]
    assert [(u.load_id, u.reason) for u in result.unassigned] == [("far", "vehicles_taken")]


def test_no_vehicles_lists_every_load() -> None:
    result = match([], [ld("x"), ld("y")])
    assert result.as_json() == {
        "assignments": [],
        "total_deadhead_km": 0,
        "unassigned": [{"load_id": "x", "reason": "capacity"}, {"load_id": "y", "reason": "capacity"}],
    }


def _random(n: int, m: int, seed: int) -> tuple[list[Vehicle], list[Load]]:
    rng = np.random.default_rng(seed)
    types = ["box", "reefer"]
    vehicles = [
        veh(
            f"V{i}",
            float(rng.uniform(108, 110)),
            float(rng.uniform(22, 24)),
            float(rng.choice([10, 30])),
            vehicle_type=types[i % 2],
        )
        for i in range(n)
    ]
    loads = [
        ld(
            f"L{j}",
            float(rng.uniform(108, 110)),
            float(rng.uniform(22, 24)),
            float(rng.uniform(1, 25)),
            vehicle_type=types[j % 3 % 2],
        )
        for j in range(m)
    ]
    return vehicles, loads


@pytest.mark.parametrize(("n", "m", "seed"), [(30, 40, 1), (50, 35, 2), (60, 60, 3)])
def test_pruned_flow_on_the_full_graph_equals_the_exact_optimum(n: int, m: int, seed: int) -> None:
    vehicles, loads = _random(n, m, seed)
    exact = match(vehicles, loads)
    full = match(vehicles, loads, MatchSpec(exact_limit=0, neighbours=n))
    assert (exact.method, full.method) == ("exact", "pruned")
    assert len(full.assignments) == len(exact.assignments)
    assert full.total_deadhead_km == pytest.approx(exact.total_deadhead_km, abs=0.01)


def test_pruned_flow_with_few_neighbours_still_serves_as_many() -> None:
    vehicles, loads = _random(80, 80, 4)
    exact = match(vehicles, loads)
    pruned = match(vehicles, loads, MatchSpec(exact_limit=0, neighbours=3))
    assert len(pruned.assignments) == len(exact.assignments)
    assert (len(exact.assignments), len(pruned.unassigned)) == (67, 13)
    assert pruned.total_deadhead_km >= exact.total_deadhead_km - 0.01


BAD_INPUT = [
    ("no longitude", lambda: veh("A", lon=float("nan")), "lon"),
    ("longitude out of range", lambda: veh("A", lon=181.0), "lon"),
    ("latitude out of range", lambda: veh("A", lat=-90.5), "lat"),
    ("negative capacity", lambda: veh("A", cap=-1), "capacity_t"),
    ("unknown vehicle type", lambda: veh("A", vehicle_type="van"), "vehicle_type"),
    ("naive time", lambda: veh("A", available_from=datetime(2026, 5, 1, 8)), "available_from"),  # noqa: DTZ001,
    ("negative weight", lambda: ld("x", weight=-0.1), "weight_t"),
    ("negative volume", lambda: ld("x", volume_m3=-1.0), "volume_m3"),
    ("infinite volume", lambda: ld("x", volume_m3=float("inf")), "volume_m3"),
    ("negative cargo space", lambda: veh("A", capacity_m3=-0.5), "capacity_m3"),
    ("drop out of range", lambda: Load("x", 108, 22, 108, 95, 1), "drop_lat"),
    (
        "window closes before it opens",
        lambda: ld("x", earliest_pickup=T0, latest_pickup=T0 - timedelta(minutes=1)),
        "latest_pickup",
    ),
    ("no load id", lambda: ld(""), "load_id"),
    ("zero speed", lambda: MatchSpec(speed_kmh=0), "speed_kmh"),
    ("no neighbours", lambda: MatchSpec(neighbours=0), "neighbours"),
    ("duplicate vehicle", lambda: match([veh("A"), veh("A")], []), "vehicle_id"),
]


@pytest.mark.parametrize(("case", "build", "field"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_names_the_field(case: str, build: object, field: str) -> None:
    with pytest.raises(InputError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field


DATA = Path(__file__).parent / "data"


def test_csv_files_read_every_column() -> None:
    vehicles = read_vehicles(DATA / "vehicles.csv")
    loads = read_loads(DATA / "loads.csv")
    assert vehicles[2] == Vehicle(
        "V3",
        108.35,
        22.82,
        25.0,
        "tank",
        datetime.fromisoformat("2026-05-01T06:00+08:00"),
        frozenset({"RTC", "DG"}),
    )
    assert vehicles[1].available_from is None
    assert loads[0].latest_pickup == datetime.fromisoformat("2026-05-01T10:00+08:00")
    assert (loads[1].vehicle_type, loads[1].required_qualification, loads[2].required_qualification) == (
        None,
        None,
        "DG",
    )


BAD_ROWS = [
    ("vehicle_id,lon,lat,capacity_t\nA,108,22,30\nB,,22,30\n", "row 2, lon: missing"),
    ("vehicle_id,lon,lat,capacity_t\nA,108,22,-3\n", "row 1, capacity_t: must be zero or more"),
    ("vehicle_id,lon,lat,capacity_t\nA,108,22,many\n", "row 1, capacity_t: not a number"),
    ("vehicle_id,lon,lat\nA,108,22\n", "capacity_t: column missing"),
    ("vehicle_id,lon,lat,capacity_t,capacity_m3\nA,108,22,3,big\n", "row 1, capacity_m3: not a number"),
    (
        "vehicle_id,lon,lat,capacity_t,capacity_m3\nA,108,22,3,\nB,108,22,3,-4\n",
        "row 2, capacity_m3: must be zero",
    ),
    (
        "vehicle_id,lon,lat,capacity_t,available_from\nA,108,22,3,tomorrow\n",
        "row 1, available_from: not an ISO 8601 time",
    ),
    (
        "vehicle_id,lon,lat,capacity_t,available_from\nA,108,22,3,2026-05-01T08:00\n",
        "row 1, available_from: time '2026-05-01T08:00' needs a UTC offset",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_ROWS)
def test_bad_csv_rows_are_named_by_row_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "v.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_vehicles(path)


def test_chaining_takes_the_backhaul_near_the_drop() -> None:
    # A at 108.0/22.0 carries "out" to 108.5/22.5; "back" waits at 108.5/22.5 going home. "late",
    # 0.1 degree away, must be picked up within the hour: round 1 prefers "out" (0 km to "late"'s
    # 11.1 km), and after "out" A cannot be back in time.
    vehicles = [veh("A", available_from=T0)]
    out = ld("out")
    back = Load("back", 108.5, 22.5, 108.0, 22.0, 10)
    late = Load("late", 108.0, 22.1, 108.0, 22.0, 10, latest_pickup=T0 + timedelta(hours=1))
    result = chain(vehicles, [back, out, late], MatchSpec(max_loads_per_vehicle=3))
    legs = result.chains()["A"]
    assert [(leg.round, leg.load_id, leg.deadhead_km) for leg in legs] == [(1, "out", 0.0), (2, "back", 0.0)]
    assert [(u.load_id, u.reason) for u in result.unassigned] == [("late", "time_window")]
    assert result.total_loaded_km == round(2 * legs[0].loaded_km, 3)


def test_chaining_stops_at_the_loads_a_vehicle_may_carry() -> None:
    # After "a" (drop 108.5/22.5) the nearest pickup is "c" at 22.4, not "b" at 22.2.
    vehicles = [veh("A")]
    loads = [ld("a"), ld("b", lat=22.2), ld("c", lat=22.4)]
    result = chain(vehicles, loads, MatchSpec(max_loads_per_vehicle=2))
    assert [leg.load_id for leg in result.chains()["A"]] == ["a", "c"]
    assert [(u.load_id, u.reason) for u in result.unassigned] == [("b", "vehicles_taken")]


@pytest.mark.parametrize(
    ("capacity", "weight", "floor"),
    [
        ([5, 10, 18, 40], [1, 10, 11, 40, 41], [5, 10, 18, 40, np.inf]),  # few payloads: exact
        (list(range(1, 201)), [0.5, 100.5, 250], [-np.inf, None, np.inf]),  # many: a lower bound
    ],
)
def test_the_capacity_floor_keeps_every_vehicle_that_can_carry(
    capacity: list[float], weight: list[float], floor: list[float | None]
) -> None:
    got = _capacity_floor(np.array(capacity, dtype=float), np.array(weight, dtype=float))
    for w, g, f in zip(weight, got.tolist(), floor, strict=True):
        if f is None:
            assert g <= w and all(c >= g for c in capacity if c >= w)
        else:
            assert g == f


@pytest.mark.parametrize(
    ("arcs", "served", "more"),
    [  # arcs (load, vehicle); served (vehicles, loads)
        ([(0, 0), (1, 0)], ([0], [0]), False),  # both loads need vehicle 0
        ([(0, 0), (1, 1)], ([0], [0]), True),  # load 1 reaches the free vehicle 1
        ([(0, 0), (1, 1)], ([0, 1], [0, 1]), False),  # every load served
        ([(0, 0), (0, 1), (1, 0)], ([0], [0]), True),  # load 1 -> vehicle 0 -> load 0 -> vehicle 1
    ],
)
def test_an_augmenting_path_is_found_when_one_exists(
    arcs: list[tuple[int, int]], served: tuple[list[int], list[int]], more: bool
) -> None:
    ld = np.array([a[0] for a in arcs], dtype=np.int64)
    v = np.array([a[1] for a in arcs], dtype=np.int64)
    pairs = (np.array(served[0], dtype=np.int64), np.array(served[1], dtype=np.int64))
    assert _can_serve_more(2, 2, v, ld, pairs) is more


def test_volume_columns_are_optional_in_the_files(tmp_path: Path) -> None:
    vehicles, loads = tmp_path / "v.csv", tmp_path / "l.csv"
    vehicles.write_text("vehicle_id,lon,lat,capacity_t,capacity_m3\nA,108,22,30,67.5\nB,108,22,30,\n")
    loads.write_text(
        "load_id,pickup_lon,pickup_lat,drop_lon,drop_lat,weight_t,volume_m3\nx,108,22,108.5,22.5,3,70\n"
    )
    assert [v.capacity_m3 for v in read_vehicles(vehicles)] == [67.5, None]
    assert [x.volume_m3 for x in read_loads(loads)] == [70.0]
    result = match(read_vehicles(vehicles), read_loads(loads), MatchSpec(exact_limit=0, neighbours=1))
    assert [(a.vehicle_id, result.method) for a in result.assignments] == [("B", "pruned")]
