"""Chaining (多趟配载): several loads per vehicle over a day, each next pickup near the last drop.

Round by round: every vehicle still free is matched (:func:`~.solver.match_arrays`, most loads
first, then fewest deadhead km) to the loads still open; a vehicle that took a load moves to its drop,
free again after the pickup handling, the loaded drive (haversine km at ``spec.speed_kmh``) and the
drop handling. The next round thus looks for backhauls (回程货) near the drops. It stops when a round
serves nothing or every vehicle carried ``spec.max_loads_per_vehicle`` loads. Each round is optimal
for itself; the day as a whole is not (a greedy sequence of optimal rounds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from logispace.domains.dispatch.matching.arrays import encode, haversine_km, subset_demand, subset_fleet
from logispace.domains.dispatch.matching.problem import Load, MatchSpec, Unassigned, Vehicle
from logispace.domains.dispatch.matching.solver import check_unique, match_arrays


@dataclass(frozen=True)
class Leg:
    """One load of a vehicle's chain: the round it was matched in and its deadhead and loaded km."""

    round: int
    vehicle_id: str
    load_id: str
    deadhead_km: float
    loaded_km: float


@dataclass(frozen=True)
class ChainResult:
    """The legs of every vehicle in order, and the loads no round served with their reasons."""

    legs: tuple[Leg, ...]
    unassigned: tuple[Unassigned, ...]

    @property
    def total_deadhead_km(self) -> float:
        return round(sum(leg.deadhead_km for leg in self.legs), 3)

    @property
    def total_loaded_km(self) -> float:
        return round(sum(leg.loaded_km for leg in self.legs), 3)

    def chains(self) -> dict[str, list[Leg]]:
        out: dict[str, list[Leg]] = {}
        for leg in sorted(self.legs, key=lambda x: (x.vehicle_id, x.round)):
            out.setdefault(leg.vehicle_id, []).append(leg)
        return out


def chain(vehicles: Sequence[Vehicle], loads: Sequence[Load], spec: MatchSpec | None = None) -> ChainResult:
    """Match round after round (see the module) and return every vehicle's chain of loads. A vehicle
    with no known time stays without a time constraint after its loads too."""
    spec = spec or MatchSpec()
    check_unique(vehicles, loads)
    fleet, demand = encode(vehicles, loads)
    loaded = haversine_km(demand.lon, demand.lat, demand.drop_lon, demand.drop_lat)
    carried = np.zeros(len(fleet.ids), dtype=np.int64)
    open_loads = np.ones(len(demand.ids), dtype=np.bool_)
    legs: list[Leg] = []
    unassigned: tuple[Unassigned, ...] = ()
    for round_no in range(1, spec.max_loads_per_vehicle + 1):
        active = np.flatnonzero(carried < spec.max_loads_per_vehicle)
        todo = np.flatnonzero(open_loads)
        if len(todo) == 0:
            break
        result, pairs = match_arrays(subset_fleet(fleet, active), subset_demand(demand, todo), spec)
        unassigned = result.unassigned
        if not result.assignments:
            break
        for sub_v, sub_l, km in zip(*pairs, strict=True):
            i, j = int(active[sub_v]), int(todo[sub_l])
            arrive = fleet.free_at[i] + km / spec.speed_kmh
            fleet.free_at[i] = (
                max(arrive, demand.opens[j]) + 2 * spec.handling_hours + loaded[j] / spec.speed_kmh
            )
            fleet.lon[i], fleet.lat[i] = demand.drop_lon[j], demand.drop_lat[j]
            carried[i] += 1
            open_loads[j] = False
            legs.append(
                Leg(round_no, fleet.ids[i], demand.ids[j], round(float(km), 3), round(float(loaded[j]), 3))
            )
    return ChainResult(tuple(sorted(legs, key=lambda x: (x.vehicle_id, x.round))), unassigned)
