"""Control-tower indicators (控制塔指标): what each KPI measures, the measures it is computed from, and
the configurable tables it uses (emission factors by mode, container payloads).

A KPI is a formula over *measures* (:mod:`.measures`): one number per shipment, leg, node stay,
container turn, vehicle-day or ETA check, each of a ``kind``. The analytics query
(:mod:`logispace.domains.tower.analytics`) aggregates the measures of each kind once per group
(count, sum, p50, p90, shipments); :func:`evaluate` turns those aggregates into the KPI's values.
Definitions, formulas and source fields are in docs/tower.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Kind of measure (度量类别) stored in ``tower_measures``."""

    OTIF = "otif"
    SHIPMENT_TRANSIT_H = "shipment_transit_h"
    LEG_TRANSIT_H = "leg_transit_h"
    DWELL_H = "dwell_h"
    HANDOVER_DELAY_H = "handover_delay_h"
    CONTAINER_TURN_H = "container_turn_h"
    ETA_ERROR_H = "eta_error_h"
    KM_DRIVEN = "km_driven"
    KM_EMPTY = "km_empty"
    WEIGHT_T = "weight_t"
    CAPACITY_T = "capacity_t"
    TONNE_KM = "tonne_km"
    COST_TRANSPORT = "cost_transport"
    COST_STORAGE = "cost_storage"
    COST_HANDLING = "cost_handling"
    COST_MANAGEMENT = "cost_management"
    CO2E_KG = "co2e_kg"


COST_KINDS = (Kind.COST_TRANSPORT, Kind.COST_STORAGE, Kind.COST_HANDLING, Kind.COST_MANAGEMENT)
MODES = ("road", "rail", "water", "air")


@dataclass(frozen=True)
class EmissionFactor:
    """Well-to-wheel emission intensity of a transport mode (排放因子), kg CO2e per tonne-km."""

    mode: str
    kg_co2e_per_tkm: float
    source: str


EMISSION_FACTORS: Mapping[str, EmissionFactor] = {
    "road": EmissionFactor(
        "road",
        0.0740,
        "GLEC Framework v3.0 (2023), Module 1 road default, articulated truck 34-40 t, "
        "average load, diesel, WTW (74 g CO2e/tkm); ISO 14083:2023 clause 12",
    ),
    "rail": EmissionFactor(
        "rail",
        0.0220,
        "GLEC Framework v3.0 (2023), rail freight default, Asia, mixed traction, WTW "
        "(22 g CO2e/tkm); ISO 14083:2023 clause 12",
    ),
    "water": EmissionFactor(
        "water",
        0.0160,
        "GLEC Framework v3.0 (2023), deep-sea container vessel default, 2,000-7,999 TEU, "
        "WTW (16 g CO2e/tkm); ISO 14083:2023 clause 12",
    ),
    "air": EmissionFactor(
        "air",
        0.8000,
        "GLEC Framework v3.0 (2023), air freight default, belly and freighter mix, WTW "
        "(800 g CO2e/tkm); ISO 14083:2023 clause 12",
    ),
}
"""Default factors; ``Settings.tower_emission_factors`` overrides any of them (kg CO2e per tonne-km)."""

CONTAINER_PAYLOAD_T: Mapping[str, float] = {"2": 28.2, "4": 26.5, "L": 29.0}
"""Maximum payload (最大载重) by the first character of the ISO 6346 size code: 20 ft, 40 ft, 45 ft."""
DEFAULT_PAYLOAD_T = 26.5


def payload_t(size_type: str | None) -> float:
    """The payload of a container of ISO 6346 size-type ``size_type`` (40 ft when unknown)."""
    if not size_type:
        return DEFAULT_PAYLOAD_T
    return CONTAINER_PAYLOAD_T.get(size_type[0], DEFAULT_PAYLOAD_T)


@dataclass(frozen=True)
class KindStats:
    """The aggregates of one kind of measure in one group, as the analytics query returns them."""

    n: int
    total: float
    p50: float | None
    p90: float | None
    shipments: int


@dataclass(frozen=True)
class Kpi:
    """A control-tower indicator (控制塔指标): its name, Chinese name, unit and the kinds it reads."""

    name: str
    label: str
    unit: str
    kinds: tuple[Kind, ...]
    description: str


