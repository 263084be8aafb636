"""Alert rules as pure functions (预警规则): what an EPCIS event says about a shipment, and whether a
measured value breaks a rule's threshold. No session; tested by tables.

Events name a waybill in ``bizTransactionList`` (``urn:logispace:waybill:<number>``), containers
(``urn:logispace:container:<ISO 6346>``) in ``epcList``/``childEPCs``, the means of transport in
``parentID`` of an AggregationEvent (``ADD`` with bizStep ``loading`` puts boxes on it, ``DELETE``
with ``unloading`` takes them off), a GPS point as ``readPoint`` ``geo:<lat>,<lon>`` (RFC 5870) and
temperatures as EPCIS 2.0 sensor reports (``type`` ``gs1:Temperature``, ``uom`` ``CEL`` or ``FAH``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from logispace.domains.tower.alerts.enums import RuleKind

WAYBILL_URN = "urn:logispace:waybill:"
CONTAINER_URN = "urn:logispace:container:"
PLACE_URNS = ("urn:logispace:unlocode:", "urn:logispace:division:")
EARTH_RADIUS_KM = 6371.0
_STEP_TAIL = re.compile(r"[/:]")
TEMPERATURE_TYPES = frozenset(
    {
        "gs1:Temperature",
        "Temperature",
        "https://gs1.org/voc/Temperature",
        "https://ref.gs1.org/voc/Temperature",
    }
)


@dataclass(frozen=True)
class EventFacts:
    """What one event says about shipments."""

    waybill_numbers: tuple[str, ...]
    containers: tuple[str, ...]
    parent: str | None
    position: tuple[float, float] | None
    place: str | None
    temperatures: tuple[float, ...]
    loading: bool
    unloading: bool


def strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def geo(uri: str | None) -> tuple[float, float] | None:
    """(latitude, longitude) of a ``geo:`` URI, or None."""
    if not uri or not uri.startswith("geo:"):
        return None
    head = uri[4:].split(";", 1)[0].split(",")
    try:
        lat, lon = float(head[0]), float(head[1])
    except (IndexError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def place_code(uri: str | None) -> str | None:
    """The UN/LOCODE or division code of a place URN, or None."""
    for prefix in PLACE_URNS:
        if uri and uri.startswith(prefix):
            return uri[len(prefix) :]
    return None


def celsius(value: float, uom: str | None) -> float | None:
    """A temperature in degrees Celsius (CEL, FAH or KEL), None for another unit."""
    if uom in (None, "CEL"):
        return value
    if uom == "FAH":
        return (value - 32.0) * 5.0 / 9.0
    if uom == "KEL":
        return value - 273.15
    return None


def temperatures(body: dict[str, Any]) -> tuple[float, ...]:
    """Every temperature reading of the event's sensor reports, in °C."""
    out: list[float] = []
    for element in body.get("sensorElementList") or []:
        if not isinstance(element, dict):
            continue
        for report in element.get("sensorReport") or []:
            if not isinstance(report, dict) or report.get("type") not in TEMPERATURE_TYPES:
                continue
            for key in ("value", "minValue", "maxValue"):
                raw = report.get(key)
                if isinstance(raw, int | float) and not isinstance(raw, bool):
                    reading = celsius(float(raw), report.get("uom"))
                    if reading is not None and math.isfinite(reading):
                        out.append(reading)
    return tuple(out)


def _id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def event_facts(
    event_type: str, action: str | None, biz_step: str | None, body: dict[str, Any]
) -> EventFacts:
    """Read the shipment facts of one event."""
    if (
        event_type == "ObjectEvent"
        and "bizTransactionList" not in body
        and "sensorElementList" not in body
        and "childEPCs" not in body
    ):
        return _object_facts(body)
    numbers = [
        unquote(t["bizTransaction"][len(WAYBILL_URN) :])
        for t in body.get("bizTransactionList") or []
        if isinstance(t, dict) and isinstance(t.get("bizTransaction"), str)
        and t["bizTransaction"].startswith(WAYBILL_URN)
    ]  # fmt: skip
    epcs = strings(body.get("epcList")) + strings(body.get("childEPCs"))
    boxes = [unquote(e[len(CONTAINER_URN) :]) for e in epcs if e.startswith(CONTAINER_URN)]
    parent = body.get("parentID") if isinstance(body.get("parentID"), str) else None
    step = _STEP_TAIL.split(biz_step)[-1].removeprefix("BizStep-") if biz_step else ""
    aggregation = event_type == "AggregationEvent" and parent is not None
    read_point, location = _id(body.get("readPoint")), _id(body.get("bizLocation"))
    return EventFacts(
        waybill_numbers=tuple(dict.fromkeys(numbers)),
        containers=tuple(dict.fromkeys(boxes)),
        parent=parent,
        position=geo(read_point),
        place=place_code(location) or place_code(read_point),
        temperatures=temperatures(body),
        loading=aggregation and action == "ADD" and step == "loading",
        unloading=aggregation and action == "DELETE" and step == "unloading",
    )


