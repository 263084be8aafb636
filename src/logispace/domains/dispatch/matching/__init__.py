"""Capacity matching (车货匹配), pure: vehicles and loads in, assignments and reasons out.

:func:`match` takes one load per vehicle (exact or pruned min-cost flow); :func:`chain` chains several
loads per vehicle over a day (backhaul). :mod:`.csv_files` reads the CLI's files.
"""

from logispace.domains.dispatch.matching.arrays import EARTH_RADIUS_KM, haversine_km
from logispace.domains.dispatch.matching.chaining import ChainResult, Leg, chain
from logispace.domains.dispatch.matching.problem import (
    DANGEROUS_GOODS,
    REASONS,
    VEHICLE_TYPES,
    Assignment,
    InputError,
    Load,
    MatchResult,
    MatchSpec,
    Unassigned,
    Vehicle,
)
from logispace.domains.dispatch.matching.solver import match

__all__ = [
    "DANGEROUS_GOODS",
    "EARTH_RADIUS_KM",
    "REASONS",
    "VEHICLE_TYPES",
    "Assignment",
    "ChainResult",
    "InputError",
    "Leg",
    "Load",
    "MatchResult",
    "MatchSpec",
    "Unassigned",
    "Vehicle",
    "chain",
    "haversine_km",
    "match",
]
