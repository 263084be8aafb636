"""The routing problem (路径优化): depots, a heterogeneous fleet, stops and pickup-and-delivery pairs.

All quantities are integers in the caller's units (the VRPLIB reader uses the DIMACS tenths; the
platform uses metres and seconds). Each object checks itself and names the wrong field
(:class:`~logispace.domains.dispatch.matching.InputError`). ``NO_LIMIT`` stands for an open window.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from logispace.domains.dispatch.matching import InputError

NO_LIMIT = 2**53
"""A time window's end when there is none (large, yet far from integer overflow in sums)."""


def _window(early: int, late: int) -> None:
    if early < 0:
        raise InputError("tw_early", f"must be zero or more, not {early}")
    if late < early:
        raise InputError("tw_late", f"the time window closes ({late}) before it opens ({early})")


@dataclass(frozen=True)
class Depot:
    """A depot (场站): where vehicles start and end, open from ``tw_early`` to ``tw_late``."""

    name: str
    location: int
    tw_early: int = 0
    tw_late: int = NO_LIMIT

    def __post_init__(self) -> None:
        _window(self.tw_early, self.tw_late)


@dataclass(frozen=True)
class Stop:
    """A stop (配送点) served from a depot: ``demand`` units delivered, ``service`` time spent."""

    name: str
    location: int
    demand: int = 0
    service: int = 0
    tw_early: int = 0
    tw_late: int = NO_LIMIT

    def __post_init__(self) -> None:
        if self.demand < 0:
            raise InputError("demand", f"must be zero or more, not {self.demand}")
        if self.service < 0:
            raise InputError("service", f"must be zero or more, not {self.service}")
        _window(self.tw_early, self.tw_late)


@dataclass(frozen=True)
class Pair:
    """A pickup-and-delivery pair (取送货): ``amount`` units picked up at one stop, delivered at the
    other by the same vehicle; each end has its own window and service time (the ``demand`` of the
    two stops is ignored)."""

    name: str
    pickup: Stop
    delivery: Stop
    amount: int

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise InputError("amount", f"must be zero or more, not {self.amount}")


@dataclass(frozen=True)
class VehicleGroup:
    """Identical vehicles (车组) based at one depot: how many, their capacity and working hours."""

    name: str
    count: int
    capacity: int
    depot: int
    tw_early: int = 0
    tw_late: int = NO_LIMIT

    def __post_init__(self) -> None:
        if self.count < 1:
            raise InputError("count", f"must be at least 1, not {self.count}")
        if self.capacity < 0:
            raise InputError("capacity", f"must be zero or more, not {self.capacity}")
        _window(self.tw_early, self.tw_late)


@dataclass(frozen=True)
class RoutingProblem:
    """Locations are row/column indices of the ``distance`` and ``duration`` matrices; ``coords``
    (x, y per location) only feed the solver's neighbourhoods and the drawn map."""

    coords: npt.NDArray[np.float64]
    distance: npt.NDArray[np.int64]
    duration: npt.NDArray[np.int64]
    depots: tuple[Depot, ...]
    groups: tuple[VehicleGroup, ...]
    stops: tuple[Stop, ...] = ()
    pairs: tuple[Pair, ...] = field(default=())

    def __post_init__(self) -> None:
        size = len(self.coords)
        for name, matrix in (("distance", self.distance), ("duration", self.duration)):
            if matrix.shape != (size, size):
                raise InputError(name, f"must be {size} x {size}, not {matrix.shape}")
            if (matrix < 0).any():
                raise InputError(name, "has a negative entry")
        if not self.depots:
            raise InputError("depots", "at least one depot is needed")
        if not self.groups:
            raise InputError("groups", "at least one vehicle group is needed")
        places = [d.location for d in self.depots] + [s.location for s in self.stops]
        places += [p.pickup.location for p in self.pairs] + [p.delivery.location for p in self.pairs]
        for location in places:
            if not 0 <= location < size:
                raise InputError("location", f"{location} is not a row of the matrices")
        for group in self.groups:
            if not 0 <= group.depot < len(self.depots):
                raise InputError("depot", f"group {group.name} names depot {group.depot}, which is not given")


@dataclass(frozen=True)
class PlannedRoute:
    """One vehicle's route: its group, depot, visits in order (stop index, or ``("pickup"|"delivery",
    pair index)``), distance, duration and the largest load on board."""

    group: int
    depot: int
    visits: tuple[tuple[str, int], ...]
    distance: int
    duration: int
    start: int
    end: int


@dataclass(frozen=True)
class RoutingResult:
    """The best plan found: routes, total distance, whether every constraint holds, stops left out."""

    routes: tuple[PlannedRoute, ...]
    distance: int
    feasible: bool
    missing: int
    runtime_s: float