KPIS: tuple[Kpi, ...] = (
    Kpi(
        "otif",
        "准时足额交付率",
        "%",
        (Kind.OTIF,),
        "shipments delivered by the promised time with every container / shipments due",
    ),
    Kpi(
        "transit_time_leg",
        "区段运输时长",
        "h",
        (Kind.LEG_TRANSIT_H,),
        "arrival minus departure of each leg: p50, p90, mean",
    ),
    Kpi(
        "transit_time_corridor",
        "通道全程时长",
        "h",
        (Kind.SHIPMENT_TRANSIT_H,),
        "last leg's arrival minus first leg's departure of each shipment: p50, p90, mean",
    ),
    Kpi(
        "dwell_time",
        "节点停留时长",
        "h",
        (Kind.DWELL_H,),
        "next leg's departure minus the leg's arrival at the node: p50, p90, mean",
    ),
    Kpi(
        "handover_delay",
        "交接等待时长",
        "h",
        (Kind.HANDOVER_DELAY_H,),
        "next carrier's takeover minus unloading at the node: p50, p90, mean",
    ),
    Kpi(
        "container_turn_time",
        "集装箱周转时长",
        "h",
        (Kind.CONTAINER_TURN_H,),
        "a container's next assignment minus its release from the previous waybill: p50, p90, mean",
    ),
    Kpi(
        "eta_accuracy",
        "预计到达准确度",
        "h",
        (Kind.ETA_ERROR_H,),
        "absolute error of each stored prediction once its leg arrived: mean, p50, p90",
    ),
    Kpi(
        "empty_running_rate",
        "空驶率",
        "%",
        (Kind.KM_EMPTY, Kind.KM_DRIVEN),
        "km driven empty / km driven, from GPS tracks and the load state",
    ),
    Kpi(
        "load_factor",
        "装载率",
        "%",
        (Kind.WEIGHT_T, Kind.CAPACITY_T),
        "cargo weight / payload of the containers carried, over legs",
    ),
    Kpi(
        "cost_per_tonne_km",
        "单位物流成本",
        "元/吨公里",
        (*COST_KINDS, Kind.TONNE_KM),
        "transport + storage + handling + management cost / tonne-km, with the share of each",
    ),
    Kpi(
        "carbon",
        "碳排放",
        "kg CO2e",
        (Kind.CO2E_KG, Kind.TONNE_KM),
        "tonne-km x the mode's emission factor, per shipment and per leg, and its intensity",
    ),
)
KPI_BY_NAME: Mapping[str, Kpi] = {k.name: k for k in KPIS}


def _ratio(top: float, bottom: float) -> float | None:
    return round(top / bottom, 6) if bottom else None


def _empty() -> KindStats:
    return KindStats(0, 0.0, None, None, 0)


def evaluate(kpi: Kpi, stats: Mapping[str, KindStats]) -> dict[str, float | int | None]:
    """The KPI's values from the aggregates of its kinds in one group (``None`` when undefined)."""
    get = {kind: stats.get(kind.value, _empty()) for kind in kpi.kinds}
    if kpi.name == "otif":
        s = get[Kind.OTIF]
        return {"value": _ratio(s.total, s.n), "due": s.n, "on_time_in_full": round(s.total)}
    if kpi.name == "empty_running_rate":
        empty, driven = get[Kind.KM_EMPTY], get[Kind.KM_DRIVEN]
        return {
            "value": _ratio(empty.total, driven.total),
            "km_empty": round(empty.total, 3),
            "km_driven": round(driven.total, 3),
        }
    if kpi.name == "load_factor":
        weight, capacity = get[Kind.WEIGHT_T], get[Kind.CAPACITY_T]
        return {
            "value": _ratio(weight.total, capacity.total),
            "weight_t": round(weight.total, 3),
            "capacity_t": round(capacity.total, 3),
        }
    if kpi.name == "cost_per_tonne_km":
        tonne_km = get[Kind.TONNE_KM].total
        costs = {kind.value: get[kind].total for kind in COST_KINDS}
        out: dict[str, float | int | None] = {
            "value": _ratio(sum(costs.values()), tonne_km),
            "tonne_km": round(tonne_km, 3),
        }
        for kind, cost in costs.items():
            out[kind.removeprefix("cost_") + "_per_tonne_km"] = _ratio(cost, tonne_km)
        return out
    if kpi.name == "carbon":
        co2, tkm = get[Kind.CO2E_KG], get[Kind.TONNE_KM]
        return {
            "value": _ratio(co2.total, co2.shipments),
            "per_leg": _ratio(co2.total, co2.n),
            "total_kg": round(co2.total, 3),
            "g_per_tonne_km": _ratio(co2.total * 1000, tkm.total),
        }
    s = get[kpi.kinds[0]]
    return {"value": s.p50, "p50": s.p50, "p90": s.p90, "mean": _ratio(s.total, s.n), "count": s.n}
