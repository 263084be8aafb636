"""Promised and predicted arrival (承诺与预计到达) for the delay rule.

The rule compares the ETA engine's prediction with the promise: a waybill is late by
``max(predicted arrival, now) - promised arrival`` (an open waybill cannot arrive before now), and the
rule fires when that exceeds its threshold (:func:`~.policies.delay_hours`). So a delay is raised as
soon as the prediction runs past the promise by more than the tolerance, before the promise passes.

* the **promise**: the waybill's promised arrival (:class:`~.models.PromisedArrival`, set with
  :func:`promise`), else the promised arrival agreed for its last leg (``tower_leg_terms``);
* the **prediction**: the newest stored ETA prediction of the waybill's last leg (``tower_eta_predictions``,
  kept by ``logispace tower eta`` and the ETA page); none yet: the rule judges by now alone.

:data:`ArrivalEstimate` reads both for a set of waybills (the sweep passes :func:`expected_arrivals`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.logistics import WaybillFacts
from logispace.domains.tower.alerts.models import PromisedArrival
from logispace.domains.tower.eta.models import EtaPrediction
from logispace.domains.tower.kpis.models import LegTerms


@dataclass(frozen=True)
class Expected:
    """What the delay rule compares: the promised arrival and the newest predicted one (UTC)."""

    promised_at: datetime | None
    predicted_arrival: datetime | None = None


ArrivalEstimate = Callable[[Session, Collection[WaybillFacts]], dict[uuid.UUID, Expected]]


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def expected_arrivals(session: Session, waybills: Collection[WaybillFacts]) -> dict[uuid.UUID, Expected]:
    """The promise and the newest prediction of each waybill's last leg, read in bulk."""
    if not waybills:
        return {}
    last = {w.id: max((leg.sequence for leg in w.legs), default=None) for w in waybills}
    ids = list(last)
    rows = session.execute(
        select(PromisedArrival.waybill_id, PromisedArrival.promised_at).where(
            PromisedArrival.waybill_id.in_(ids)
        )
    )
    promised = {wid: at for wid, at in rows}  # noqa: C416 - rows are Row objects
    terms = session.execute(
        select(LegTerms.waybill_id, LegTerms.sequence, LegTerms.promised_at).where(
            LegTerms.waybill_id.in_(ids), LegTerms.promised_at.is_not(None)
        )
    )
    agreed = {wid: at for wid, seq, at in terms if seq == last.get(wid)}
    newest: dict[uuid.UUID, tuple[datetime, datetime]] = {}
    predictions = session.execute(
        select(
            EtaPrediction.waybill_id,
            EtaPrediction.leg,
            EtaPrediction.predicted_at,
            EtaPrediction.predicted_arrival,
        ).where(EtaPrediction.waybill_id.in_(ids))
    )
    for wid, leg, made, arrival in predictions:
        if leg != last.get(wid):
            continue
        seen = newest.get(wid)
        if seen is None or made > seen[0]:
            newest[wid] = (made, arrival)
    out = {}
    for wid in ids:
        promise_at = promised.get(wid) or agreed.get(wid)
        predicted = newest.get(wid)
        out[wid] = Expected(_utc(promise_at), _utc(predicted[1]) if predicted else None)
    return out


def promised_arrival(session: Session, waybill: WaybillFacts) -> datetime | None:
    """The promised arrival of ``waybill`` (its own, else its last leg's), or None when none was set."""
    return expected_arrivals(session, [waybill])[waybill.id].promised_at


def promise(session: Session, waybill_id: uuid.UUID, at: datetime, party_id: uuid.UUID | None) -> None:
    """Set (or move) the promised arrival of a waybill, in the caller's transaction."""
    row = session.get(PromisedArrival, waybill_id)
    if row is None:
        session.add(PromisedArrival(waybill_id=waybill_id, promised_at=at, set_by_party_id=party_id))
    else:
        row.promised_at, row.set_by_party_id = at, party_id
    session.flush()
