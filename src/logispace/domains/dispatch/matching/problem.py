"""The matching problem (车货匹配): vehicles, loads and the rules that decide who may take what.

Every object checks itself when built and names the field that is wrong (:class:`InputError`), so a
file reader can add the row. Times are timezone-aware datetimes; ``None`` means no constraint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

VEHICLE_TYPES = ("box", "reefer", "tank", "flatbed", "container_chassis")
"""Vehicle types (车型): 厢式, 冷藏, 罐式, 平板, 集装箱半挂."""

DANGEROUS_GOODS = "DG"
"""The qualification (危险货物道路运输资质) a dangerous-goods load requires."""

REASONS = ("capacity", "vehicle_type", "qualification", "time_window", "vehicles_taken")
"""Why a load stays unassigned, checked in this order: no vehicle is big enough (weight, and volume
where both the load and the vehicle give one); none of its type;
none holds the qualification; none reaches the pickup before the window closes; every vehicle that
could take it took a load that served the batch better."""


class InputError(ValueError):
    """A field of a vehicle, a load or a parameter is wrong; ``row`` is set by file readers."""

    def __init__(self, field_name: str, message: str, row: int | None = None) -> None:
        self.field = field_name
        self.message = message
        self.row = row
        where = f"row {row}, " if row is not None else ""
        super().__init__(f"{where}{field_name}: {message}")

    def at_row(self, row: int) -> InputError:
        return InputError(self.field, self.message, row)


def check_position(lon: float | None, lat: float | None, prefix: str = "") -> None:
    """Longitude in [-180, 180] and latitude in [-90, 90], both present and finite."""
    for name, value, bound in ((f"{prefix}lon", lon, 180.0), (f"{prefix}lat", lat, 90.0)):
        if value is None:
            raise InputError(name, "missing coordinate")
        if not math.isfinite(value) or not -bound <= value <= bound:
            raise InputError(name, f"must be between -{bound:g} and {bound:g}, not {value}")


def _check_amount(name: str, value: float | None) -> None:
    if value is not None and (not math.isfinite(value) or value < 0):
        raise InputError(name, f"must be zero or more, not {value}")


def _check_aware(name: str, value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        raise InputError(name, "time needs a UTC offset (ISO 8601, e.g. 2026-05-01T08:00+08:00)")


@dataclass(frozen=True)
class Vehicle:
    """A vehicle offered for matching (可用运力): where it is, what it carries (tonnes; cubic metres when
    given, ``None``: no volume limit) and when it is free."""

    vehicle_id: str
    lon: float
    lat: float
    capacity_t: float
    vehicle_type: str | None = None
    available_from: datetime | None = None
    qualifications: frozenset[str] = field(default_factory=frozenset)
    capacity_m3: float | None = None

    def __post_init__(self) -> None:
        if not self.vehicle_id:
            raise InputError("vehicle_id", "missing")
        check_position(self.lon, self.lat)
        if not math.isfinite(self.capacity_t) or self.capacity_t < 0:
            raise InputError("capacity_t", f"must be zero or more, not {self.capacity_t}")
        _check_amount("capacity_m3", self.capacity_m3)
        if self.vehicle_type is not None and self.vehicle_type not in VEHICLE_TYPES:
            raise InputError("vehicle_type", f"must be one of {', '.join(VEHICLE_TYPES)}")
        _check_aware("available_from", self.available_from)


@dataclass(frozen=True)
class Load:
    """A load to carry (货源): pickup and drop, weight (volume when given, ``None``: asks no volume), the
    vehicle it needs and its pickup window."""

    load_id: str
    pickup_lon: float
    pickup_lat: float
    drop_lon: float
    drop_lat: float
    weight_t: float
    vehicle_type: str | None = None
    earliest_pickup: datetime | None = None
    latest_pickup: datetime | None = None
    required_qualification: str | None = None
    volume_m3: float | None = None

    def __post_init__(self) -> None:
        if not self.load_id:
            raise InputError("load_id", "missing")
        check_position(self.pickup_lon, self.pickup_lat, "pickup_")
        check_position(self.drop_lon, self.drop_lat, "drop_")
        if not math.isfinite(self.weight_t) or self.weight_t < 0:
            raise InputError("weight_t", f"must be zero or more, not {self.weight_t}")
        _check_amount("volume_m3", self.volume_m3)
        if self.vehicle_type is not None and self.vehicle_type not in VEHICLE_TYPES:
            raise InputError("vehicle_type", f"must be one of {', '.join(VEHICLE_TYPES)}")
        _check_aware("earliest_pickup", self.earliest_pickup)
        _check_aware("latest_pickup", self.latest_pickup)
        if (
            self.earliest_pickup is not None
            and self.latest_pickup is not None
            and self.latest_pickup < self.earliest_pickup
        ):
            raise InputError("latest_pickup", "the pickup window closes before it opens")


@dataclass(frozen=True)
class MatchSpec:
    """How to match: the speed that turns deadhead km into hours, when to stop solving exactly, how
    many nearest feasible vehicles each load keeps in the pruned graph, and (chaining) the time a
    pickup and a drop take and how many loads a vehicle may carry in a day."""

    speed_kmh: float = 60.0
    exact_limit: int = 1_000_000
    """Solve exactly (linear_sum_assignment) while vehicles x loads stays at or under this."""
    neighbours: int = 64
    """Each load's nearest feasible vehicles kept in the pruned graph (40 served one load fewer and
    drove 2.2% more than the optimum on the mixed bench batch: contended vehicle kinds need longer
    arcs; 64 is within 0.4% there, 80 within 0.2% at more time)."""
    reverse_neighbours: int = 20
    """Each vehicle's nearest pickups checked, so that a vehicle no load counts among its nearest has arcs."""
    reach: int = 1
    """The k-d tree query asks for ``reach * neighbours`` vehicles per load, keeps the feasible, and
    asks four times as far for the loads left short."""
    handling_hours: float = 1.0
    max_loads_per_vehicle: int = 4

    def __post_init__(self) -> None:
        if not math.isfinite(self.speed_kmh) or self.speed_kmh <= 0:
            raise InputError("speed_kmh", f"must be more than zero, not {self.speed_kmh}")
        if self.exact_limit < 0:
            raise InputError("exact_limit", f"must be zero or more, not {self.exact_limit}")
        if self.neighbours < 1:
            raise InputError("neighbours", f"must be at least 1, not {self.neighbours}")
        if self.reverse_neighbours < 1:
            raise InputError("reverse_neighbours", f"must be at least 1, not {self.reverse_neighbours}")
        if self.reach < 1:
            raise InputError("reach", f"must be at least 1, not {self.reach}")
        if not math.isfinite(self.handling_hours) or self.handling_hours < 0:
            raise InputError("handling_hours", f"must be zero or more, not {self.handling_hours}")
        if self.max_loads_per_vehicle < 1:
            raise InputError("max_loads_per_vehicle", f"must be at least 1, not {self.max_loads_per_vehicle}")


@dataclass(frozen=True)
class Assignment:
    """A vehicle sent to a load (匹配结果), with its empty kilometres to the pickup (空驶里程)."""

    vehicle_id: str
    load_id: str
    deadhead_km: float


@dataclass(frozen=True)
class Unassigned:
    """A load left without a vehicle and why (one of :data:`REASONS`)."""

    load_id: str
    reason: str


@dataclass(frozen=True)
class MatchResult:
    """Assignments, their total deadhead km, the unassigned loads and the method that solved it."""

    assignments: tuple[Assignment, ...]
    unassigned: tuple[Unassigned, ...]
    method: str

    @property
    def total_deadhead_km(self) -> float:
        return round(sum(a.deadhead_km for a in self.assignments), 3)

    def as_json(self) -> dict[str, object]:
        return {
            "assignments": [
                {"vehicle_id": a.vehicle_id, "load_id": a.load_id, "deadhead_km": a.deadhead_km}
                for a in self.assignments
            ],
            "total_deadhead_km": self.total_deadhead_km,
            "unassigned": [{"load_id": u.load_id, "reason": u.reason} for u in self.unassigned],
        }
