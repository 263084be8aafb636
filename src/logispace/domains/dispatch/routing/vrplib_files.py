"""VRPTW instances in the VRPLIB format of CVRPLIB (read with the ``vrplib`` package).

Sections NODE_COORD, DEMAND, TIME_WINDOW and DEPOT; ``SERVICE_TIME`` as a header (one value for every
node) or a section; ``CAPACITY`` and ``VEHICLES`` headers (without ``VEHICLES``, one vehicle per
client). Distances and durations follow the DIMACS convention of the best-known solutions: Euclidean,
truncated to one decimal; the solver works in tenths (``SCALE``), so a cost of 424448 is 42444.8.
Clients are numbered as in the ``.sol`` files: the depot is 0 and the file's node k is client k - 1
(with several depots, the non-depot nodes are numbered 1, 2, ... in file order).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import vrplib

from logispace.domains.dispatch.matching import InputError
from logispace.domains.dispatch.routing.problem import Depot, RoutingProblem, Stop, VehicleGroup

SCALE = 10
"""DIMACS: distances truncated to one decimal, so integers of tenths."""


@dataclass(frozen=True)
class Instance:
    """An instance read from a file: its name, the routing problem and the file node of each client."""

    name: str
    problem: RoutingProblem
    client_nodes: tuple[int, ...]
    """File node number (1-based) of each client, in client order."""


def dimacs_matrix(coords: np.ndarray) -> np.ndarray:
    """Euclidean distances truncated to one decimal, in tenths (integers)."""
    diff = coords[:, None, :] - coords[None, :, :]
    out: np.ndarray = np.floor(np.sqrt((diff**2).sum(axis=2)) * SCALE + 1e-9).astype(np.int64)
    return out


def _tenths(values: Any) -> np.ndarray:
    """Times scaled to the solver's tenths, truncated like the distances."""
    out: np.ndarray = np.floor(np.asarray(values, dtype=np.float64) * SCALE + 1e-9).astype(np.int64)
    return out


def _section(instance: dict[str, Any], key: str, size: int, width: int | None = None) -> np.ndarray:
    if key not in instance:
        raise InputError(f"{key.upper()}_SECTION", "section missing")
    values = np.asarray(instance[key])
    shape = (size,) if width is None else (size, width)
    if values.shape != shape:
        raise InputError(f"{key.upper()}_SECTION", f"has {len(values)} rows, DIMENSION says {size}")
    return values


def _header(instance: dict[str, Any], key: str, default: int | None = None) -> int:
    value = instance.get(key, default)
    if value is None:
        raise InputError(key.upper(), "header missing")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(key.upper(), f"not a number: {value!r}") from None
    if number < 0 or number != int(number):
        raise InputError(key.upper(), f"must be a whole number, zero or more, not {value}")
    return int(number)


def read_instance(path: Path) -> Instance:
    """The instance in ``path``; an unreadable or inconsistent file raises :class:`InputError` naming
    the section (or header) and the node."""
    try:
        raw = vrplib.read_instance(path, compute_edge_weights=False)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("file", f"cannot read {path}: {exc}") from None
    except Exception as exc:
        raise InputError("file", f"{path.name} is not a VRPLIB instance: {exc}") from None
    size = _header(raw, "dimension")
    if size < 2:
        raise InputError("DIMENSION", f"needs a depot and a client, not {size} nodes")
    coords = _section(raw, "node_coord", size, 2).astype(np.float64)
    demand = _section(raw, "demand", size)
    windows = _section(raw, "time_window", size, 2)
    if not np.isfinite(coords).all():
        raise InputError(
            "NODE_COORD_SECTION", f"node {int(np.argmin(np.isfinite(coords).all(axis=1))) + 1}: not a number"
        )
    service_raw = raw.get("service_time", 0)
    service = np.broadcast_to(np.asarray(service_raw, dtype=np.float64), (size,))
    depot_nodes = np.asarray(raw.get("depot", [0])).astype(int).ravel()
    capacity = _header(raw, "capacity")
    for node in range(size):
        where = f"node {node + 1}"
        if demand[node] < 0:
            raise InputError("DEMAND_SECTION", f"{where}: negative demand {demand[node]}")
        if windows[node, 1] < windows[node, 0]:
            raise InputError(
                "TIME_WINDOW_SECTION",
                f"{where}: closes ({windows[node, 1]}) before it opens ({windows[node, 0]})",
            )
        if windows[node, 0] < 0:
            raise InputError("TIME_WINDOW_SECTION", f"{where}: opens before time 0")
        if service[node] < 0:
            raise InputError("SERVICE_TIME", f"{where}: negative service time")
    for node in depot_nodes:
        if not 0 <= node < size:
            raise InputError("DEPOT_SECTION", f"node {node + 1} is not among the {size} nodes")
    is_depot = np.zeros(size, dtype=bool)
    is_depot[depot_nodes] = True
    client_nodes = np.flatnonzero(~is_depot)
    vehicles = _header(raw, "vehicles", len(client_nodes))
    if vehicles < 1:
        raise InputError("VEHICLES", "at least one vehicle is needed")
    tw = _tenths(windows)
    serve = _tenths(service)
    depots = tuple(
        Depot(f"depot {i + 1}", int(node), int(tw[node, 0]), int(tw[node, 1]))
        for i, node in enumerate(depot_nodes)
    )
    per_depot = max(1, vehicles // len(depots))
    groups = tuple(
        VehicleGroup(f"vehicles of depot {i + 1}", per_depot, capacity, i, int(tw[node, 0]), int(tw[node, 1]))
        for i, node in enumerate(depot_nodes)
    )
    stops = tuple(
        Stop(
            str(number),
            int(node),
            demand=int(demand[node]),
            service=int(serve[node]),
            tw_early=int(tw[node, 0]),
            tw_late=int(tw[node, 1]),
        )
        for number, node in enumerate(client_nodes, start=1)
    )
    matrix = dimacs_matrix(coords)
    problem = RoutingProblem(coords, matrix, matrix, depots, groups, stops)
    return Instance(str(raw.get("name", path.stem)), problem, tuple(int(n) + 1 for n in client_nodes))


def read_best_known(path: Path) -> float:
    """The ``Cost`` line of a ``.sol`` file."""
    try:
        return float(vrplib.read_solution(path)["cost"])
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise InputError("file", f"cannot read the cost of {path}: {exc}") from None
