"""Matching (车货匹配): serve as many loads as possible, then drive the fewest empty km to them.

* exact, for batches of at most ``spec.exact_limit`` vehicle-load pairs: scipy's
  ``linear_sum_assignment`` on the deadhead matrix where a feasible pair costs ``km - BIG`` and an
  infeasible one 0 (``BIG`` larger than any sum of deadheads), so every extra served load outweighs
  any deadhead saving; infeasible pairs it picks are dropped.
* pruned, for larger ones: OR-Tools' min-cost max-flow on a sparse graph where each load keeps only
  its ``spec.neighbours`` nearest feasible vehicles (a k-d tree on the unit sphere finds them); loads
  left over get arcs to their nearest unused feasible vehicles and the flow is solved again, until no
  more loads are served. Its total is measured against the exact optimum in
  ``bench/dispatch_match.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

from logispace.domains.dispatch.matching.arrays import (
    EARTH_RADIUS_KM,
    Bools,
    Demand,
    Fleet,
    Floats,
    Ints,
    deadhead,
    encode,
    feasible,
    reason,
)
from logispace.domains.dispatch.matching.problem import (
    Assignment,
    InputError,
    Load,
    MatchResult,
    MatchSpec,
    Unassigned,
    Vehicle,
)

METRES = 1000  # the flow's integer costs are metres


def match(vehicles: Sequence[Vehicle], loads: Sequence[Load], spec: MatchSpec | None = None) -> MatchResult:
    """One load per vehicle at most; exact or pruned by the batch size (see the module). A vehicle or
    load id given twice is an :class:`InputError` naming the row."""
    spec = spec or MatchSpec()
    check_unique(vehicles, loads)
    fleet, demand = encode(vehicles, loads)
    return match_arrays(fleet, demand, spec)[0]


def match_arrays(
    fleet: Fleet, demand: Demand, spec: MatchSpec
) -> tuple[MatchResult, tuple[Ints, Ints, Floats]]:
    """:func:`match` on encoded arrays, also returning the chosen pairs as index arrays (vehicle,
    load, km); the chaining mode calls it round after round."""
    n, m = len(fleet.ids), len(demand.ids)
    if n == 0 or m == 0:
        empty = np.empty(0, np.int64)
        pairs: tuple[Ints, Ints, Floats] = (empty, empty, np.empty(0))
        method = "exact"
    elif n * m <= spec.exact_limit:
        pairs, method = _exact(fleet, demand, spec), "exact"
    else:
        pairs, method = _pruned(fleet, demand, spec), "pruned"
    v, ld, km = pairs
    order = np.argsort(ld, kind="stable")
    assignments = tuple(Assignment(fleet.ids[v[i]], demand.ids[ld[i]], round(float(km[i]), 3)) for i in order)
    served = set(ld.tolist())
    unassigned = tuple(
        Unassigned(demand.ids[j], reason(fleet, demand, j, spec)) for j in range(m) if j not in served
    )
    return MatchResult(assignments, unassigned, method), pairs


def check_unique(vehicles: Sequence[Vehicle], loads: Sequence[Load]) -> None:
    for kind, ids in (
        ("vehicle_id", [v.vehicle_id for v in vehicles]),
        ("load_id", [x.load_id for x in loads]),
    ):
        seen: set[str] = set()
        for row, key in enumerate(ids, start=1):
            if key in seen:
                raise InputError(kind, f"{key} appears twice", row)
            seen.add(key)


def _exact(fleet: Fleet, demand: Demand, spec: MatchSpec) -> tuple[Ints, Ints, Floats]:
    n, m = len(fleet.ids), len(demand.ids)
    v = np.repeat(np.arange(n, dtype=np.int64), m)
    ld = np.tile(np.arange(m, dtype=np.int64), n)
    km = deadhead(fleet, demand, v, ld)
    ok = feasible(fleet, demand, v, ld, km, spec)
    big = (float(km[ok].max()) + 1.0) * (min(n, m) + 1) if ok.any() else 1.0
    cost = np.where(ok, km - big, 0.0).reshape(n, m)
    rows, cols = linear_sum_assignment(cost)
    keep = ok.reshape(n, m)[rows, cols]
    rows, cols = rows[keep].astype(np.int64), cols[keep].astype(np.int64)
    return rows, cols, km.reshape(n, m)[rows, cols]


def _unit_vectors(lon: Floats, lat: Floats) -> Floats:
    phi, lmb = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)))


def _chord_km(chord: Floats) -> Floats:
    """Great-circle km of a chord of the unit sphere (the k-d tree's distance): the haversine km."""
    out: Floats = 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2, 0.0, 1.0))
    return out


CAPACITY_CLASSES = 64


