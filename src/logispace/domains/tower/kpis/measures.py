"""Measures (度量) of the control tower: pure functions from what was recorded (legs with their
departures and arrivals, container assignments, GPS points and load state, stored ETA predictions) to
one number per shipment, leg, node stay, container turn, vehicle-day or ETA check.

No session here: :mod:`.extract` reads the records, :mod:`.service` stores the measures, and the
analytics query aggregates them. Every function is table-tested in tests/tower/test_measures.py.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

from logispace.domains.tower.kpis.definitions import COST_KINDS, Kind

BEIJING = timezone(timedelta(hours=8))
MAX_GPS_GAP = timedelta(minutes=10)
"""Two GPS points further apart than this are not joined: the track has a gap, its distance unknown."""
DETOUR = 1.25
"""Road and rail distance over the great-circle distance, when a leg has no recorded distance."""


@dataclass(frozen=True)
class Node:
    """A handover point with coordinates (物流节点), for distances and the map."""

    code: str
    lat: float
    lon: float


@dataclass(frozen=True)
class LegRecord:
    """A leg as recorded (运输区段记录): its plan and what the carriers' events say happened."""

    sequence: int
    mode: str
    origin: str
    destination: str
    departed_at: datetime | None = None
    arrived_at: datetime | None = None
    taken_over_at: datetime | None = None
    """When the leg's carrier took the cargo over (loading starts: pick-up or 交接)."""
    unloaded_at: datetime | None = None
    promised_at: datetime | None = None
    distance_km: float | None = None
    costs: tuple[float, float, float, float] | None = None
    """Transport, storage, handling and management cost of the leg (元)."""


@dataclass(frozen=True)
class ShipmentRecord:
    """A waybill as recorded (运单记录) with its legs in order."""

    waybill_id: str
    legs: tuple[LegRecord, ...]
    weight_t: float
    capacity_t: float
    containers: int = 1
    containers_delivered: int = 0
    promised_at: datetime | None = None
    """The promised delivery time (承诺送达时间); the last leg's promise when the waybill has none."""

    @property
    def corridor(self) -> str:
        """Origin-destination of the whole shipment (通道), ``CNQZH-500112``."""
        return f"{self.legs[0].origin}-{self.legs[-1].destination}"

    @property
    def mode(self) -> str:
        modes = {leg.mode for leg in self.legs}
        return modes.pop() if len(modes) == 1 else "multimodal"

    @property
    def promise(self) -> datetime | None:
        return self.promised_at or self.legs[-1].promised_at


@dataclass(frozen=True)
class Measure:
    """One number of a kind (度量) with the dimensions KPIs are filtered and grouped by."""

    kind: Kind
    value: float
    at: datetime
    waybill_id: str | None = None
    leg: int | None = None
    corridor: str | None = None
    mode: str | None = None
    node: str | None = None
    owner_uscc: str | None = None
    subject: str | None = None
    """The vehicle of a km measure, the container of a turn."""

    @property
    def day(self) -> str:
        """The Beijing date of ``at`` (``2026-12-07``): the period dimension."""
        return self.at.astimezone(BEIJING).date().isoformat()


def hours(later: datetime, earlier: datetime) -> float:
    return round((later - earlier).total_seconds() / 3600, 6)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of radius 6,371 km."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def leg_distance(leg: LegRecord, nodes: Mapping[str, Node]) -> float | None:
    """The leg's recorded distance, else the great-circle distance between its nodes x :data:`DETOUR`."""
    if leg.distance_km is not None:
        return leg.distance_km
    a, b = nodes.get(leg.origin), nodes.get(leg.destination)
    if a is None or b is None:
        return None
    return round(great_circle_km(a.lat, a.lon, b.lat, b.lon) * DETOUR, 3)


def shipment_measures(
    s: ShipmentRecord, now: datetime, factors: Mapping[str, float], nodes: Mapping[str, Node]
) -> list[Measure]:
    """OTIF and transit time of the shipment; transit, tonne-km, cost, carbon, load of each arrived leg;
    dwell and handover delay at each node between two legs."""
    out: list[Measure] = []

    def add(kind: Kind, value: float, at: datetime, **dims: object) -> None:
        base = {"waybill_id": s.waybill_id, "corridor": s.corridor, "mode": s.mode}
        out.append(Measure(kind, round(value, 6), at, **{**base, **dims}))  # type: ignore[arg-type]

    first, last = s.legs[0], s.legs[-1]
    promise = s.promise
    if last.arrived_at is not None and promise is not None:
        in_full = s.containers_delivered >= s.containers
        add(Kind.OTIF, 1.0 if last.arrived_at <= promise and in_full else 0.0, promise)
    elif promise is not None and promise < now:
        add(Kind.OTIF, 0.0, promise)
    if first.departed_at is not None and last.arrived_at is not None:
        add(Kind.SHIPMENT_TRANSIT_H, hours(last.arrived_at, first.departed_at), last.arrived_at)
    for leg, after in zip(s.legs, (*s.legs[1:], None), strict=True):
        dims = {"leg": leg.sequence, "mode": leg.mode}
        if leg.departed_at is not None and leg.arrived_at is not None:
            at = leg.arrived_at
            add(Kind.LEG_TRANSIT_H, hours(leg.arrived_at, leg.departed_at), at, **dims)
            add(Kind.WEIGHT_T, s.weight_t, at, **dims)
            add(Kind.CAPACITY_T, s.capacity_t, at, **dims)
            km = leg_distance(leg, nodes)
            if km is not None:
                tkm = s.weight_t * km
                add(Kind.TONNE_KM, tkm, at, **dims)
                if leg.mode in factors:
                    add(Kind.CO2E_KG, tkm * factors[leg.mode], at, **dims)
            if leg.costs is not None:
                for kind, cost in zip(COST_KINDS, leg.costs, strict=True):
                    add(kind, cost, at, **dims)
        if after is None:
            continue
        node = {"leg": leg.sequence, "node": leg.destination, "mode": leg.mode}
        if leg.arrived_at is not None and after.departed_at is not None:
            add(Kind.DWELL_H, hours(after.departed_at, leg.arrived_at), after.departed_at, **node)
        if leg.unloaded_at is not None and after.taken_over_at is not None:
            add(
                Kind.HANDOVER_DELAY_H,
                hours(after.taken_over_at, leg.unloaded_at),
                after.taken_over_at,
                **node,
            )
    return out


