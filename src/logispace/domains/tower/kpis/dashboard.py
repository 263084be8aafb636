"""What the control-tower pages draw (控制塔看板数据): KPI tiles with their daily trend, the transit-time
distribution by mode, the corridor map's nodes and flows, and the authority's breakdown of cost and
carbon by party, corridor and mode. Every read is scoped like the KPI API: a party's own shipments,
or the whole corridor for the authority."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from logispace.domains import identity
from logispace.domains.identity import Principal
from logispace.domains.tower.kpis import service
from logispace.domains.tower.kpis.definitions import Kind
from logispace.domains.tower.kpis.models import ShipmentParty, TowerMeasure
from logispace.domains.tower.kpis.nodes import NODES
from logispace.domains.tower.kpis.schemas import Dimension, KpiName, KpiQuery, KpiReport

TILES = (
    KpiName.OTIF,
    KpiName.TRANSIT_TIME_CORRIDOR,
    KpiName.DWELL_TIME,
    KpiName.HANDOVER_DELAY,
    KpiName.CONTAINER_TURN_TIME,
    KpiName.ETA_ACCURACY,
    KpiName.EMPTY_RUNNING_RATE,
    KpiName.LOAD_FACTOR,
    KpiName.COST_PER_TONNE_KM,
    KpiName.CARBON,
)
BIN_HOURS = 6


@dataclass(frozen=True)
class Tile:
    name: str
    label: str
    unit: str
    value: float | None
    trend: list[tuple[str, float | None]]


def tiles(session: Session, principal: Principal, q: KpiQuery) -> tuple[KpiReport, list[Tile]]:
    """The KPI report of the filters, and one tile per KPI with its value per day."""
    query = q.model_copy(update={"kpi": list(TILES), "group_by": []})
    whole = service.report(session, principal, query)
    daily = service.report(session, principal, query.model_copy(update={"group_by": [Dimension.DAY]}))
    trends: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for group in daily.groups:
        for kpi in group.kpis:
            trends[kpi.name.value].append((str(group.group.get("day")), kpi.values.get("value")))
    out = [
        Tile(k.name.value, k.label, k.unit, k.values.get("value"), trends[k.name.value])
        for k in whole.groups[0].kpis
    ]
    return whole, out


def _scoped(stmt: Any, party: str | None) -> Any:
    if party is None:
        return stmt
    visible = select(ShipmentParty.waybill_id).where(ShipmentParty.uscc == party)
    return stmt.where(TowerMeasure.waybill_id.in_(visible))


def distribution(session: Session, party: str | None, q: KpiQuery) -> dict[str, Any]:
    """Leg transit times by mode in bins of :data:`BIN_HOURS` hours:
    ``{"bins": [...], "modes": {mode: counts}}``."""
    stmt = select(TowerMeasure.mode, TowerMeasure.value).where(TowerMeasure.kind == Kind.LEG_TRANSIT_H.value)
    if q.corridor:
        stmt = stmt.where(TowerMeasure.corridor == q.corridor)
    if q.period_from:
        stmt = stmt.where(TowerMeasure.day >= q.period_from.isoformat())
    if q.period_to:
        stmt = stmt.where(TowerMeasure.day <= q.period_to.isoformat())
    rows = session.execute(_scoped(stmt, party)).all()
    if not rows:
        return {"bins": [], "modes": {}}
    top = int(max(v for _, v in rows) // BIN_HOURS) + 1
    modes: dict[str, list[int]] = {}
    for mode, value in rows:
        counts = modes.setdefault(mode or "", [0] * top)
        counts[int(value // BIN_HOURS)] += 1
    bins = [f"{i * BIN_HOURS}-{(i + 1) * BIN_HOURS}" for i in range(top)]
    return {"bins": bins, "modes": modes}


def network(session: Session, party: str | None, q: KpiQuery) -> dict[str, Any]:
    """Nodes with coordinates and flows between the nodes of each corridor (shipments per corridor)."""
    stmt = select(TowerMeasure.corridor, func.count(distinct(TowerMeasure.waybill_id))).where(
        TowerMeasure.corridor.is_not(None)
    )
    if q.period_from:
        stmt = stmt.where(TowerMeasure.day >= q.period_from.isoformat())
    if q.period_to:
        stmt = stmt.where(TowerMeasure.day <= q.period_to.isoformat())
    rows = session.execute(_scoped(stmt, party).group_by(TowerMeasure.corridor)).all()
    flows = []
    used: set[str] = set()
    for corridor, count in rows:
        origin, _, destination = (corridor or "").partition("-")
        if origin in NODES and destination in NODES:
            flows.append(
                {
                    "from": origin,
                    "to": destination,
                    "shipments": int(count),
                    "coords": [
                        [NODES[origin].lon, NODES[origin].lat],
                        [NODES[destination].lon, NODES[destination].lat],
                    ],
                }
            )
            used.update((origin, destination))
    nodes = [{"code": n.code, "value": [n.lon, n.lat]} for n in NODES.values() if n.code in used]
    return {"nodes": nodes, "flows": flows}


def chart_json(data: dict[str, Any], names: dict[str, str]) -> str:
    """The chart data for the page's script, with place names for the codes."""
    return json.dumps({**data, "names": names}, ensure_ascii=False)


@dataclass(frozen=True)
class PartyRow:
    name: str
    uscc: str
    report: KpiReport


def by_party(session: Session, principal: Principal, q: KpiQuery, kpis: Sequence[KpiName]) -> list[PartyRow]:
    """The KPIs of each party with shipments (the authority's view across parties)."""
    usccs = sorted(set(session.scalars(select(ShipmentParty.uscc).distinct())))
    names = identity.party_names_by_uscc(session, set(usccs))
    out = []
    for uscc in usccs:
        if uscc not in names:
            continue
        report = service.report(session, principal, q.model_copy(update={"party": uscc, "kpi": list(kpis)}))
        out.append(PartyRow(names[uscc], uscc, report))
    return out
