"""The ETA model (到达时间预测模型) on hand-made history and fixes, with exact values."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from logispace.domains.tower.eta.policies import Fix, LegSample, OpenLeg, predict_leg, predict_waybill
from logispace.domains.tower.kpis.measures import Node

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing: block 1 (06-12)
NODES = {"A": Node("A", 0.0, 0.0), "B": Node("B", 0.0, 1.0), "C": Node("C", 0.0, 2.0)}
KM_PER_DEGREE = 6371 * math.pi / 180
MORNING = [
    LegSample("road", "A", "B", T0 - timedelta(days=d), h) for d, h in ((1, 10.0), (2, 12.0), (3, 20.0))
]
EVENING = [LegSample("road", "A", "B", T0 - timedelta(days=d, hours=10), 30.0) for d in (1, 2, 3)]  # block 3
HISTORY = MORNING + EVENING


ROAD = OpenLeg(1, "road", "A", "B", T0)


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


CASES = [
    ("same departure block: its median", ROAD, h(1), 12.0, "mode_od_departure_block"),
    ("another block: the median of every hour", OpenLeg(1, "road", "A", "B", h(6)), h(7), 31.0, "mode_od"),
    ("under way past the median: legs that lasted longer", ROAD, h(15), 30.0, "mode_od_departure_block"),
    ("no history: distance at planning speed", OpenLeg(1, "rail", "A", "B", T0), h(1),
     KM_PER_DEGREE * 1.25 / 50, "distance_at_planning_speed"),
    ("a stale fix is ignored", OpenLeg(1, "road", "A", "B", T0, Fix(h(1), 0.0, 0.5, 50.0)), h(4), 12.0,
     "mode_od_departure_block"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "leg", "now", "hours", "basis"), CASES, ids=[c[0] for c in CASES])
def test_baseline(case: str, leg: OpenLeg, now: datetime, hours: float, basis: str) -> None:
    p = predict_leg(HISTORY, leg, now, NODES)
    assert (p.method, p.inputs["basis"]) == ("baseline", basis)
    assert p.predicted_arrival == T0 + timedelta(hours=hours)


def test_a_fresh_fix_arrives_at_the_reported_speed() -> None:
    leg = OpenLeg(1, "road", "A", "B", T0, Fix(h(1), 0.0, 0.5, 50.0))
    p = predict_leg(HISTORY, leg, h(1.5), NODES)
    remaining = KM_PER_DEGREE * 0.5 * 1.25
    assert p.method == "gps" and p.inputs["remaining_km"] == round(remaining, 3)
    assert p.predicted_arrival == h(1) + timedelta(hours=remaining / 50)


def test_a_later_leg_leaves_after_the_previous_arrival_and_the_median_dwell() -> None:
    legs = [OpenLeg(1, "road", "A", "B", T0), OpenLeg(2, "rail", "B", "C", None)]
    first, second = predict_waybill(HISTORY, legs, h(1), NODES, {"B": 4.0})
    assert first.predicted_arrival == h(12)
    assert second.predicted_arrival == h(12 + 4) + timedelta(hours=KM_PER_DEGREE * 1.25 / 50)
    assert second.inputs["departed"] is False