def _object_facts(body: dict[str, Any]) -> EventFacts:
    """The facts of an ObjectEvent naming no waybill and carrying no sensor report (most are GPS
    points): the same as the general path, reading only what such an event can hold."""
    epcs = strings(body.get("epcList"))
    boxes = [unquote(e[len(CONTAINER_URN) :]) for e in epcs if e.startswith(CONTAINER_URN)]
    read_point, location = _id(body.get("readPoint")), _id(body.get("bizLocation"))
    return EventFacts(
        waybill_numbers=(),
        containers=tuple(dict.fromkeys(boxes)),
        parent=body.get("parentID") if isinstance(body.get("parentID"), str) else None,
        position=geo(read_point),
        place=place_code(location) or place_code(read_point),
        temperatures=(),
        loading=False,
        unloading=False,
    )


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance of two (latitude, longitude) points (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def off_route_km(point: tuple[float, float], start: tuple[float, float], end: tuple[float, float]) -> float:
    """Distance from ``point`` to the planned route, the straight segment ``start``-``end``.

    Cross-track distance on the sphere; beyond either end of the segment, the distance to that end.
    """
    if start == end:
        return distance_km(point, start)
    d13 = distance_km(start, point) / EARTH_RADIUS_KM
    b12, length = _segment(start, end)
    b13 = _bearing(start, point)
    cross = math.asin(max(-1.0, min(1.0, math.sin(d13) * math.sin(b13 - b12))))
    along = math.acos(max(-1.0, min(1.0, math.cos(d13) / max(math.cos(cross), 1e-12))))
    if math.cos(b13 - b12) < 0:  # behind the start
        return distance_km(point, start)
    if along * EARTH_RADIUS_KM > length:  # past the end
        return distance_km(point, end)
    return abs(cross) * EARTH_RADIUS_KM


KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
NEAR_SPAN_DEGREES = 5.0
"""The planar check of :func:`surely_on_route` is used only within this span of latitude and longitude."""
NEAR_MARGIN = 0.8
"""...and only claims a point on the route when its planar distance is under this share of the limit."""


def surely_on_route(
    point: tuple[float, float], start: tuple[float, float], end: tuple[float, float], within_km: float
) -> bool:
    """A cheap check that ``point`` is within ``within_km`` of the route (False: unknown, ask
    :func:`off_route_km`). The planar (equirectangular) distance to the segment, scaled at the mean
    latitude, is within a few per cent of the great-circle one over a few degrees; it is trusted only
    there, and only under :data:`NEAR_MARGIN` of the limit. Most GPS points of a truck on its road pass
    here without a trigonometric call per point."""
    lats, lons = (point[0], start[0], end[0]), (point[1], start[1], end[1])
    if max(lats) - min(lats) > NEAR_SPAN_DEGREES or max(lons) - min(lons) > NEAR_SPAN_DEGREES:
        return False
    k = _lon_scale((start[0] + end[0]) / 2)
    ax, ay = start[1] * k, start[0] * KM_PER_DEGREE
    bx, by = end[1] * k, end[0] * KM_PER_DEGREE
    px, py = point[1] * k, point[0] * KM_PER_DEGREE
    dx, dy = bx - ax, by - ay
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / span))
    qx, qy = ax + t * dx - px, ay + t * dy - py
    return qx * qx + qy * qy < (NEAR_MARGIN * within_km) ** 2


@lru_cache(maxsize=4096)
def _lon_scale(latitude: float) -> float:
    return KM_PER_DEGREE * math.cos(math.radians(latitude))


@lru_cache(maxsize=4096)
def _segment(start: tuple[float, float], end: tuple[float, float]) -> tuple[float, float]:
    """Initial bearing and length of a planned leg (few legs, many GPS points: worked out once)."""
    return _bearing(start, end), distance_km(start, end)


def _bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    y = math.sin(lo2 - lo1) * math.cos(la2)
    x = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(lo2 - lo1)
    return math.atan2(y, x)


def temperature_breach(
    reading: float, low: float | None, high: float | None, tolerance: float
) -> float | None:
    """Degrees outside the cold-chain range beyond the tolerance (positive), or None inside it."""
    if low is not None and reading < low - tolerance:
        return round(low - reading, 2)
    if high is not None and reading > high + tolerance:
        return round(reading - high, 2)
    return None


def overdue(since: datetime, now: datetime, kind: RuleKind, threshold: float) -> bool:
    """Whether a time-based condition that started at ``since`` breaks ``threshold`` at ``now``:
    strictly more than the threshold (hours, or minutes for GPS silence) has passed."""
    unit = timedelta(minutes=1) if kind is RuleKind.GPS_SILENCE else timedelta(hours=1)
    return now - since > unit * threshold


def delay_hours(promised_at: datetime, predicted_arrival: datetime | None, now: datetime) -> float:
    """How late an open waybill is expected to arrive, in hours (negative: early): the ETA engine's
    predicted arrival, or now when that is earlier or there is none (it has not arrived yet), minus
    the promised arrival. The delay rule fires when this exceeds its threshold."""
    expected = max(predicted_arrival, now) if predicted_arrival is not None else now
    return (expected - promised_at).total_seconds() / 3600


def hours(span: timedelta) -> float:
    """A span in hours, one decimal."""
    return round(span.total_seconds() / 3600, 1)
