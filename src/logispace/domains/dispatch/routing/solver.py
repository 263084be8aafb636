"""Route optimization (路径优化) with PyVRP: its hybrid genetic search solves the capacitated vehicle
routing problem with time windows, service times, several depots, a heterogeneous fleet (a vehicle
type per group) and pickup-and-delivery pairs (PyVRP shipments: both ends on one route, pickup first).

What PyVRP does not model here: a load's weight and volume together (one capacity dimension is used),
road networks (distances come from the caller's matrix: straight or haversine, not routed roads), live
traffic (durations are fixed per edge), drivers' rest rules, and guarantees of optimality (a time
limit ends the search; ``bench/dispatch_vrptw.py`` measures the gap to best-known solutions).
"""

from __future__ import annotations

import time

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from logispace.domains.dispatch.routing.problem import NO_LIMIT, PlannedRoute, RoutingProblem, RoutingResult

KIND = {
    pyvrp.ActivityType.CLIENT: "stop",
    pyvrp.ActivityType.PICKUP: "pickup",
    pyvrp.ActivityType.DELIVERY: "delivery",
}


def problem_data(problem: RoutingProblem) -> pyvrp.ProblemData:
    """PyVRP's problem data of ``problem``: a location per matrix row, the matrices as given."""
    locations = [pyvrp.Location(float(x), float(y)) for x, y in problem.coords]
    depots = [
        pyvrp.Depot(d.location, tw_early=d.tw_early, tw_late=_late(d.tw_late), name=d.name)
        for d in problem.depots
    ]
    vehicle_types = [
        pyvrp.VehicleType(
            g.count,
            capacity=[g.capacity],
            start_depot=g.depot,
            end_depot=g.depot,
            tw_early=g.tw_early,
            tw_late=_late(g.tw_late),
            name=g.name,
        )
        for g in problem.groups
    ]
    clients = [
        pyvrp.Client(
            s.location,
            delivery=[s.demand],
            pickup=[0],
            service_duration=s.service,
            tw_early=s.tw_early,
            tw_late=_late(s.tw_late),
            name=s.name,
        )
        for s in problem.stops
    ]
    shipments = [
        pyvrp.Shipment(
            p.pickup.location,
            p.delivery.location,
            pickup_tw_early=p.pickup.tw_early,
            pickup_tw_late=_late(p.pickup.tw_late),
            pickup_service_duration=p.pickup.service,
            delivery_tw_early=p.delivery.tw_early,
            delivery_tw_late=_late(p.delivery.tw_late),
            delivery_service_duration=p.delivery.service,
            amount=[p.amount],
            name=p.name,
        )
        for p in problem.pairs
    ]
    return pyvrp.ProblemData(
        locations,
        clients,
        depots,
        vehicle_types,
        [np.ascontiguousarray(problem.distance, dtype=np.int64)],  # type: ignore[list-item]
        [np.ascontiguousarray(problem.duration, dtype=np.int64)],  # type: ignore[list-item]
        shipments=shipments,
    )


def _late(value: int) -> int:
    return int(np.iinfo(np.int64).max) if value >= NO_LIMIT else value


class CpuTime:
    """A PyVRP stopping criterion: this process's CPU seconds since the search began (on a shared
    machine a wall-clock limit gives the search only the CPU share other jobs leave it)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started: float | None = None

    def __call__(self, best_cost: float) -> bool:
        del best_cost
        now = time.process_time()
        if self.started is None:
            self.started = now
        return now - self.started >= self.seconds


def solve(problem: RoutingProblem, seconds: float, seed: int = 1, cpu_time: bool = False) -> RoutingResult:
    """The best plan PyVRP finds in ``seconds`` of search: wall-clock seconds, or this process's CPU
    seconds with ``cpu_time``."""
    if not seconds > 0:
        raise ValueError(f"seconds: must be more than zero, not {seconds}")
    started = time.perf_counter()
    data = problem_data(problem)
    stop = CpuTime(seconds) if cpu_time else MaxRuntime(seconds)
    result = pyvrp.solve(data, stop, seed=seed, display=False)
    best = result.best
    routes = []
    for route in best.routes():
        visits = tuple((KIND[a.type], a.idx) for a in route.schedule() if not a.is_depot())
        routes.append(
            PlannedRoute(
                group=route.vehicle_type(),
                depot=route.start_depot(),
                visits=visits,
                distance=route.distance(),
                duration=route.duration(),
                start=route.start_time(),
                end=route.end_time(),
            )
        )
    return RoutingResult(
        routes=tuple(routes),
        distance=best.distance(),
        feasible=best.is_feasible(),
        missing=best.num_missing_clients(),
        runtime_s=round(time.perf_counter() - started, 3),
    )
