"""Empty-running report (空驶率报告): empty km, load factor, fuel and CO2e before and after matching.

Definitions (the control tower uses the same):

* empty-running rate (空驶率) = km driven empty / km driven, over a set of vehicle days;
* load factor (实载率) = tonne-km carried / (capacity tonne x km driven);
* fuel = km x ``FUEL_L_PER_100KM`` / 100 (a heavy goods vehicle on diesel);
* CO2e = litres x ``CO2E_KG_PER_L`` (diesel, tank to wheel).

Before matching, each load is a round trip of its own (no backhaul): the vehicle proposed for it drives
empty from where it stands to the pickup, loaded to the drop and empty back to where it stood. After
matching, each vehicle drives its chain: empty to each pickup (from where it stands, then from the
last drop), loaded to each drop, and empty back from its last drop to where it stood.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

FUEL_L_PER_100KM = 30.0
"""Diesel litres per 100 km of a heavy goods vehicle (a planning figure; configurable per fleet later)."""
CO2E_KG_PER_L = 2.68
"""kg CO2e per litre of diesel burnt (tank to wheel)."""


@dataclass(frozen=True)
class Trip:
    """One load carried: by a vehicle of ``capacity_t``, ``weight_t`` over ``loaded_km``, after
    ``deadhead_km`` empty; ``return_km`` empty after it (0 when another load follows)."""

    capacity_t: float
    weight_t: float
    deadhead_km: float
    loaded_km: float
    return_km: float

    def __post_init__(self) -> None:
        for name in ("capacity_t", "weight_t", "deadhead_km", "loaded_km", "return_km"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}: must be zero or more")


@dataclass(frozen=True)
class Figures:
    """Totals of a set of trips."""

    km: float
    empty_km: float
    loaded_km: float
    empty_running_rate: float
    load_factor: float
    fuel_l: float
    co2e_kg: float


def figures(trips: Sequence[Trip]) -> Figures:
    """Empty-running rate, load factor, fuel and CO2e of ``trips`` (zeros for none)."""
    empty = sum(t.deadhead_km + t.return_km for t in trips)
    loaded = sum(t.loaded_km for t in trips)
    km = empty + loaded
    tonne_km = sum(t.weight_t * t.loaded_km for t in trips)
    capacity_km = sum(t.capacity_t * (t.deadhead_km + t.loaded_km + t.return_km) for t in trips)
    fuel = km * FUEL_L_PER_100KM / 100
    return Figures(
        km=round(km, 1),
        empty_km=round(empty, 1),
        loaded_km=round(loaded, 1),
        empty_running_rate=round(empty / km, 4) if km else 0.0,
        load_factor=round(tonne_km / capacity_km, 4) if capacity_km else 0.0,
        fuel_l=round(fuel, 1),
        co2e_kg=round(fuel * CO2E_KG_PER_L, 1),
    )


def compare(before: Sequence[Trip], after: Sequence[Trip]) -> dict[str, object]:
    """Both sets' figures and what matching saved (km, fuel, CO2e), as stored with a match run."""
    b, a = figures(before), figures(after)
    return {
        "before": asdict(b),
        "after": asdict(a),
        "saved_km": round(b.km - a.km, 1),
        "saved_fuel_l": round(b.fuel_l - a.fuel_l, 1),
        "saved_co2e_kg": round(b.co2e_kg - a.co2e_kg, 1),
    }