def _capacity_floor(capacity: Floats, weight: Floats) -> Floats:
    """For each load, a payload every vehicle able to carry it has (the k-d tree of its group holds
    only vehicles at or above it). With few distinct payloads in the fleet, the smallest one that
    carries the weight (exact); otherwise the largest of ``CAPACITY_CLASSES`` quantiles at or under
    the weight (a lower bound). A weight above every payload gets +inf: no vehicle."""
    if len(capacity) == 0:
        return np.full(len(weight), np.inf)
    grid = np.unique(capacity)
    if len(grid) <= CAPACITY_CLASSES:
        at = np.searchsorted(grid, weight, side="left")
        return np.where(at < len(grid), grid[np.minimum(at, len(grid) - 1)], np.inf)
    grid = np.unique(np.quantile(capacity, np.linspace(0, 1, CAPACITY_CLASSES)))
    at = np.searchsorted(grid, weight, side="right") - 1
    floor = np.where(at >= 0, grid[np.maximum(at, 0)], -np.inf)
    return np.where(weight > grid[-1], np.inf, floor)


def _candidates(
    fleet: Fleet, demand: Demand, spec: MatchSpec, loads: Ints, allowed: Bools
) -> tuple[Ints, Ints, Floats]:
    """Each of ``loads``' nearest ``spec.neighbours`` feasible vehicles among ``allowed``. Loads are
    grouped by what they ask of a vehicle (type, qualifications, a capacity floor); each group
    queries a k-d tree of the vehicles that have it for ``spec.reach`` times as many, keeps the
    feasible (capacity, time),
    and asks again, four times as far, for the loads that query left short, until each has its
    ``neighbours`` or has been checked against every such vehicle (all at once, never load by load)."""
    k = spec.neighbours
    out: list[tuple[Ints, Ints, Floats]] = []
    floor = _capacity_floor(fleet.capacity[allowed], demand.weight[loads])
    _, signature = np.unique(
        np.column_stack((demand.type_code[loads], demand.qual_bits[loads], floor)),
        axis=0,
        return_inverse=True,
    )
    signature = signature.ravel()
    for key in range(int(signature.max(initial=-1)) + 1):
        group = loads[signature == key]
        want, need = demand.type_code[group[0]], demand.qual_bits[group[0]]
        fits = allowed & ((fleet.qual_bits & need) == need) & (fleet.capacity >= floor[signature == key][0])
        if want != -1:
            fits &= fleet.type_code == want
        pool = np.flatnonzero(fits).astype(np.int64)
        if len(pool) == 0:
            continue
        tree = cKDTree(_unit_vectors(fleet.lon[pool], fleet.lat[pool]))
        points = _unit_vectors(demand.lon[group], demand.lat[group])
        todo = np.arange(len(group), dtype=np.int64)
        reach = min(len(pool), spec.reach * k)
        while len(todo):
            chord, near = tree.query(points[todo], k=reach)
            near = np.asarray(near, dtype=np.int64).reshape(len(todo), reach)
            v = pool[near].ravel()
            ld = np.repeat(group[todo], reach)
            km = _chord_km(np.asarray(chord, dtype=np.float64).ravel())
            ok = feasible(fleet, demand, v, ld, km, spec).reshape(len(todo), reach)
            rank = np.cumsum(ok, axis=1)
            short = rank[:, -1] < k if reach < len(pool) else np.zeros(len(todo), dtype=np.bool_)
            keep = (ok & (rank <= k) & ~short[:, None]).ravel()
            out.append((v[keep], ld[keep], km[keep]))
            todo, reach = todo[short], min(len(pool), reach * 4)
    if not out:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0)
    return tuple(np.concatenate(parts) for parts in zip(*out, strict=True))  # type: ignore[return-value]


def _reverse_candidates(
    fleet: Fleet, demand: Demand, spec: MatchSpec, vehicles: Ints | None = None
) -> tuple[Ints, Ints, Floats]:
    """Each vehicle's (or each of ``vehicles``') feasible loads among its ``spec.neighbours`` nearest
    pickups, so that a vehicle no load counts among its nearest still gets arcs."""
    chosen = np.arange(len(fleet.ids), dtype=np.int64) if vehicles is None else vehicles
    reach = min(len(demand.ids), spec.reverse_neighbours)
    if len(chosen) == 0 or reach == 0:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0)
    _, near = cKDTree(_unit_vectors(demand.lon, demand.lat)).query(
        _unit_vectors(fleet.lon[chosen], fleet.lat[chosen]), k=reach
    )
    ld = np.asarray(near, dtype=np.int64).reshape(len(chosen), reach).ravel()
    v = np.repeat(chosen, reach)
    km = deadhead(fleet, demand, v, ld)
    ok = feasible(fleet, demand, v, ld, km, spec)
    return v[ok], ld[ok], km[ok]


