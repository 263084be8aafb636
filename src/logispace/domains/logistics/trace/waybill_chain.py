"""Full-chain trace of a waybill (运单全程追溯, 一单制): its legs and handovers, the events of its
containers within its window grouped by leg, its signed documents with their verdicts, the
current position and status.

Only a party of the waybill (consignor, consignee, creator, a leg's carrier) and a party it is shared
with while the share runs (:mod:`..shares`) see it; anyone else,
the authority included, gets 404 like a missing number (as ``/api/v1/waybills``). The events are
those the waybill's platform parties captured about its containers from its issue to its close
(or now): the windows rule of :mod:`.stored_waybills`, bounded to this waybill.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from logispace.domains import identity
from logispace.domains.identity import Principal
from logispace.domains.logistics.shares.service import shared_waybill
from logispace.domains.logistics.trace import service as trace_service
from logispace.domains.logistics.trace import stored_waybills
from logispace.domains.logistics.trace.repository import Scope, Window
from logispace.domains.logistics.trace.schemas import (
    CustodyFindingRef,
    Position,
    TraceDocument,
    TraceEvent,
    TraceLeg,
    TraceStatus,
    WaybillHandover,
    WaybillLegRef,
    WaybillTraceEvent,
    WaybillTraceLeg,
    WaybillTraceRead,
)
from logispace.domains.logistics.waybills import repository
from logispace.domains.logistics.waybills.errors import WaybillNotFound


def trace_waybill(session: Session, p: Principal, number: str) -> WaybillTraceRead:
    """The whole chain of waybill ``number`` for a party of it or a party it is shared with now
    (404 otherwise)."""
    who = stored_waybills.caller_of(session, p)
    if who is None:
        raise WaybillNotFound(f"no waybill {number}")
    w = shared_waybill(session, p, number)
    legs = repository.legs_of(session, [w.id])[w.id]
    steps = repository.events_of(session, [w.id])[w.id]
    containers = repository.container_numbers_of(session, [w.id])[w.id]
    held = stored_waybills.Held(w, legs, steps)
    period = held.period
    report = stored_waybills.verify(session, held)
    documents = stored_waybills.documents_of(session, held, report)
    refs = stored_waybills.leg_refs(session, held)
    carrier_ids = identity.party_ids_by_uscc(session, {ref.carrierUscc for ref in refs})
    legs_of = _LegFinder(refs, {ref.sequence: carrier_ids.get(ref.carrierUscc) for ref in refs})

    events: list[WaybillTraceEvent] = []
    observed: list[TraceLeg] = []
    positions: list[Position] = []
    latest: list[TraceStatus] = []
    truncated = False
    if period.start is not None:
        scope = Scope(
            sees_all=False,
            windows=tuple(
                Window(party, period.start, period.end)
                for party in sorted(stored_waybills.parties_of(session, held))
            ),
        )
        for number_ in containers:
            epc, _, _ = trace_service.container_epc(number_)
            try:
                trace = trace_service.build(session, epc, scope, track=True)
            except trace_service.TraceNotFound:
                continue
            truncated = truncated or trace.eventsTruncated
            events.extend(_tagged(e, number_, legs_of) for e in trace.events)
            observed.extend(trace.legs)
            if trace.position is not None:
                positions.append(trace.position)
            latest.append(trace.status)
    events.sort(key=lambda e: (e.eventTime, e.container, e.eventID))
    ids = identity.party_ids_by_uscc(session, {w.consignor_uscc, w.consignee_uscc})
    names = identity.party_names(session, list(ids.values()))
    return WaybillTraceRead(
        number=w.number,
        status=w.status,
        state=stored_waybills.state_of(w),
        currentLeg=w.current_leg,
        consignorUscc=w.consignor_uscc,
        consignorName=names.get(ids[w.consignor_uscc]) if w.consignor_uscc in ids else None,
        consigneeUscc=w.consignee_uscc,
        consigneeName=names.get(ids[w.consignee_uscc]) if w.consignee_uscc in ids else None,
        issuedAt=period.start,
        closedAt=period.end,
        containers=containers,
        legs=[
            WaybillTraceLeg(
                **ref.model_dump(),
                means=_means_during(observed, ref, legs_of),
                track=_track_during(observed, ref, legs_of),
                events=[e for e in events if e.leg == ref.sequence],
            )
            for ref in refs
        ],
        handovers=_handovers(refs, documents),
        otherEvents=[e for e in events if e.leg is None],
        eventsTruncated=truncated,
        documents=documents,
        verdict=report.verdict,
        custodyFindings=[
            CustodyFindingRef(
                problem=f.problem,
                sequence=f.sequence,
                action=f.action,
                ledgerIndex=f.ledger_index,
                detail=f.detail,
            )
            for f in report.findings
        ],
        position=max(positions, key=lambda x: x.time, default=None),
        latest=_latest(max(latest, key=lambda x: x.time, default=None), documents, refs),
    )


_AT_DESTINATION = frozenset({"deliver", "redeliver", "accept", "refuse", "close"})


def _latest(
    event: TraceStatus | None, documents: list[TraceDocument], refs: list[WaybillLegRef]
) -> TraceStatus | None:
    """The waybill's current status: its latest signed step when no event came after it (a closed
    waybill's last scan is often an unloading "in progress", hours before the consignee signed),
    else the latest event."""
    step = max(documents, key=lambda d: d.sequence, default=None)
    if step is None or (event is not None and event.time > step.occurredAt):
        return event
    by_leg = {ref.sequence: ref for ref in refs}
    place: str | None = None
    if step.toLeg in by_leg:
        place = by_leg[step.toLeg].origin
    elif step.action in _AT_DESTINATION and refs:
        place = refs[-1].destination
    return TraceStatus(
        time=step.occurredAt,
        bizStep=None,
        disposition=None,
        place=place,
        waybillAction=step.action,
        waybillStatus=step.toStatus,
    )


class _LegFinder:
    """Which leg of the waybill an event or a means belongs to (事件归属运段).

    By time first: the leg whose carrier had custody at the moment (from its start, before its end).
    Near a handover the signed step and the scans seldom agree to the second: the next carrier's
    loading is scanned a moment before it signs, the previous one's unloading a moment after. So an
    event captured by the carrier of the leg just before or after the one in force belongs to that
    carrier's leg (a ship's loading is never listed under the road leg)."""

    def __init__(self, refs: list[WaybillLegRef], carriers: dict[int, uuid.UUID | None]) -> None:
        self.refs = refs
        self.carriers = carriers

    def at(self, moment: datetime) -> int | None:
        """The leg in force at ``moment``, by time only."""
        for ref in self.refs:
            if (
                ref.startedAt is not None
                and ref.startedAt <= moment
                and (ref.endedAt is None or moment < ref.endedAt)
            ):
                return ref.sequence
        return None

    def of(self, moment: datetime, captured_by: uuid.UUID | None) -> int | None:
        """The leg of what ``captured_by`` recorded at ``moment``."""
        current = self.at(moment)
        if current is None or captured_by is None or self.carriers.get(current) == captured_by:
            return current
        for neighbour in (current + 1, current - 1):
            started = any(r.sequence == neighbour and r.startedAt is not None for r in self.refs)
            if started and self.carriers.get(neighbour) == captured_by:
                return neighbour
        return current


def _tagged(event: TraceEvent, container: str, legs_of: _LegFinder) -> WaybillTraceEvent:
    fields = dict(event)
    fields["leg"] = legs_of.of(event.eventTime, event.capturedBy)
    return WaybillTraceEvent.model_construct(**fields, container=container)


def _observed_during(observed: list[TraceLeg], ref: WaybillLegRef, legs_of: _LegFinder) -> list[TraceLeg]:
    """The container's means whose loading belongs to the leg (by time and by who loaded it)."""
    return [leg for leg in observed if legs_of.of(leg.loadedAt, leg.carrier) == ref.sequence]


