"""An independent check of planned routes (路径校验): capacity, time windows, every stop once.

It replays each route on the problem's own matrices (not the solver's figures): the vehicle leaves
its depot when the group's and the depot's windows open, waits for a window that is not yet open, and
a visit after its window closes is a violation; so is a load over capacity, a stop served twice or
not at all, or a pair's delivery before (or without) its pickup.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from logispace.domains.dispatch.routing.problem import PlannedRoute, RoutingProblem, Stop


def route_distance(problem: RoutingProblem, route: PlannedRoute) -> int:
    """The route's distance on ``problem.distance``, depot to depot."""
    depot = problem.depots[route.depot].location
    path = [depot] + [_stop(problem, kind, index).location for kind, index in route.visits] + [depot]
    return int(sum(int(problem.distance[a, b]) for a, b in pairwise(path)))


def _stop(problem: RoutingProblem, kind: str, index: int) -> Stop:
    if kind == "stop":
        return problem.stops[index]
    pair = problem.pairs[index]
    return pair.pickup if kind == "pickup" else pair.delivery


def violations(problem: RoutingProblem, routes: Sequence[PlannedRoute]) -> list[str]:
    """Every rule the routes break, in words; an empty list when they keep them all."""
    out: list[str] = []
    seen: dict[tuple[str, int], int] = {}
    for number, route in enumerate(routes, start=1):
        group = problem.groups[route.group]
        depot = problem.depots[group.depot]
        time = max(group.tw_early, depot.tw_early)
        place = depot.location
        load = sum(problem.stops[i].demand for kind, i in route.visits if kind == "stop")
        peak = load
        picked: set[int] = set()
        for kind, index in route.visits:
            seen[(kind, index)] = seen.get((kind, index), 0) + 1
            stop = _stop(problem, kind, index)
            time = max(time + int(problem.duration[place, stop.location]), stop.tw_early)
            if time > stop.tw_late:
                out.append(
                    f"route {number}: {kind} {stop.name} reached at {time}, after its window ({stop.tw_late})"
                )
            time += stop.service
            place = stop.location
            if kind == "stop":
                load -= stop.demand
            elif kind == "pickup":
                load += problem.pairs[index].amount
                picked.add(index)
            else:
                if index not in picked:
                    out.append(
                        f"route {number}: pair {problem.pairs[index].name} delivered before its pickup"
                    )
                load -= problem.pairs[index].amount
            peak = max(peak, load)
        if peak > group.capacity:
            out.append(f"route {number}: carries {peak}, over the capacity {group.capacity}")
        back = time + int(problem.duration[place, depot.location])
        if back > min(group.tw_late, depot.tw_late):
            out.append(f"route {number}: back at the depot at {back}, after it closes")
    wanted = [("stop", i) for i in range(len(problem.stops))]
    wanted += [(k, i) for i in range(len(problem.pairs)) for k in ("pickup", "delivery")]
    for key in wanted:
        count = seen.get(key, 0)
        if count != 1:
            out.append(f"{key[0]} {_stop(problem, *key).name} served {count} times")
    return out