def _flow(n: int, m: int, v: Ints, ld: Ints, km: Floats) -> tuple[Ints, Ints, Floats]:
    """Min-cost max-flow: source -> vehicle (1) -> load (1, deadhead metres) -> sink: as many loads
    as the graph can serve and, among those flows, the fewest metres."""
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n + m, n + m + 1
    cost = np.rint(km * METRES).astype(np.int64)
    tails = np.concatenate((np.full(n, source), v, n + np.arange(m))).astype(np.int64)
    heads = np.concatenate((np.arange(n), n + ld, np.full(m, sink))).astype(np.int64)
    costs = np.concatenate((np.zeros(n, np.int64), cost, np.zeros(m, np.int64)))
    caps = np.ones(len(tails), dtype=np.int64)
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, min(n, m))
    flow.set_node_supply(sink, -min(n, m))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - the graph is always well formed
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = flow.flows(arcs[n : n + len(v)]) > 0
    return v[used], ld[used], km[used]


def _unique(v: Ints, ld: Ints, km: Floats) -> tuple[Ints, Ints, Floats]:
    """The arcs once each (a load's nearest and a vehicle's nearest often name the same pair)."""
    _, first = np.unique(v * (int(ld.max(initial=0)) + 1) + ld, return_index=True)
    return v[first], ld[first], km[first]


DENSE_PAIRS = 64_000_000
"""Up to this many vehicle-load pairs, the arcs already in the graph are remembered in a flat array of
one byte per pair (64 MB at most, allocated lazily by the system) instead of sorting the arcs."""


class _Arcs:
    """The graph's arcs, each once. Every batch added holds each pair at most once (a load's nearest
    vehicles are distinct, so are a vehicle's nearest loads), so only pairs already in the graph are
    dropped: by a look-up in a byte per pair (no sort of all the arcs), or by :func:`_unique` beyond
    :data:`DENSE_PAIRS`."""

    def __init__(self, n: int, m: int) -> None:
        self.m = m
        self.seen = np.zeros(n * m, dtype=np.bool_) if n * m <= DENSE_PAIRS else None
        empty = np.empty(0, np.int64)
        self.arcs: tuple[Ints, Ints, Floats] = (empty, empty, np.empty(0))

    def add(self, v: Ints, ld: Ints, km: Floats) -> None:
        if self.seen is None:
            merged = (np.concatenate(p) for p in zip(self.arcs, (v, ld, km), strict=True))
            self.arcs = _unique(*merged)
            return
        key = v * self.m + ld
        new = ~self.seen[key]
        self.seen[key[new]] = True
        self.arcs = tuple(  # type: ignore[assignment]
            np.concatenate((old, part[new])) for old, part in zip(self.arcs, (v, ld, km), strict=True)
        )


def _can_serve_more(n: int, m: int, v: Ints, ld: Ints, served: tuple[Ints, Ints]) -> bool:
    """Whether the arcs hold an augmenting path for the matching ``served`` (vehicles, loads): a
    breadth-first search from the unserved loads, through arcs to vehicles and from a taken vehicle
    to the load it serves, that reaches a free vehicle. Linear in the arcs, far cheaper than solving
    the min-cost flow again to learn that it serves no more."""
    by_load = csr_matrix((np.ones(len(v), dtype=np.int8), (ld, v)), shape=(m, n))
    load_of = np.full(n, -1, dtype=np.int64)
    load_of[served[0]] = served[1]
    unserved = np.ones(m, dtype=np.bool_)
    unserved[served[1]] = False
    frontier = np.flatnonzero(unserved)
    seen_vehicle = np.zeros(n, dtype=np.bool_)
    while len(frontier):
        reached = np.unique(by_load[frontier].indices)
        reached = reached[~seen_vehicle[reached]]
        if (load_of[reached] < 0).any():
            return True
        seen_vehicle[reached] = True
        frontier = load_of[reached]
    return False


def _pruned(fleet: Fleet, demand: Demand, spec: MatchSpec) -> tuple[Ints, Ints, Floats]:
    n, m = len(fleet.ids), len(demand.ids)
    every = np.ones(n, dtype=np.bool_)
    graph = _Arcs(n, m)
    graph.add(*_candidates(fleet, demand, spec, np.arange(m, dtype=np.int64), every))
    graph.add(*_reverse_candidates(fleet, demand, spec))
    v, ld, km = graph.arcs
    best = _flow(n, m, v, ld, km)
    while True:
        free = np.ones(n, dtype=np.bool_)
        free[best[0]] = False
        if len(best[0]) == m or not free.any():
            return best
        # Every load gets arcs to its nearest free feasible vehicles: a leftover load reaches them
        # directly, or through an alternating path (it takes a served load's vehicle, which moves
        # that load to a free one). The flow is solved again only when those arcs serve more.
        extra = _candidates(fleet, demand, spec, np.arange(m, dtype=np.int64), free)
        if len(extra[0]) == 0:
            return best
        graph.add(*extra)
        v, ld, km = graph.arcs
        if not _can_serve_more(n, m, v, ld, (best[0], best[1])):
            return best
        again = _flow(n, m, v, ld, km)
        if len(again[0]) <= len(best[0]):
            return best
        best = again
