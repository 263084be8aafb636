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
from scipy.spatial import cKDTree

from logispace.domains.dispatch.matching.arrays import (
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


def _candidates(
    fleet: Fleet, demand: Demand, spec: MatchSpec, loads: Ints, allowed: Bools
) -> tuple[Ints, Ints, Floats]:
    """Each of ``loads``' nearest ``spec.neighbours`` feasible vehicles among ``allowed``. Loads are
    grouped by what they ask of a vehicle (type, qualifications); each group queries a k-d tree of
    the vehicles that have it for ``spec.reach`` times as many, keeps the feasible (capacity, time),
    and a load that query leaves short is checked against every such vehicle."""
    k = spec.neighbours
    out: list[tuple[Ints, Ints, Floats]] = []
    signature = demand.type_code[loads] * (1 << 32) + demand.qual_bits[loads]
    for key in np.unique(signature).tolist():
        group = loads[signature == key]
        want, need = demand.type_code[group[0]], demand.qual_bits[group[0]]
        fits = allowed & ((fleet.qual_bits & need) == need)
        if want != -1:
            fits &= fleet.type_code == want
        pool = np.flatnonzero(fits).astype(np.int64)
        if len(pool) == 0:
            continue
        reach = min(len(pool), spec.reach * k)
        tree = cKDTree(_unit_vectors(fleet.lon[pool], fleet.lat[pool]))
        _, near = tree.query(_unit_vectors(demand.lon[group], demand.lat[group]), k=reach)
        v = pool[np.asarray(near, dtype=np.int64).reshape(len(group), reach)].ravel()
        ld = np.repeat(group, reach)
        km = deadhead(fleet, demand, v, ld)
        ok = feasible(fleet, demand, v, ld, km, spec).reshape(len(group), reach)
        rank = np.cumsum(ok, axis=1)
        keep = (ok & (rank <= k)).ravel()
        out.append((v[keep], ld[keep], km[keep]))
        short = group[rank[:, -1] < k] if reach < len(pool) else np.empty(0, np.int64)
        for j in short.tolist():
            lj = np.full(len(pool), j, dtype=np.int64)
            kj = deadhead(fleet, demand, pool, lj)
            pick = np.flatnonzero(feasible(fleet, demand, pool, lj, kj, spec))
            pick = pick[np.argsort(kj[pick], kind="stable")[:k]]
            out.append((pool[pick], lj[pick], kj[pick]))
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
    reach = min(len(demand.ids), spec.neighbours)
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


def _pruned(fleet: Fleet, demand: Demand, spec: MatchSpec) -> tuple[Ints, Ints, Floats]:
    n, m = len(fleet.ids), len(demand.ids)
    every = np.ones(n, dtype=np.bool_)
    graph = [_candidates(fleet, demand, spec, np.arange(m, dtype=np.int64), every)]
    graph.append(_reverse_candidates(fleet, demand, spec))
    v, ld, km = (np.concatenate(parts) for parts in zip(*graph, strict=True))
    best = _flow(n, m, v, ld, km)
    while True:
        free = np.ones(n, dtype=np.bool_)
        free[best[0]] = False
        if len(best[0]) == m or not free.any():
            return best
        # Every load gets arcs to its nearest free feasible vehicles: a leftover load reaches them
        # directly, or through an alternating path (it takes a served load's vehicle, which moves
        # that load to a free one).
        extra = _candidates(fleet, demand, spec, np.arange(m, dtype=np.int64), free)
        if len(extra[0]) == 0:
            return best
        v, ld, km = (np.concatenate(parts) for parts in zip((v, ld, km), extra, strict=True))
        again = _flow(n, m, v, ld, km)
        if len(again[0]) <= len(best[0]):
            return best
        best = again
