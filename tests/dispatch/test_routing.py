"""Route optimization (路径优化): PyVRP on hand-made problems, the independent route check, VRPLIB files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from logispace.domains.dispatch.matching import InputError
from logispace.domains.dispatch.routing import (
    Depot,
    Pair,
    PlannedRoute,
    RoutingProblem,
    Stop,
    VehicleGroup,
    dimacs_matrix,
    read_instance,
    route_distance,
    solve,
    violations,
)

DATA = Path(__file__).parent / "data"


def test_dimacs_truncates_to_one_decimal() -> None:
    coords = np.array([[0.0, 0.0], [10.0, 10.0], [3.0, 4.0], [1.0, 1.0]])
    # 14.142 -> 141, 5 -> 50, 1.414 -> 14 (tenths)
    assert dimacs_matrix(coords)[0].tolist() == [0, 141, 50, 14]


def test_tiny_instance_is_solved_to_its_optimum() -> None:
    instance = read_instance(DATA / "tiny.vrp")
    assert instance.client_nodes == (2, 3, 4, 5)
    result = solve(instance.problem, 1.0)
    # Two per vehicle; clients 1 (0,10) and 3 (0,-10) close at 12, so each opens a route:
    # 10 + 14.1 + 10 per route, 68.2 in all.
    assert result.distance == 682
    assert result.feasible
    assert violations(instance.problem, result.routes) == []
    firsts = sorted(route.visits[0][1] + 1 for route in result.routes)
    assert firsts == [1, 3]


def _geo_problem() -> RoutingProblem:
    # Two depots 100 apart on a line; stops near each; a pair picked up and delivered near depot 1;
    # a van (capacity 5) and a truck (50) at depot 0, a truck at depot 1.
    coords = np.array(
        [[0, 0], [100, 0], [0, 10], [10, 0], [100, 10], [90, 0], [95, -5], [100, -10]], dtype=np.float64
    )
    matrix = dimacs_matrix(coords)
    depots = (Depot("west", 0), Depot("east", 1))
    groups = (
        VehicleGroup("van", 1, 5, 0),
        VehicleGroup("truck", 1, 50, 0),
        VehicleGroup("east truck", 1, 50, 1),
    )
    stops = (
        Stop("w1", 2, demand=4, service=5),
        Stop("w2", 3, demand=20, service=5),
        Stop("e1", 4, demand=10, service=5, tw_early=0, tw_late=2000),
        Stop("e2", 5, demand=10, service=5),
    )
    pairs = (Pair("east pair", Stop("p", 6, service=2), Stop("d", 7, service=2), amount=8),)
    return RoutingProblem(coords, matrix, matrix, depots, groups, stops, pairs)


def test_depots_fleet_and_a_pickup_and_delivery_pair() -> None:
    problem = _geo_problem()
    result = solve(problem, 1.0)
    assert result.feasible and result.missing == 0
    assert violations(problem, result.routes) == []
    assert sum(route_distance(problem, r) for r in result.routes) == result.distance
    by_stop = {(kind, i): r for r in result.routes for kind, i in r.visits}
    # the 20-unit stop is too big for the van; each east stop is served from the east depot
    assert problem.groups[by_stop[("stop", 1)].group].capacity == 50
    assert by_stop[("stop", 2)].depot == 1 and by_stop[("stop", 3)].depot == 1
    # the pair rides one vehicle, pickup first, from the east depot
    pair_route = by_stop[("pickup", 0)]
    assert by_stop[("delivery", 0)] is pair_route and pair_route.depot == 1
    order = [v for v in pair_route.visits if v[0] != "stop"]
    assert order == [("pickup", 0), ("delivery", 0)]


def _route(*visits: tuple[str, int], group: int = 1, depot: int = 0) -> PlannedRoute:
    return PlannedRoute(group, depot, tuple(visits), 0, 0, 0, 0)


ALL = [("stop", 0), ("stop", 1), ("stop", 2), ("stop", 3), ("pickup", 0), ("delivery", 0)]

BROKEN = [
    ("everything once", [_route(*ALL[:2], group=1), _route(*ALL[2:], group=2, depot=1)], []),
    (
        "over capacity",
        [_route(*ALL[:2], group=0), _route(*ALL[2:], group=2, depot=1)],
        ["route 1: carries 24, over the capacity 5"],
    ),
    ("a stop twice", [_route(*ALL), _route(("stop", 0), group=2, depot=1)], ["stop w1 served 2 times"]),
    ("a stop missing", [_route(*ALL[1:])], ["stop w1 served 0 times"]),
    (
        "delivery first",
        [_route(*ALL[:4], ("delivery", 0), ("pickup", 0))],
        ["route 1: pair east pair delivered before its pickup"],
    ),
]


@pytest.mark.parametrize(("case", "routes", "expected"), BROKEN, ids=[c[0] for c in BROKEN])
def test_route_check_names_what_is_broken(case: str, routes: list[PlannedRoute], expected: list[str]) -> None:
    assert violations(_geo_problem(), routes) == expected


def test_route_check_catches_a_late_visit() -> None:
    problem = _geo_problem()
    stops = list(problem.stops)
    stops[2] = Stop("e1", 4, demand=10, service=5, tw_early=0, tw_late=50)
    tight = RoutingProblem(
        problem.coords,
        problem.distance,
        problem.duration,
        problem.depots,
        problem.groups,
        tuple(stops),
        problem.pairs,
    )
    # from the west depot, e1 (100, 10) is over 100 away: reached after 50
    found = violations(tight, [_route(*ALL)])
    assert found[0].startswith("route 1: stop e1 reached at")


TINY = (DATA / "tiny.vrp").read_text()

BAD_FILES = [
    ("not VRPLIB", "hello\n", "file", "is not a VRPLIB instance"),
    (
        "window closes first",
        TINY.replace("4 0 12", "4 20 12"),
        "TIME_WINDOW_SECTION",
        "node 4: closes (12) before it opens (20)",
    ),
    ("negative demand", TINY.replace("3 5\n", "3 -5\n"), "DEMAND_SECTION", "node 3: negative demand"),
    (
        "no time windows",
        TINY.split("TIME_WINDOW_SECTION")[0] + "DEPOT_SECTION\n1\n-1\nEOF\n",
        "TIME_WINDOW_SECTION",
        "section missing",
    ),
    ("no capacity", TINY.replace("CAPACITY : 10\n", ""), "CAPACITY", "header missing"),
    (
        "depot outside",
        TINY.replace("DEPOT_SECTION\n1\n", "DEPOT_SECTION\n9\n"),
        "DEPOT_SECTION",
        "node 9 is not among",
    ),
]


@pytest.mark.parametrize(("case", "text", "field", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_instance_files_name_section_and_node(
    tmp_path: Path, case: str, text: str, field: str, message: str
) -> None:
    path = tmp_path / "bad.vrp"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read_instance(path)
    assert caught.value.field == field
    assert message in caught.value.message


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_instance(tmp_path / "none.vrp")
