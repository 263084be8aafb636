"""Measures kept up to date as events arrive (度量增量维护): the measures a capture or a waybill step can
change are rebuilt in its transaction, so the KPIs are current without a full refresh.

What is rebuilt, with the same pure rules as :func:`.service.refresh` (so the table equals a refresh):

* a **waybill**'s measures (OTIF, transit, dwell, handover, tonne-km, cost, carbon, load, ETA errors)
  and its parties, when a leg event (loading, departing, arriving, unloading) names it, when it is
  created or steps (:class:`~logispace.domains.logistics.WaybillChanged`), when its terms are recorded
  and when predictions of it are stored;
* a **container**'s turns, when a waybill it is on is created or steps (assigned, released);
* a **vehicle-day**'s km driven and driven empty, when a GPS point of the vehicle arrives (that day,
  and the day before when the point may close the last gap of it); all the vehicle's days when an
  aggregation loads or unloads it (its load spans changed).

A bulk load that rebuilds everything at its end (the demo) runs inside :func:`paused`: nothing is kept
meanwhile, and its closing ``refresh`` builds the table once.

An open waybill becomes due (OTIF 0) when its promise passes without any event: :func:`settle_due`
(run by the alert sweep) rebuilds those. ``logispace tower refresh`` stays the repair path.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import get_settings
from logispace.domains import identity, logistics
from logispace.domains.logistics import EventsCaptured, WaybillChanged
from logispace.domains.tower.kpis import repository
from logispace.domains.tower.kpis.definitions import Kind
from logispace.domains.tower.kpis.measures import (
    BEIJING,
    MAX_GPS_GAP,
    Measure,
    container_turns,
    eta_errors,
    shipment_measures,
    vehicle_km,
)
from logispace.domains.tower.kpis.models import ShipmentParty, TowerMeasure
from logispace.domains.tower.kpis.nodes import NODES
from logispace.domains.tower.kpis.service import emission_factors, measure_row

LEG_STEPS = {repository.CBV + s for s in repository.LEG_STEPS}
_PAUSED: ContextVar[bool] = ContextVar("tower_measures_paused", default=False)


@contextmanager
def paused() -> Iterator[None]:
    """Keep no measures up to date inside the block (a bulk load that refreshes at its end)."""
    token = _PAUSED.set(True)
    try:
        yield
    finally:
        _PAUSED.reset(token)


KM_KINDS = (Kind.KM_DRIVEN.value, Kind.KM_EMPTY.value)


def _serialize(session: Session, names: Collection[str]) -> None:
    """On PostgreSQL, take a transaction lock per rebuilt thing (waybill, container, vehicle), in a fixed
    order: two captures about the same thing rebuild it one after the other, the second seeing the
    first's rows (else both would delete the old rows and insert new ones twice). SQLite writes one
    transaction at a time."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in sorted(set(names)):
        key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
        session.execute(select(func.pg_advisory_xact_lock(key)))


def _insert(session: Session, measures: list[Measure]) -> None:
    if measures:
        session.execute(insert(TowerMeasure), [measure_row(m) for m in measures])


def rebuild_waybills(
    session: Session, waybill_ids: Collection[uuid.UUID], now: datetime | None = None
) -> int:
    """Replace the measures and parties of these waybills; returns how many measures they now have."""
    ids = set(waybill_ids)
    if not ids or _PAUSED.get():
        return 0
    now = now or utcnow()
    _serialize(session, [f"tower:waybill:{i}" for i in ids])
    factors = emission_factors(get_settings())
    stored = repository.shipments(session, ids)
    measures: list[Measure] = []
    for s in stored:
        measures.extend(shipment_measures(s.record, now, factors, NODES))
    records = {s.record.waybill_id: s.record for s in stored}
    measures.extend(eta_errors(repository.predictions(session, ids), records))
    session.execute(delete(TowerMeasure).where(TowerMeasure.waybill_id.in_(list(ids))))
    session.execute(delete(ShipmentParty).where(ShipmentParty.waybill_id.in_(list(ids))))
    _insert(session, measures)
    links = [
        {"waybill_id": uuid.UUID(s.record.waybill_id), "uscc": u} for s in stored for u in sorted(s.parties)
    ]
    if links:
        session.execute(insert(ShipmentParty), links)
    return len(measures)