@dataclass(frozen=True)
class Assignment:
    """A container on a waybill (箱单关联): when assigned and when released."""

    container: str
    assigned_at: datetime
    released_at: datetime | None
    owner_uscc: str | None = None


def container_turns(assignments: Iterable[Assignment]) -> list[Measure]:
    """One turn per container between its release from a waybill and its next assignment."""
    by_box: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_box[a.container].append(a)
    out: list[Measure] = []
    for rows in by_box.values():
        rows.sort(key=lambda a: a.assigned_at)
        for before, after in pairwise(rows):
            if before.released_at is None or after.assigned_at < before.released_at:
                continue
            turn = hours(after.assigned_at, before.released_at)
            out.append(
                Measure(
                    Kind.CONTAINER_TURN_H,
                    turn,
                    after.assigned_at,
                    owner_uscc=after.owner_uscc,
                    subject=after.container,
                )
            )
    return out


@dataclass(frozen=True)
class GpsPoint:
    """A position of a vehicle (车辆定位)."""

    vehicle: str
    at: datetime
    lat: float
    lon: float


@dataclass(frozen=True)
class LoadSpan:
    """A vehicle loaded (载货): from the aggregation putting cargo on it until the one taking it off."""

    vehicle: str
    start: datetime
    end: datetime | None


def vehicle_km(
    points: Iterable[GpsPoint], loads: Iterable[LoadSpan], owner_uscc: str | None
) -> list[Measure]:
    """Km driven and km driven empty per vehicle and Beijing day: the distance between consecutive
    points (at most :data:`MAX_GPS_GAP` apart) counts as empty when no load span holds its start."""
    spans: dict[str, list[LoadSpan]] = defaultdict(list)
    for span in loads:
        spans[span.vehicle].append(span)
    tracks: dict[str, list[GpsPoint]] = defaultdict(list)
    for p in points:
        tracks[p.vehicle].append(p)
    totals: dict[tuple[str, str], list[float]] = {}
    first_at: dict[tuple[str, str], datetime] = {}
    for vehicle, track in tracks.items():
        track.sort(key=lambda p: (p.at, p.lat, p.lon))
        for a, b in pairwise(track):
            if b.at - a.at > MAX_GPS_GAP:
                continue
            km = great_circle_km(a.lat, a.lon, b.lat, b.lon)
            loaded = any(s.start <= a.at and (s.end is None or a.at < s.end) for s in spans[vehicle])
            key = (vehicle, a.at.astimezone(BEIJING).date().isoformat())
            total = totals.setdefault(key, [0.0, 0.0])
            first_at.setdefault(key, a.at)
            total[0] += km
            total[1] += 0.0 if loaded else km
    out: list[Measure] = []
    for key, (driven, empty) in sorted(totals.items()):
        at, vehicle = first_at[key], key[0]
        dims = {"mode": "road", "owner_uscc": owner_uscc, "subject": vehicle}
        out.append(Measure(Kind.KM_DRIVEN, round(driven, 6), at, **dims))  # type: ignore[arg-type]
        out.append(Measure(Kind.KM_EMPTY, round(empty, 6), at, **dims))  # type: ignore[arg-type]
    return out


@dataclass(frozen=True)
class PredictionRecord:
    """A stored ETA prediction (到达时间预测) of a leg."""

    waybill_id: str
    leg: int
    predicted_at: datetime
    predicted_arrival: datetime


def eta_errors(
    predictions: Sequence[PredictionRecord], shipments: Mapping[str, ShipmentRecord]
) -> list[Measure]:
    """The absolute error in hours of each prediction made before its leg arrived, once it arrived."""
    out: list[Measure] = []
    for p in predictions:
        s = shipments.get(p.waybill_id)
        leg = next((leg for leg in s.legs if leg.sequence == p.leg), None) if s else None
        if s is None or leg is None or leg.arrived_at is None or p.predicted_at >= leg.arrived_at:
            continue
        error = abs(hours(p.predicted_arrival, leg.arrived_at))
        out.append(
            Measure(Kind.ETA_ERROR_H, error, leg.arrived_at, p.waybill_id, p.leg, s.corridor, leg.mode)
        )
    return out


def utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
