"""Reading the logistics records the measures come from (控制塔数据读取): waybills with their legs and
containers, the carriers' EPCIS events of each leg (loading, departing, arriving, unloading), vehicles'
GPS points and load state, container assignments, agreed leg terms and stored ETA predictions.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from logispace.domains.identity.models import Party
from logispace.domains.logistics.epcis.models import EpcisEvent, EpcisEventEpc
from logispace.domains.logistics.waybills.models import (
    Container,
    ContainerAssignment,
    Waybill,
    WaybillLeg,
)
from logispace.domains.tower.eta.models import EtaPrediction
from logispace.domains.tower.kpis.definitions import Kind, payload_t
from logispace.domains.tower.kpis.measures import (
    Assignment,
    GpsPoint,
    LegRecord,
    LoadSpan,
    PredictionRecord,
    ShipmentRecord,
    utc,
)
from logispace.domains.tower.kpis.models import LegEventWaybill, LegTerms, TowerMeasure

CBV = "https://ref.gs1.org/cbv/BizStep-"
LEG_STEPS = ("loading", "departing", "arriving", "unloading")
WAYBILL_URN = "urn:logispace:waybill:"
VEHICLE_URN = "urn:logispace:vehicle:"
LEG_BIZ_STEPS = tuple(CBV + s for s in LEG_STEPS)


def place_code(urn: str | None) -> str | None:
    """The place code at the end of a location URN (``urn:logispace:unlocode:CNQZH`` -> ``CNQZH``)."""
    return urn.rsplit(":", 1)[-1] if urn else None


@dataclass
class LegTimes:
    """First loading and departure at the leg's origin, last arrival and unloading at its destination."""

    times: dict[str, datetime] = field(default_factory=dict)

    def see(self, step: str, at: datetime) -> None:
        earlier = step in ("loading", "departing")
        known = self.times.get(step)
        if known is None or (at < known if earlier else at > known):
            self.times[step] = at


@dataclass(frozen=True)
class StoredShipment:
    """A waybill and everything the measures need of it."""

    record: ShipmentRecord
    number: str
    parties: frozenset[str]
    carriers: tuple[str, ...]


def waybill_numbers(body: dict[str, Any]) -> list[str]:
    out = []
    for item in body.get("bizTransactionList") or ():
        value = item.get("bizTransaction", "") if isinstance(item, dict) else ""
        if value.startswith(WAYBILL_URN):
            out.append(value.removeprefix(WAYBILL_URN))
    return out


def leg_times(
    session: Session,
    usccs: dict[uuid.UUID, str],
    carriers: Collection[uuid.UUID] | None = None,
    numbers: Collection[str] = (),
) -> dict[tuple[str, str, str], LegTimes]:
    """``{(waybill number, capturing party's USCC, place code): LegTimes}`` from the leg events (all, or
    those captured by ``carriers`` that name one of ``numbers``: a few waybills' legs)."""
    out: dict[tuple[str, str, str], LegTimes] = defaultdict(LegTimes)
    for party_id, step, at, point, body in session.execute(leg_events(carriers, numbers)):
        code = place_code(point)
        if code is None:
            continue
        for number in waybill_numbers(body):
            out[(number, usccs.get(party_id, ""), code)].see(step.removeprefix(CBV), utc(at))
    return out


def leg_events(carriers: Collection[uuid.UUID] | None = None, numbers: Collection[str] = ()) -> Select[Any]:
    """The leg events' party, step, time, place and JSON: all, or those captured by ``carriers`` naming
    one of ``numbers``, found through ``tower_leg_event_waybills`` (its primary key)."""
    stmt = select(
        EpcisEvent.party_id,
        EpcisEvent.biz_step,
        EpcisEvent.event_time,
        EpcisEvent.read_point,
        EpcisEvent.body,
    ).where(EpcisEvent.biz_step.in_(LEG_BIZ_STEPS))
    if carriers is not None:
        stmt = stmt.where(EpcisEvent.party_id.in_(list(carriers)))
        if numbers:
            stmt = stmt.where(EpcisEvent.id.in_(named_events(numbers)))
    return stmt