def rebuild_containers(session: Session, numbers: Collection[str]) -> None:
    """Replace the turns of these containers."""
    if not numbers or _PAUSED.get():
        return
    _serialize(session, [f"tower:container:{n}" for n in numbers])
    session.execute(
        delete(TowerMeasure).where(
            TowerMeasure.kind == Kind.CONTAINER_TURN_H.value, TowerMeasure.subject.in_(list(numbers))
        )
    )
    _insert(session, container_turns(repository.assignments(session, numbers)))


def _day_bounds(day: str) -> tuple[datetime, datetime]:
    start = datetime.fromisoformat(day).replace(tzinfo=BEIJING)
    return start, start + timedelta(days=1)


def rebuild_vehicle(
    session: Session, party_id: uuid.UUID, vehicle: str, days: Collection[str] | None
) -> None:
    """Replace the km measures of the vehicle as captured by ``party_id``: on ``days`` (Beijing dates),
    or on every day when None."""
    if _PAUSED.get():
        return
    _serialize(session, [f"tower:vehicle:{party_id}:{vehicle}"])
    owner = identity.party_uscc(session, party_id) or None
    where = [
        TowerMeasure.kind.in_(KM_KINDS),
        TowerMeasure.subject == vehicle,
        TowerMeasure.owner_uscc == owner if owner else TowerMeasure.owner_uscc.is_(None),
    ]
    start = end = None
    if days is not None:
        if not days:
            return
        where.append(TowerMeasure.day.in_(list(days)))
        start = _day_bounds(min(days))[0]
        end = _day_bounds(max(days))[1] + MAX_GPS_GAP
    session.execute(delete(TowerMeasure).where(and_(*where)))
    tracks = repository.vehicle_tracks(session, (party_id, vehicle), start, end)
    measures: list[Measure] = []
    for track_owner, (points, loads) in tracks.items():
        measures.extend(vehicle_km(points, loads, track_owner or None))
    _insert(session, [m for m in measures if days is None or m.day in days])


def _day(at: datetime) -> str:
    return at.astimezone(BEIJING).date().isoformat()


def on_events_captured(session: Session, captured: EventsCaptured) -> None:
    """Link the captured leg events to the waybills they name, then rebuild what the events change
    (the event bus handler). The links are written even while paused: a refresh rebuilds them anyway."""
    repository.add_leg_event_links(session, ((e.pk, e.biz_step, e.body) for e in captured.events))
    if _PAUSED.get():
        return
    numbers: set[str] = set()
    vehicle_days: dict[str, set[str]] = defaultdict(set)
    reloaded: set[str] = set()
    for e in captured.events:
        body = e.body
        if e.biz_step in LEG_STEPS:
            numbers.update(repository.waybill_numbers(body))
        if e.event_type == "AggregationEvent":
            parent = body.get("parentID")
            if isinstance(parent, str) and parent.startswith(repository.VEHICLE_URN):
                reloaded.add(parent)
        if e.read_point and e.read_point.startswith("geo:"):
            for epc in body.get("epcList") or ():
                if isinstance(epc, str) and epc.startswith(repository.VEHICLE_URN):
                    vehicle_days[epc].update({_day(e.event_time), _day(e.event_time - MAX_GPS_GAP)})
    if numbers:
        by_number = logistics.waybill_ids_by_number(session, numbers)
        rebuild_waybills(session, {i for ids in by_number.values() for i in ids})
    for vehicle in sorted(reloaded):
        rebuild_vehicle(session, captured.party_id, vehicle, None)
    for vehicle, days in sorted(vehicle_days.items()):
        if vehicle not in reloaded:
            rebuild_vehicle(session, captured.party_id, vehicle, days)


def on_waybill_changed(session: Session, changed: WaybillChanged) -> None:
    """Rebuild a waybill's measures and its containers' turns after it was created or stepped."""
    if _PAUSED.get():
        return
    rebuild_waybills(session, [changed.waybill_id])
    rebuild_containers(session, repository.containers_of(session, [changed.waybill_id]))


def settle_due(session: Session, now: datetime | None = None) -> int:
    """Rebuild the waybills whose last leg's promise passed and that have no OTIF measure yet (due and
    open: OTIF 0); returns how many."""
    now = now or utcnow()
    due = repository.due_without_otif(session, now)
    rebuild_waybills(session, due, now)
    return len(due)
