"""ETA per open leg and waybill (预计到达时间): predicted from the corridor's history and the last GPS
position (:mod:`.policies`), each prediction stored so that its accuracy is measured once the leg
arrives (the ``eta_accuracy`` KPI). A prediction is stored at most every :data:`STORE_EVERY` per leg.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.domains import identity
from logispace.domains.identity import Principal
from logispace.domains.tower.eta import repository
from logispace.domains.tower.eta.models import EtaPrediction
from logispace.domains.tower.eta.policies import (
    LegSample,
    OpenLeg,
    Prediction,
    median_dwell_h,
    predict_waybill,
)
from logispace.domains.tower.eta.schemas import EtaRead, LegEta, PredictionRead
from logispace.domains.tower.kpis import incremental
from logispace.domains.tower.kpis import repository as records
from logispace.domains.tower.kpis.errors import EtaWaybillNotFound
from logispace.domains.tower.kpis.measures import ShipmentRecord, hours, utc
from logispace.domains.tower.kpis.nodes import NODES

STORE_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class History:
    """The finished legs known at a moment and the median dwell at each node (hours)."""

    samples: list[LegSample]
    dwell_h: dict[str, float]


def history(stored: Sequence[records.StoredShipment], as_of: datetime | None = None) -> History:
    """Finished legs of every stored shipment (arrived by ``as_of`` when given) and the median dwell."""
    samples: list[LegSample] = []
    dwells: dict[str, list[float]] = defaultdict(list)
    for s in stored:
        legs = truncate(s.record, as_of).legs if as_of else s.record.legs
        for leg, after in zip(legs, (*legs[1:], None), strict=True):
            if leg.departed_at and leg.arrived_at:
                transit = hours(leg.arrived_at, leg.departed_at)
                samples.append(LegSample(leg.mode, leg.origin, leg.destination, leg.departed_at, transit))
            if after is not None and leg.arrived_at and after.departed_at:
                dwells[leg.destination].append(hours(after.departed_at, leg.arrived_at))
    return History(samples, {node: median_dwell_h(v) for node, v in dwells.items()})


def truncate(record: ShipmentRecord, at: datetime | None) -> ShipmentRecord:
    """The shipment as it was known at ``at``: times after it forgotten."""
    if at is None:
        return record

    def known(moment: datetime | None) -> datetime | None:
        return moment if moment is not None and moment <= at else None

    legs = tuple(
        replace(
            leg,
            departed_at=known(leg.departed_at),
            arrived_at=known(leg.arrived_at),
            taken_over_at=known(leg.taken_over_at),
            unloaded_at=known(leg.unloaded_at),
        )
        for leg in record.legs
    )
    return replace(record, legs=legs)


def _visible(session: Session, principal: Principal, number: str) -> uuid.UUID:
    found = repository.waybills_by_number(session, number)
    if principal.is_authority and found:
        return found[0][0].id
    uscc = identity.party_uscc(session, principal.party_id) if principal.party_id else None
    for w, legs in found:
        if uscc and (
            uscc in (w.consignor_uscc, w.consignee_uscc) or any(leg.carrier_uscc == uscc for leg in legs)
        ):
            return w.id
        if w.created_by_party_id == principal.party_id:
            return w.id
    raise EtaWaybillNotFound(f"no waybill {number} that you may see", field="waybill")


def predict(
    session: Session,
    record: ShipmentRecord,
    number: str,
    now: datetime,
    known: History,
    vehicles: dict[tuple[str, str], set[str]],
) -> list[Prediction]:
    """Predictions of the shipment's open legs at ``now`` (``record`` as known at ``now``)."""
    open_legs = []
    ready = None
    for leg in record.legs:
        if leg.arrived_at is not None:
            ready = leg.unloaded_at or leg.arrived_at
            continue
        fix = None
        if leg.mode == "road" and leg.departed_at is not None:
            means = sorted(vehicles.get((number, leg.origin), ()))
            fix = repository.last_fix(session, means, leg.departed_at, now)
        open_legs.append(
            OpenLeg(
                leg.sequence, leg.mode, leg.origin, leg.destination, leg.departed_at, fix, leg.distance_km
            )
        )
    return predict_waybill(known.samples, open_legs, now, NODES, known.dwell_h, ready)