def named_events(numbers: Collection[str]) -> Select[int]:
    """The ids of the leg events naming one of ``numbers`` (the primary key of the link table)."""
    return select(LegEventWaybill.event_pk).where(LegEventWaybill.number.in_(sorted(numbers)))


def leg_event_links(events: Iterable[tuple[int, str | None, dict[str, Any]]]) -> list[dict[str, object]]:
    """The link rows of ``(row id, bizStep, JSON)`` events: one per leg event and waybill number named."""
    return [
        {"number": number, "event_pk": pk}
        for pk, step, body in events
        if step in LEG_BIZ_STEPS
        for number in sorted(set(waybill_numbers(body)))
        if 0 < len(number) <= NUMBER_LENGTH
    ]


NUMBER_LENGTH = 40
"""A waybill number's longest (``waybills.number``); a longer one names no waybill."""


def add_leg_event_links(session: Session, events: Iterable[tuple[int, str | None, dict[str, Any]]]) -> None:
    rows = leg_event_links(events)
    for start in range(0, len(rows), 5_000):
        session.execute(insert(LegEventWaybill), rows[start : start + 5_000])


def rebuild_leg_event_links(session: Session) -> None:
    """Every leg event's links anew (the refresh: the repair path)."""
    session.execute(delete(LegEventWaybill))
    stmt = select(EpcisEvent.id, EpcisEvent.biz_step, EpcisEvent.body).where(
        EpcisEvent.biz_step.in_(LEG_BIZ_STEPS)
    )
    add_leg_event_links(session, ((int(i), step, body) for i, step, body in session.execute(stmt)))


def party_usccs(session: Session) -> dict[uuid.UUID, str]:
    rows = session.execute(select(Party.id, Party.uscc)).all()
    return {row[0]: row[1] for row in rows}


def shipments(session: Session, waybill_ids: Iterable[uuid.UUID] | None = None) -> list[StoredShipment]:
    """The stored waybills (all, or those of ``waybill_ids``) as shipment records."""
    usccs = party_usccs(session)
    stmt = select(Waybill)
    if waybill_ids is not None:
        stmt = stmt.where(Waybill.id.in_(list(waybill_ids)))
    waybills = session.scalars(stmt).all()
    ids = [w.id for w in waybills]
    legs: dict[uuid.UUID, list[WaybillLeg]] = defaultdict(list)
    terms: dict[tuple[uuid.UUID, int], LegTerms] = {}
    boxes: dict[uuid.UUID, list[tuple[str | None, datetime | None]]] = defaultdict(list)
    for chunk in _chunks(ids, 500):
        for leg in session.scalars(select(WaybillLeg).where(WaybillLeg.waybill_id.in_(chunk))):
            legs[leg.waybill_id].append(leg)
        for t in session.scalars(select(LegTerms).where(LegTerms.waybill_id.in_(chunk))):
            terms[(t.waybill_id, t.sequence)] = t
        rows = session.execute(
            select(ContainerAssignment.waybill_id, Container.size_type, ContainerAssignment.released_at)
            .join(Container, Container.id == ContainerAssignment.container_id)
            .where(ContainerAssignment.waybill_id.in_(chunk))
        ).all()
        for waybill_id, size, released in rows:
            boxes[waybill_id].append((size, released))
    if waybill_ids is None:
        times = leg_times(session, usccs)
    else:
        ids_by_uscc = {u: i for i, u in usccs.items()}
        carrier_usccs = {leg.carrier_uscc for rows in legs.values() for leg in rows}
        carrier_ids = {ids_by_uscc[u] for u in carrier_usccs if u in ids_by_uscc}
        times = leg_times(session, usccs, carrier_ids, {w.number for w in waybills})
    out = []
    for w in waybills:
        ordered = sorted(legs[w.id], key=lambda leg: leg.sequence)
        if not ordered:
            continue
        records = []
        for leg in ordered:
            start = times.get((w.number, leg.carrier_uscc, leg.origin), LegTimes()).times
            end = times.get((w.number, leg.carrier_uscc, leg.destination), LegTimes()).times
            agreed = terms.get((w.id, leg.sequence))
            records.append(
                LegRecord(
                    leg.sequence,
                    leg.mode,
                    leg.origin,
                    leg.destination,
                    departed_at=start.get("departing"),
                    arrived_at=end.get("arriving"),
                    taken_over_at=start.get("loading"),
                    unloaded_at=end.get("unloading"),
                    promised_at=utc(agreed.promised_at) if agreed and agreed.promised_at else None,
                    distance_km=agreed.distance_km if agreed else None,
                    costs=(
                        agreed.cost_transport,
                        agreed.cost_storage,
                        agreed.cost_handling,
                        agreed.cost_management,
                    )
                    if agreed
                    else None,
                )
            )
        last = records[-1]
        box = boxes[w.id] or [(None, None)]
        delivered = len(box) if last.unloaded_at is not None else 0
        record = ShipmentRecord(
            str(w.id),
            tuple(records),
            weight_t=_weight_t(w.cargo),
            capacity_t=sum(payload_t(s) for s, _ in box),
            containers=len(box),
            containers_delivered=delivered,
        )
        carriers = tuple(leg.carrier_uscc for leg in ordered)
        issuer = usccs.get(w.created_by_party_id)
        parties = {w.consignor_uscc, w.consignee_uscc, *carriers, *([issuer] if issuer else [])}
        out.append(StoredShipment(record, w.number, frozenset(parties), carriers))
    return out


