"""Vehicles and loads as arrays, the haversine deadhead and the feasibility of vehicle-load pairs.

Feasibility (可承运) of vehicle v for load l: capacity at least the weight, and at least the volume when
both give one (a vehicle without ``capacity_m3`` has no volume limit, a load without ``volume_m3`` asks
none); the load's vehicle type, if
it names one, is the vehicle's; the load's required qualification, if any, is among the vehicle's; and
the vehicle, leaving its position when it becomes free and driving ``speed_kmh``, reaches the pickup
no later than the window closes (it may wait for the window to open).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from logispace.domains.dispatch.matching.problem import REASONS, Load, MatchSpec, Vehicle

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), the radius of the haversine distance."""

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def haversine_km(lon1: Floats, lat1: Floats, lon2: Floats, lat2: Floats) -> Floats:
    """Great-circle distance in km between points given in degrees (arrays broadcast)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    out: Floats = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return out


def _hours(value: datetime | None, default: float) -> float:
    return default if value is None else value.timestamp() / 3600.0


@dataclass
class Fleet:
    """The vehicles as arrays: position, capacity, type code, qualification bits, free-from hour."""

    ids: list[str]
    lon: Floats
    lat: Floats
    capacity: Floats
    type_code: Ints
    qual_bits: Ints
    free_at: Floats
    capacity_m3: Floats
    """Cubic metres; +inf where the vehicle gives none."""


@dataclass
class Demand:
    """The loads as arrays: pickup, drop, weight, type code (-1 any), qualification bits, window hours."""

    ids: list[str]
    lon: Floats
    lat: Floats
    drop_lon: Floats
    drop_lat: Floats
    weight: Floats
    type_code: Ints
    qual_bits: Ints
    opens: Floats
    closes: Floats
    volume: Floats
    """Cubic metres; 0 where the load gives none."""


def encode(vehicles: Sequence[Vehicle], loads: Sequence[Load]) -> tuple[Fleet, Demand]:
    """Arrays of the vehicles and loads; types and qualifications become small integer codes."""
    types: dict[str, int] = {}
    quals: dict[str, int] = {}

    def type_code(name: str | None, strict: bool) -> int:
        if name is None:
            return -1 if strict else -2
        return types.setdefault(name, len(types))

    def bits(names: frozenset[str] | set[str]) -> int:
        out = 0
        for name in names:
            out |= 1 << quals.setdefault(name, len(quals))
        return out

    for load in loads:
        if load.required_qualification:
            bits({load.required_qualification})
    fleet = Fleet(
        ids=[v.vehicle_id for v in vehicles],
        lon=np.array([v.lon for v in vehicles], dtype=np.float64),
        lat=np.array([v.lat for v in vehicles], dtype=np.float64),
        capacity=np.array([v.capacity_t for v in vehicles], dtype=np.float64),
        type_code=np.array([type_code(v.vehicle_type, False) for v in vehicles], dtype=np.int64),
        qual_bits=np.array([bits(v.qualifications & quals.keys()) for v in vehicles], dtype=np.int64),
        free_at=np.array([_hours(v.available_from, -np.inf) for v in vehicles], dtype=np.float64),
        capacity_m3=np.array(
            [np.inf if v.capacity_m3 is None else v.capacity_m3 for v in vehicles], dtype=np.float64
        ),
    )
    demand = Demand(
        ids=[ld.load_id for ld in loads],
        lon=np.array([ld.pickup_lon for ld in loads], dtype=np.float64),
        lat=np.array([ld.pickup_lat for ld in loads], dtype=np.float64),
        drop_lon=np.array([ld.drop_lon for ld in loads], dtype=np.float64),
        drop_lat=np.array([ld.drop_lat for ld in loads], dtype=np.float64),
        weight=np.array([ld.weight_t for ld in loads], dtype=np.float64),
        type_code=np.array([type_code(ld.vehicle_type, True) for ld in loads], dtype=np.int64),
        qual_bits=np.array(
            [bits({ld.required_qualification}) if ld.required_qualification else 0 for ld in loads],
            dtype=np.int64,
        ),
        opens=np.array([_hours(ld.earliest_pickup, -np.inf) for ld in loads], dtype=np.float64),
        closes=np.array([_hours(ld.latest_pickup, np.inf) for ld in loads], dtype=np.float64),
        volume=np.array([ld.volume_m3 or 0.0 for ld in loads], dtype=np.float64),
    )
    return fleet, demand


def deadhead(fleet: Fleet, demand: Demand, v: Ints, ld: Ints) -> Floats:
    """Deadhead km of each pair (v[i], ld[i]): from the vehicle to the load's pickup."""
    return haversine_km(fleet.lon[v], fleet.lat[v], demand.lon[ld], demand.lat[ld])


def checks(fleet: Fleet, demand: Demand, v: Ints, ld: Ints, km: Floats, spec: MatchSpec) -> list[Bools]:
    """The four checks of each pair, in the order of :data:`REASONS` (capacity: weight and volume, type,
    qualification, time window)."""
    need = demand.qual_bits[ld]
    want = demand.type_code[ld]
    with np.errstate(invalid="ignore"):
        arrival = fleet.free_at[v] + km / spec.speed_kmh
    return [
        (fleet.capacity[v] >= demand.weight[ld]) & (fleet.capacity_m3[v] >= demand.volume[ld]),
        (want == -1) | (fleet.type_code[v] == want),
        (fleet.qual_bits[v] & need) == need,
        ~(arrival > demand.closes[ld]),
    ]


def feasible(fleet: Fleet, demand: Demand, v: Ints, ld: Ints, km: Floats, spec: MatchSpec) -> Bools:
    """Whether each pair passes every check."""
    ok = np.ones(len(v), dtype=np.bool_)
    for passed in checks(fleet, demand, v, ld, km, spec):
        ok &= passed
    return ok


def reason(fleet: Fleet, demand: Demand, load: int, spec: MatchSpec) -> str:
    """Why ``load`` has no vehicle: the first check that no vehicle passes together with the earlier
    ones, or ``vehicles_taken`` when some vehicle could take it but served another load."""
    v = np.arange(len(fleet.ids), dtype=np.int64)
    ld = np.full(len(v), load, dtype=np.int64)
    km = deadhead(fleet, demand, v, ld)
    alive = np.ones(len(v), dtype=np.bool_)
    for name, passed in zip(REASONS, checks(fleet, demand, v, ld, km, spec), strict=False):
        alive &= passed
        if not alive.any():
            return name
    return REASONS[-1]


def subset_fleet(fleet: Fleet, index: Ints) -> Fleet:
    """The vehicles at ``index`` (copies)."""
    return Fleet(
        [fleet.ids[i] for i in index.tolist()],
        fleet.lon[index],
        fleet.lat[index],
        fleet.capacity[index],
        fleet.type_code[index],
        fleet.qual_bits[index],
        fleet.free_at[index],
        fleet.capacity_m3[index],
    )


def subset_demand(demand: Demand, index: Ints) -> Demand:
    """The loads at ``index`` (copies)."""
    return Demand(
        [demand.ids[j] for j in index.tolist()],
        demand.lon[index],
        demand.lat[index],
        demand.drop_lon[index],
        demand.drop_lat[index],
        demand.weight[index],
        demand.type_code[index],
        demand.qual_bits[index],
        demand.opens[index],
        demand.closes[index],
        demand.volume[index],
    )
