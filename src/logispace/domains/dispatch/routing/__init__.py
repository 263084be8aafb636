"""Route optimization (路径优化), pure: a routing problem in, routes out (PyVRP).

:mod:`.problem` describes depots, vehicle groups, stops and pickup-and-delivery pairs;
:func:`solve` runs PyVRP for a time; :mod:`.vrplib_files` reads VRPTW instances of CVRPLIB.
"""

from logispace.domains.dispatch.routing.check import route_distance, violations
from logispace.domains.dispatch.routing.problem import (
    NO_LIMIT,
    Depot,
    Pair,
    PlannedRoute,
    RoutingProblem,
    RoutingResult,
    Stop,
    VehicleGroup,
)
from logispace.domains.dispatch.routing.solver import problem_data, solve
from logispace.domains.dispatch.routing.vrplib_files import (
    SCALE,
    Instance,
    dimacs_matrix,
    read_best_known,
    read_instance,
)

__all__ = [
    "NO_LIMIT",
    "SCALE",
    "Depot",
    "Instance",
    "Pair",
    "PlannedRoute",
    "RoutingProblem",
    "RoutingResult",
    "Stop",
    "VehicleGroup",
    "dimacs_matrix",
    "problem_data",
    "read_best_known",
    "read_instance",
    "route_distance",
    "solve",
    "violations",
]