def _weight_t(cargo: list[dict[str, Any]]) -> float:
    total = 0.0
    for line in cargo or ():
        value = line.get("gross_weight_kg") if isinstance(line, dict) else None
        if isinstance(value, int | float):
            total += float(value)
    return round(total / 1000, 6)


def _chunks(ids: list[uuid.UUID], size: int) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def vehicle_tracks(
    session: Session,
    vehicle: tuple[uuid.UUID, str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, tuple[list[GpsPoint], list[LoadSpan]]]:
    """Per capturing party's USCC: its vehicles' GPS points (``geo:`` read points) and load spans
    (aggregations with a vehicle as parent: ADD starts a span, DELETE ends it). With ``vehicle``
    (capturing party id, vehicle EPC) only that vehicle's, its points from ``start`` to ``end``."""
    usccs = party_usccs(session)
    points: dict[str, list[GpsPoint]] = defaultdict(list)
    gps_stmt = (
        select(EpcisEvent.party_id, EpcisEventEpc.epc, EpcisEvent.event_time, EpcisEvent.read_point)
        .join(EpcisEventEpc, EpcisEventEpc.event_pk == EpcisEvent.id)
        .where(EpcisEvent.read_point.like("geo:%"), EpcisEventEpc.role == "epc")
    )
    agg_stmt = (
        select(EpcisEvent.party_id, EpcisEventEpc.epc, EpcisEvent.event_time, EpcisEvent.action)
        .join(EpcisEventEpc, EpcisEventEpc.event_pk == EpcisEvent.id)
        .where(EpcisEvent.event_type == "AggregationEvent", EpcisEventEpc.role == "parent")
        .order_by(EpcisEvent.event_time, EpcisEvent.id)
    )
    if vehicle is None:
        gps_stmt = gps_stmt.where(EpcisEventEpc.epc.like(VEHICLE_URN + "%"))
        agg_stmt = agg_stmt.where(EpcisEventEpc.epc.like(VEHICLE_URN + "%"))
    else:
        party_id, epc = vehicle
        gps_stmt = gps_stmt.where(EpcisEventEpc.epc == epc, EpcisEventEpc.party_id == party_id)
        agg_stmt = agg_stmt.where(EpcisEventEpc.epc == epc, EpcisEventEpc.party_id == party_id)
        if start is not None:
            gps_stmt = gps_stmt.where(EpcisEventEpc.event_time >= start)
        if end is not None:
            gps_stmt = gps_stmt.where(EpcisEventEpc.event_time <= end)
    for party_id, vehicle_epc, at, point in session.execute(gps_stmt):
        if point is None:
            continue
        try:
            lat, lon = (float(x) for x in point.removeprefix("geo:").split(",")[:2])
        except ValueError:
            continue
        points[usccs.get(party_id, "")].append(GpsPoint(vehicle_epc, utc(at), lat, lon))
    loads: dict[str, list[LoadSpan]] = defaultdict(list)
    open_at: dict[tuple[str, str], datetime] = {}
    for party_id, vehicle_epc, at, action in session.execute(agg_stmt):
        owner = usccs.get(party_id, "")
        if action == "ADD":
            open_at.setdefault((owner, vehicle_epc), utc(at))
        elif action == "DELETE" and (owner, vehicle_epc) in open_at:
            loads[owner].append(LoadSpan(vehicle_epc, open_at.pop((owner, vehicle_epc)), utc(at)))
    for (owner, vehicle_epc), begun in open_at.items():
        loads[owner].append(LoadSpan(vehicle_epc, begun, None))
    return {owner: (points.get(owner, []), loads.get(owner, [])) for owner in {*points, *loads}}


def assignments(session: Session, containers: Collection[str] | None = None) -> list[Assignment]:
    """Every container assignment (or those of ``containers``), with the owner of record's USCC."""
    stmt = (
        select(Container.number, ContainerAssignment.assigned_at, ContainerAssignment.released_at, Party.uscc)
        .join(Container, Container.id == ContainerAssignment.container_id)
        .outerjoin(Party, Party.id == Container.owner_party_id)
    )
    if containers is not None:
        stmt = stmt.where(Container.number.in_(list(containers)))
    return [Assignment(n, utc(a), utc(r) if r else None, u) for n, a, r, u in session.execute(stmt)]


def containers_of(session: Session, waybill_ids: Collection[uuid.UUID]) -> set[str]:
    """The numbers of the containers ever assigned to these waybills."""
    rows = session.execute(
        select(Container.number)
        .join(ContainerAssignment, ContainerAssignment.container_id == Container.id)
        .where(ContainerAssignment.waybill_id.in_(list(waybill_ids)))
    )
    return {row[0] for row in rows}


def predictions(session: Session, waybill_ids: Collection[uuid.UUID] | None = None) -> list[PredictionRecord]:
    stmt = select(
        EtaPrediction.waybill_id,
        EtaPrediction.leg,
        EtaPrediction.predicted_at,
        EtaPrediction.predicted_arrival,
    )
    if waybill_ids is not None:
        stmt = stmt.where(EtaPrediction.waybill_id.in_(list(waybill_ids)))
    return [PredictionRecord(str(w), leg, utc(p), utc(a)) for w, leg, p, a in session.execute(stmt)]


def due_without_otif(session: Session, now: datetime) -> list[uuid.UUID]:
    """Waybills whose last leg's promised arrival passed by ``now`` and that have no OTIF measure."""
    last = (
        select(WaybillLeg.waybill_id, func.max(WaybillLeg.sequence).label("sequence"))
        .group_by(WaybillLeg.waybill_id)
        .subquery()
    )
    has_otif = select(TowerMeasure.waybill_id).where(
        TowerMeasure.kind == Kind.OTIF.value, TowerMeasure.waybill_id == LegTerms.waybill_id
    )
    stmt = (
        select(LegTerms.waybill_id)
        .join(last, and_(last.c.waybill_id == LegTerms.waybill_id, last.c.sequence == LegTerms.sequence))
        .where(LegTerms.promised_at <= now, ~has_otif.exists())
    )
    return list(session.scalars(stmt))
