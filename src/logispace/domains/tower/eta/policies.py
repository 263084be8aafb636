"""ETA model (到达时间预测模型), pure: a statistical baseline from the corridor's history refined by the
last GPS position and speed.

* Baseline: the median transit time of the legs that ran the same origin-destination by the same mode
  and left in the same 6-hour block of the Beijing day (at least :data:`MIN_HISTORY` of them), else
  of the same origin-destination and mode at any hour, else the distance at the mode's planning speed.
  A leg under way for longer than that median takes the median of the history's legs that lasted
  longer than it has run so far (or arrives "now" when none did).
* GPS: a road leg whose vehicle reported within :data:`GPS_FRESH` arrives when the remaining
  great-circle distance x detour is covered at the reported speed (or the history's median speed).
* A leg not yet departed leaves after the previous leg's predicted arrival plus the median dwell at
  the node, and its transit is the baseline from there.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from logispace.domains.tower.kpis.measures import BEIJING, DETOUR, Node, great_circle_km

MIN_HISTORY = 3
GPS_FRESH = timedelta(hours=2)
PLANNING_SPEED_KMH = {"road": 60.0, "rail": 50.0, "water": 25.0, "air": 600.0}
DEFAULT_DWELL_H = 12.0


@dataclass(frozen=True)
class LegSample:
    """A finished leg of the history (历史区段)."""

    mode: str
    origin: str
    destination: str
    departed_at: datetime
    transit_h: float
    distance_km: float | None = None


@dataclass(frozen=True)
class Fix:
    """The last GPS position of a leg's vehicle (最新定位)."""

    at: datetime
    lat: float
    lon: float
    speed_kmh: float | None


@dataclass(frozen=True)
class OpenLeg:
    """A leg without arrival: its plan and what is known of it."""

    sequence: int
    mode: str
    origin: str
    destination: str
    departed_at: datetime | None
    fix: Fix | None = None
    distance_km: float | None = None


@dataclass(frozen=True)
class Prediction:
    sequence: int
    predicted_arrival: datetime
    method: str
    inputs: dict[str, Any]


def block(moment: datetime) -> int:
    """The 6-hour block of the Beijing day a moment falls in (0: 00-06, 1: 06-12, 2: 12-18, 3: 18-24)."""
    return moment.astimezone(BEIJING).hour // 6


def _distance(leg: OpenLeg, nodes: Mapping[str, Node]) -> float | None:
    if leg.distance_km is not None:
        return leg.distance_km
    a, b = nodes.get(leg.origin), nodes.get(leg.destination)
    return great_circle_km(a.lat, a.lon, b.lat, b.lon) * DETOUR if a and b else None


def baseline_hours(
    history: Sequence[LegSample], leg: OpenLeg, depart: datetime, nodes: Mapping[str, Node]
) -> tuple[float, dict[str, Any]]:
    """The leg's expected transit time in hours and what it was taken from."""
    same = [
        s for s in history if (s.mode, s.origin, s.destination) == (leg.mode, leg.origin, leg.destination)
    ]
    hour = [s for s in same if block(s.departed_at) == block(depart)]
    for basis, samples in (("mode_od_departure_block", hour), ("mode_od", same)):
        if len(samples) >= MIN_HISTORY:
            transits = sorted(s.transit_h for s in samples)
            return statistics.median(transits), {
                "basis": basis,
                "history": len(transits),
                "p50_h": statistics.median(transits),
                "block": block(depart),
            }
    km = _distance(leg, nodes)
    speed = PLANNING_SPEED_KMH.get(leg.mode, 50.0)
    hours = (km or 0.0) / speed
    return hours, {
        "basis": "distance_at_planning_speed",
        "history": len(same),
        "distance_km": km,
        "speed_kmh": speed,
    }


def predict_leg(
    history: Sequence[LegSample],
    leg: OpenLeg,
    now: datetime,
    nodes: Mapping[str, Node],
    depart_estimate: datetime | None = None,
) -> Prediction:
    """The predicted arrival of one open leg."""
    depart = leg.departed_at or depart_estimate or now
    if leg.fix is not None and leg.departed_at is not None and now - leg.fix.at <= GPS_FRESH:
        dest = nodes.get(leg.destination)
        if dest is not None:
            remaining = great_circle_km(leg.fix.lat, leg.fix.lon, dest.lat, dest.lon) * DETOUR
            speed = leg.fix.speed_kmh or PLANNING_SPEED_KMH.get(leg.mode, 50.0)
            arrival = leg.fix.at + timedelta(hours=remaining / max(speed, 1.0))
            inputs = {
                "basis": "gps",
                "last_fix_at": leg.fix.at.isoformat(),
                "lat": leg.fix.lat,
                "lon": leg.fix.lon,
                "speed_kmh": speed,
                "remaining_km": round(remaining, 3),
            }
            return Prediction(leg.sequence, max(arrival, now), "gps", inputs)
    hours, inputs = baseline_hours(history, leg, depart, nodes)
    elapsed = (now - depart).total_seconds() / 3600 if leg.departed_at is not None else 0.0
    if elapsed > hours:
        longer = sorted(
            s.transit_h
            for s in history
            if (s.mode, s.origin, s.destination) == (leg.mode, leg.origin, leg.destination)
            and s.transit_h > elapsed
        )
        hours = statistics.median(longer) if longer else elapsed
        inputs = {
            **inputs,
            "elapsed_h": round(elapsed, 6),
            "conditional_on": "elapsed",
            "longer": len(longer),
        }
    inputs = {**inputs, "departed_at": depart.isoformat(), "departed": leg.departed_at is not None}
    return Prediction(leg.sequence, depart + timedelta(hours=hours), "baseline", inputs)


def median_dwell_h(dwells: Sequence[float]) -> float:
    return statistics.median(dwells) if dwells else DEFAULT_DWELL_H


def predict_waybill(
    history: Sequence[LegSample],
    legs: Sequence[OpenLeg],
    now: datetime,
    nodes: Mapping[str, Node],
    dwell_h: Mapping[str, float],
    ready_at: datetime | None = None,
) -> list[Prediction]:
    """The predicted arrival of each open leg in order, each later leg leaving after the previous one's
    predicted arrival plus the median dwell at its node (``dwell_h`` by node, hours)."""
    out: list[Prediction] = []
    previous = ready_at
    for leg in legs:
        estimate = None
        if previous is not None:
            estimate = max(now, previous + timedelta(hours=dwell_h.get(leg.origin, DEFAULT_DWELL_H)))
        prediction = predict_leg(history, leg, now, nodes, estimate)
        out.append(prediction)
        previous = prediction.predicted_arrival
    return out
