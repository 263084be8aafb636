"""Control-tower measures and KPI formulas (控制塔指标) on hand-made records, with exact values."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from logispace.domains.tower.kpis.definitions import KPI_BY_NAME, Kind, KindStats, evaluate, payload_t
from logispace.domains.tower.kpis.measures import (
    Assignment,
    GpsPoint,
    LegRecord,
    LoadSpan,
    Node,
    PredictionRecord,
    ShipmentRecord,
    container_turns,
    eta_errors,
    leg_distance,
    shipment_measures,
    vehicle_km,
)

T0 = datetime(2026, 12, 1, tzinfo=UTC)
FACTORS = {"road": 0.074, "rail": 0.022}


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


ROAD = LegRecord(
    1,
    "road",
    "450100",
    "CNQZH",
    departed_at=h(1),
    arrived_at=h(5),
    taken_over_at=h(0.5),
    unloaded_at=h(5) + timedelta(minutes=50),
    distance_km=200.0,
    costs=(1000.0, 0.0, 100.0, 50.0),
)
RAIL = LegRecord(
    2,
    "rail",
    "CNQZH",
    "CNCKG",
    departed_at=h(9),
    arrived_at=h(21),
    taken_over_at=h(8),
    unloaded_at=h(22),
    promised_at=h(20),
    distance_km=600.0,
    costs=(3000.0, 200.0, 300.0, 100.0),
)
SHIPMENT = ShipmentRecord(
    "w1", (ROAD, RAIL), weight_t=10.0, capacity_t=26.5, containers=1, containers_delivered=1
)


def _table(measures: list) -> list[tuple[str, float, int | None, str | None, str | None]]:
    return [(m.kind.value, m.value, m.leg, m.mode, m.node) for m in measures]


def test_a_delivered_late_shipment_gives_every_leg_and_node_measure() -> None:
    got = _table(shipment_measures(SHIPMENT, h(30), FACTORS, {}))
    assert got == [
        ("otif", 0.0, None, "multimodal", None),
        ("shipment_transit_h", 20.0, None, "multimodal", None),
        ("leg_transit_h", 4.0, 1, "road", None),
        ("weight_t", 10.0, 1, "road", None),
        ("capacity_t", 26.5, 1, "road", None),
        ("tonne_km", 2000.0, 1, "road", None),
        ("co2e_kg", 148.0, 1, "road", None),
        ("cost_transport", 1000.0, 1, "road", None),
        ("cost_storage", 0.0, 1, "road", None),
        ("cost_handling", 100.0, 1, "road", None),
        ("cost_management", 50.0, 1, "road", None),
        ("dwell_h", 4.0, 1, "road", "CNQZH"),
        ("handover_delay_h", 2.166667, 1, "road", "CNQZH"),
        ("leg_transit_h", 12.0, 2, "rail", None),
        ("weight_t", 10.0, 2, "rail", None),
        ("capacity_t", 26.5, 2, "rail", None),
        ("tonne_km", 6000.0, 2, "rail", None),
        ("co2e_kg", 132.0, 2, "rail", None),
        ("cost_transport", 3000.0, 2, "rail", None),
        ("cost_storage", 200.0, 2, "rail", None),
        ("cost_handling", 300.0, 2, "rail", None),
        ("cost_management", 100.0, 2, "rail", None),
    ]
    assert {m.corridor for m in shipment_measures(SHIPMENT, h(30), FACTORS, {})} == {"450100-CNCKG"}


def arriving(at: datetime | None) -> LegRecord:
    return replace(RAIL, arrived_at=at)


OTIF_CASES = [
    ("late", arriving(h(21)), 1, 1, h(30), [0.0]),
    ("at the promised time, in full", arriving(h(20)), 1, 1, h(30), [1.0]),
    ("early, one box short", arriving(h(19)), 2, 1, h(30), [0.0]),
    ("early, in full", arriving(h(19)), 2, 2, h(30), [1.0]),
    ("open and overdue", arriving(None), 1, 0, h(30), [0.0]),
    ("open, not yet due", arriving(None), 1, 0, h(19), []),
]


@pytest.mark.parametrize(("case", "last", "boxes", "delivered", "now", "expected"), OTIF_CASES)
def test_otif_counts_a_shipment_once_it_is_due(
    case: str, last: LegRecord, boxes: int, delivered: int, now: datetime, expected: list[float]
) -> None:
    s = ShipmentRecord("w", (ROAD, last), 10.0, 26.5, containers=boxes, containers_delivered=delivered)
    assert [m.value for m in shipment_measures(s, now, FACTORS, {}) if m.kind is Kind.OTIF] == expected


def test_a_leg_without_recorded_distance_takes_the_great_circle_times_the_detour() -> None:
    nodes = {"A": Node("A", 0.0, 0.0), "B": Node("B", 0.0, 1.0)}
    assert leg_distance(LegRecord(1, "road", "A", "B"), nodes) == 138.994
    assert leg_distance(LegRecord(1, "road", "A", "Z"), nodes) is None


def test_container_turn_runs_from_release_to_the_next_assignment() -> None:
    rows = [
        Assignment("TGHU1", h(0), h(48)),
        Assignment("TGHU1", h(54), h(100)),
        Assignment("TGHU1", h(130.5), None),
        Assignment("CSNU2", h(0), None),
        Assignment("CSNU2", h(10), None),  # never released: no turn
    ]
    assert [(m.value, m.at) for m in container_turns(rows)] == [(6.0, h(54)), (30.5, h(130.5))]


def test_empty_running_counts_the_km_driven_without_load_and_skips_gaps() -> None:
    points = [
        GpsPoint("truck", h(0), 0.0, 0.0),
        GpsPoint("truck", h(0) + timedelta(minutes=5), 0.0, 0.1),
        GpsPoint("truck", h(0) + timedelta(minutes=10), 0.0, 0.2),
        GpsPoint("truck", h(0) + timedelta(minutes=30), 0.0, 0.3),  # 20 minutes later: a gap
    ]
    loads = [LoadSpan("truck", h(0) + timedelta(minutes=5), None)]
    got = [(m.kind.value, m.value) for m in vehicle_km(points, loads, "91450100MA00000065")]
    # 0.1 degree of the equator is 6371 km x pi / 1800 = 11.1194927 km
    assert got == [("km_driven", 22.238985), ("km_empty", 11.119493)]


def test_eta_error_is_measured_only_for_predictions_made_before_arrival() -> None:
    predictions = [
        PredictionRecord("w1", 2, h(10), h(20)),
        PredictionRecord("w1", 2, h(12), h(23.5)),
        PredictionRecord("w1", 2, h(22), h(21)),  # after arrival
        PredictionRecord("w2", 1, h(1), h(2)),  # unknown shipment
    ]
    got = [(m.value, m.leg, m.mode) for m in eta_errors(predictions, {"w1": SHIPMENT})]
    assert got == [(1.0, 2, "rail"), (2.5, 2, "rail")]


EVALUATE_CASES = [
    ("otif", {"otif": KindStats(4, 3.0, 1.0, 1.0, 4)}, {"value": 0.75, "due": 4, "on_time_in_full": 3}),
    (
        "transit_time_leg",
        {"leg_transit_h": KindStats(3, 30.0, 10.0, 14.0, 2)},
        {"value": 10.0, "p50": 10.0, "p90": 14.0, "mean": 10.0, "count": 3},
    ),
    (
        "empty_running_rate",
        {"km_empty": KindStats(2, 25.0, 0, 0, 0), "km_driven": KindStats(2, 200.0, 0, 0, 0)},
        {"value": 0.125, "km_empty": 25.0, "km_driven": 200.0},
    ),
    (
        "load_factor",
        {"weight_t": KindStats(2, 20.0, 0, 0, 1), "capacity_t": KindStats(2, 53.0, 0, 0, 1)},
        {"value": 0.377358, "weight_t": 20.0, "capacity_t": 53.0},
    ),
    (
        "cost_per_tonne_km",
        {
            "cost_transport": KindStats(2, 4000.0, 0, 0, 1),
            "cost_storage": KindStats(2, 200.0, 0, 0, 1),
            "cost_handling": KindStats(2, 400.0, 0, 0, 1),
            "cost_management": KindStats(2, 150.0, 0, 0, 1),
            "tonne_km": KindStats(2, 8000.0, 0, 0, 1),
        },
        {
            "value": 0.59375,
            "tonne_km": 8000.0,
            "transport_per_tonne_km": 0.5,
            "storage_per_tonne_km": 0.025,
            "handling_per_tonne_km": 0.05,
            "management_per_tonne_km": 0.01875,
        },
    ),
    (
        "carbon",
        {"co2e_kg": KindStats(2, 280.0, 0, 0, 1), "tonne_km": KindStats(2, 8000.0, 0, 0, 1)},
        {"value": 280.0, "per_leg": 140.0, "total_kg": 280.0, "g_per_tonne_km": 35.0},
    ),
    ("otif", {}, {"value": None, "due": 0, "on_time_in_full": 0}),
]


@pytest.mark.parametrize(("name", "stats", "expected"), EVALUATE_CASES)
def test_kpi_formulas(name: str, stats: dict[str, KindStats], expected: dict[str, object]) -> None:
    assert evaluate(KPI_BY_NAME[name], stats) == expected


@pytest.mark.parametrize(("size", "payload"), [("22G1", 28.2), ("42G1", 26.5), ("L5G1", 29.0), (None, 26.5)])
def test_container_payload_by_size_code(size: str | None, payload: float) -> None:
    assert payload_t(size) == payload
