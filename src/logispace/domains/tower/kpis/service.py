"""Control-tower KPIs (控制塔指标): rebuilding the measures from the stored logistics records, and the KPI
report of a party (its own shipments, vehicles and containers) or of the authority (the whole corridor).

Services never commit: the request, the command or the demo load does.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains import identity
from logispace.domains.identity import Principal
from logispace.domains.tower.analytics import engines
from logispace.domains.tower.analytics.query import KpiFilter
from logispace.domains.tower.kpis import repository
from logispace.domains.tower.kpis.definitions import EMISSION_FACTORS, KPI_BY_NAME, KPIS, KindStats, evaluate
from logispace.domains.tower.kpis.errors import CorridorNotFound, PartyOutOfReach
from logispace.domains.tower.kpis.measures import (
    Measure,
    container_turns,
    eta_errors,
    shipment_measures,
    vehicle_km,
)
from logispace.domains.tower.kpis.models import ShipmentParty, TowerMeasure
from logispace.domains.tower.kpis.nodes import NODES
from logispace.domains.tower.kpis.schemas import KpiGroup, KpiQuery, KpiReport, KpiValue, RefreshRead

BATCH = 5_000


def stored_shipments(session: Session) -> list[repository.StoredShipment]:
    """Every stored waybill as a shipment record (what the measures and the ETA read)."""
    return repository.shipments(session)


def emission_factors(settings: Settings) -> dict[str, float]:
    """kg CO2e per tonne-km by mode: the GLEC defaults with the operator's overrides."""
    factors = {mode: f.kg_co2e_per_tkm for mode, f in EMISSION_FACTORS.items()}
    factors.update(settings.tower_emission_factors)
    return factors


def measures_of(
    session: Session, settings: Settings, now: datetime
) -> tuple[list[Measure], dict[str, frozenset[str]]]:
    """Every measure of the stored records, and the parties of each shipment (by waybill id)."""
    factors = emission_factors(settings)
    stored = repository.shipments(session)
    out: list[Measure] = []
    for s in stored:
        out.extend(shipment_measures(s.record, now, factors, NODES))
    out.extend(container_turns(repository.assignments(session)))
    for owner, (points, loads) in repository.vehicle_tracks(session).items():
        out.extend(vehicle_km(points, loads, owner or None))
    out.extend(eta_errors(repository.predictions(session), {s.record.waybill_id: s.record for s in stored}))
    return out, {s.record.waybill_id: s.parties for s in stored}


def refresh(session: Session, settings: Settings, now: datetime | None = None) -> RefreshRead:
    """Rebuild ``tower_measures`` and ``tower_shipment_parties`` from the stored records (度量重算)."""
    now = now or utcnow()
    repository.rebuild_leg_event_links(session)
    measures, parties = measures_of(session, settings, now)
    session.execute(delete(TowerMeasure))
    session.execute(delete(ShipmentParty))
    rows = [measure_row(m) for m in measures]
    for start in range(0, len(rows), BATCH):
        session.execute(insert(TowerMeasure), rows[start : start + BATCH])
    links = [{"waybill_id": _uuid(w), "uscc": u} for w, usccs in parties.items() for u in sorted(usccs)]
    for start in range(0, len(links), BATCH):
        session.execute(insert(ShipmentParty), links[start : start + BATCH])
    session.flush()
    return RefreshRead(shipments=len(parties), measures=len(rows), refreshed_at=now)


def measure_row(m: Measure) -> dict[str, object]:
    """A measure as a row of ``tower_measures``."""
    return {
        "kind": m.kind.value,
        "value": m.value,
        "at": m.at,
        "day": m.day,
        "waybill_id": _uuid(m.waybill_id),
        "leg": m.leg,
        "corridor": m.corridor,
        "mode": m.mode,
        "node": m.node,
        "owner_uscc": m.owner_uscc,
        "subject": m.subject,
    }


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def scope(session: Session, principal: Principal, party: str | None) -> str | None:
    """The USCC whose KPIs the caller gets: the named party for the authority (all when none), the
    caller's own party for everyone else (naming another party is refused)."""
    if principal.is_authority:
        return party
    own = identity.party_uscc(session, principal.party_id) if principal.party_id else None
    if own is None or (party is not None and party != own):
        raise PartyOutOfReach("a party sees the KPIs of its own shipments only", field="party")
    return own


def report(session: Session, principal: Principal, q: KpiQuery) -> KpiReport:
    """The KPIs of the query, per group, over the measures the caller may see."""
    party = scope(session, principal, q.party)
    names = [k.value for k in q.kpi] or [k.name for k in KPIS]
    kinds = tuple(dict.fromkeys(kind.value for name in names for kind in KPI_BY_NAME[name].kinds))
    dims = tuple(d.value for d in q.group_by)
    f = KpiFilter(
        kinds,
        party,
        q.corridor,
        q.mode.value if q.mode else None,
        q.period_from.isoformat() if q.period_from else None,
        q.period_to.isoformat() if q.period_to else None,
        dims,
    )
    if q.corridor is not None and not corridor_known(session, q.corridor, party):
        raise CorridorNotFound(f"no shipment on corridor {q.corridor} that you may see", field="corridor")
    stats = engines.on_session(session, f)
    if not stats and not dims:
        stats = {(): {}}
    groups = [
        KpiGroup(
            group=dict(zip(dims, key, strict=True)),
            kpis=[_value(name, by_kind) for name in names],
        )
        for key, by_kind in sorted(stats.items(), key=lambda item: tuple(v or "" for v in item[0]))
    ]
    return KpiReport(
        party=party,
        corridor=q.corridor,
        mode=q.mode,
        period_from=q.period_from,
        period_to=q.period_to,
        group_by=list(q.group_by),
        generated_at=utcnow(),
        groups=groups,
    )


def _value(name: str, by_kind: Mapping[str, KindStats]) -> KpiValue:
    kpi = KPI_BY_NAME[name]
    return KpiValue.model_validate(
        {"name": name, "label": kpi.label, "unit": kpi.unit, "values": evaluate(kpi, by_kind)}
    )


def corridor_known(session: Session, corridor: str, party: str | None) -> bool:
    stmt = select(TowerMeasure.id).where(TowerMeasure.corridor == corridor)
    if party is not None:
        visible = select(ShipmentParty.waybill_id).where(ShipmentParty.uscc == party)
        stmt = stmt.where(TowerMeasure.waybill_id.in_(visible))
    return session.scalar(stmt.limit(1)) is not None


def corridors(session: Session, party: str | None) -> list[str]:
    """The corridors with measures the caller may see."""
    stmt = select(TowerMeasure.corridor).where(TowerMeasure.corridor.is_not(None)).distinct()
    if party is not None:
        stmt = stmt.where(
            TowerMeasure.waybill_id.in_(select(ShipmentParty.waybill_id).where(ShipmentParty.uscc == party))
        )
    return sorted(c for c in session.scalars(stmt) if c)