def _means_during(observed: list[TraceLeg], ref: WaybillLegRef, legs_of: _LegFinder) -> list[str]:
    """The means loaded during the leg's custody (in order, each once)."""
    out: list[str] = []
    for leg in sorted(_observed_during(observed, ref, legs_of), key=lambda x: x.loadedAt):
        if leg.means not in out:
            out.append(leg.means)
    return out


def _track_during(observed: list[TraceLeg], ref: WaybillLegRef, legs_of: _LegFinder) -> list[Position]:
    """The GPS points of the means loaded during the leg's custody, oldest first, each once."""
    points: dict[tuple[datetime, float, float], Position] = {}
    for leg in _observed_during(observed, ref, legs_of):
        for point in leg.track:
            points.setdefault((point.time, point.latitude, point.longitude), point)
    return [points[key] for key in sorted(points)]


def _handovers(refs: list[WaybillLegRef], documents: list[TraceDocument]) -> list[WaybillHandover]:
    """The signed handover steps (交接): where one leg ends and the next carrier took custody."""
    by_leg = {ref.sequence: ref for ref in refs}
    out = []
    for doc in documents:
        if doc.action != "hand_over" or doc.toLeg is None or doc.toLeg - 1 not in by_leg:
            continue
        before, after = by_leg[doc.toLeg - 1], by_leg.get(doc.toLeg)
        out.append(
            WaybillHandover(
                fromLeg=before.sequence,
                toLeg=doc.toLeg,
                place=before.destination,
                time=doc.occurredAt,
                fromCarrierUscc=before.carrierUscc,
                toCarrierUscc=after.carrierUscc if after is not None else doc.actorUscc,
                documentId=doc.documentId,
                verdict=doc.verdict,
            )
        )
    return out