def store(session: Session, waybill_id: uuid.UUID, predictions: list[Prediction], now: datetime) -> None:
    """Store each prediction unless one of the same leg was stored within :data:`STORE_EVERY`."""
    latest: dict[int, datetime] = {}
    for kept in repository.predictions_of(session, waybill_id):
        latest[kept.leg] = max(latest.get(kept.leg, kept.predicted_at), kept.predicted_at)
    for p in predictions:
        last = latest.get(p.sequence)
        if last is not None and abs(now - utc(last)) < STORE_EVERY:
            continue
        session.add(
            EtaPrediction(
                waybill_id=waybill_id,
                leg=p.sequence,
                predicted_at=now,
                predicted_arrival=p.predicted_arrival,
                method=p.method,
                inputs=p.inputs,
            )
        )
    session.flush()


def eta(session: Session, principal: Principal, number: str, now: datetime | None = None) -> EtaRead:
    """The waybill's ETA now (stored), its legs and the history of its predictions."""
    now = now or utcnow()
    waybill_id = _visible(session, principal, number)
    stored = records.shipments(session)
    mine = next(s for s in stored if s.record.waybill_id == str(waybill_id))
    vehicles = repository.loading_vehicles(session, mine.number)
    predictions = predict(session, mine.record, mine.number, now, history(stored), vehicles)
    store(session, waybill_id, predictions, now)
    by_leg = {p.sequence: p for p in predictions}
    legs = [
        LegEta(
            sequence=leg.sequence,
            mode=leg.mode,
            origin=leg.origin,
            destination=leg.destination,
            departed_at=leg.departed_at,
            arrived_at=leg.arrived_at,
            predicted_arrival=by_leg[leg.sequence].predicted_arrival if leg.sequence in by_leg else None,
            method=by_leg[leg.sequence].method if leg.sequence in by_leg else None,
            inputs=by_leg[leg.sequence].inputs if leg.sequence in by_leg else None,
        )
        for leg in mine.record.legs
    ]
    arrivals = {leg.sequence: leg.arrived_at for leg in mine.record.legs}
    past = [
        PredictionRead(
            leg=p.leg,
            predicted_at=p.predicted_at,
            predicted_arrival=p.predicted_arrival,
            method=p.method,
            error_h=_error(p, arrivals.get(p.leg)),
        )
        for p in repository.predictions_of(session, waybill_id)
    ]
    last = legs[-1]
    status = _status(mine.record)
    return EtaRead(
        waybill=mine.number,
        status=status,
        corridor=mine.record.corridor,
        predicted_at=now,
        arrival=last.arrived_at or last.predicted_arrival,
        legs=legs,
        history=past,
    )


def _error(p: EtaPrediction, arrived: datetime | None) -> float | None:
    if arrived is None:
        return None
    predicted_at = utc(p.predicted_at)
    if predicted_at >= arrived:
        return None
    return abs(hours(utc(p.predicted_arrival), arrived))


def _status(record: ShipmentRecord) -> str:
    if record.legs[-1].arrived_at is not None:
        return "arrived"
    if any(leg.departed_at for leg in record.legs):
        return "under_way"
    return "not_departed"


def predict_open(session: Session, now: datetime | None = None) -> int:
    """Predict and store the ETA of every waybill under way (``logispace tower eta``); returns how
    many leg predictions were stored."""
    now = now or utcnow()
    ids = {str(i) for i in repository.open_waybill_ids(session)}
    return predict_at(session, records.shipments(session), [now], ids)


def predict_at(
    session: Session,
    stored: Sequence[records.StoredShipment],
    moments: Sequence[datetime],
    only: set[str] | None = None,
) -> int:
    """At each of ``moments``, predict the open legs of every shipment under way then (or of ``only``)
    from what was known at that moment, and store the predictions; returns how many were stored.
    The demo uses it to keep a week of predictions, so that their accuracy is measured."""
    vehicles = repository.loading_vehicles(session)
    count = 0
    touched: set[uuid.UUID] = set()
    for moment in moments:
        known = history(stored, moment)
        for s in stored:
            if only is not None and s.record.waybill_id not in only:
                continue
            record = truncate(s.record, moment)
            if record.legs[0].taken_over_at is None or record.legs[-1].arrived_at is not None:
                continue
            predictions = predict(session, record, s.number, moment, known, vehicles)
            store(session, uuid.UUID(s.record.waybill_id), predictions, moment)
            touched.add(uuid.UUID(s.record.waybill_id))
            count += len(predictions)
    incremental.rebuild_waybills(session, touched)  # a prediction before an arrival is an ETA error
    return count
