"""Stored waybills in the trace (一单制全程追溯): the windows they open and their signed documents.

The windows rule (docs/logistics.md, "Who sees a trace"): a party of a stored waybill holding a
container (its consignor, consignee, creator or the carrier of a leg) sees the events about that
container captured by the waybill's other parties from the waybill's issue to its close (or
cancellation; open while it runs). Parties named by a unified social credit code that is not on
the platform capture nothing, so they open no window. A draft never issued opens none.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from sqlalchemy.orm import Session

from logispace.domains import identity
from logispace.domains.identity import Principal
from logispace.domains.logistics.intake.adapters import CONTAINER_URN
from logispace.domains.logistics.trace.repository import Window
from logispace.domains.logistics.trace.schemas import TraceDocument, TraceWaybill, WaybillLegRef
from logispace.domains.logistics.waybills import custody, repository
from logispace.domains.logistics.waybills import policies as policy
from logispace.domains.logistics.waybills.models import Waybill, WaybillEvent, WaybillLeg
from logispace.domains.logistics.waybills.schemas import CustodyReport
from logispace.domains.logistics.waybills.service import Caller, is_party_to

ENDED = (str(policy.Status.CLOSED), str(policy.Status.CANCELLED))


@dataclass(frozen=True)
class Period:
    """A waybill's window (运单时间窗): from its issue to its close or cancellation."""

    start: datetime | None
    end: datetime | None


def period_of(steps: Sequence[WaybillEvent]) -> Period:
    """Issue to close (or cancel) from the waybill's steps; no start if it was never issued."""
    start = next((s.occurred_at for s in steps if s.action == str(policy.Action.ISSUE)), None)
    end = next((s.occurred_at for s in steps if start is not None and s.to_status in ENDED), None)
    return Period(start, end)


def leg_times(steps: Sequence[WaybillEvent]) -> dict[int, tuple[datetime | None, datetime | None]]:
    """When each leg's carrier took and gave up custody, from the signed steps: pick-up and
    handover start a leg, the next handover, delivery (or a close of a damaged leg) end it."""
    starts: dict[int, datetime] = {}
    ends: dict[int, datetime] = {}
    for s in steps:
        if s.to_leg is not None and s.to_leg != s.from_leg:
            starts.setdefault(s.to_leg, s.occurred_at)
        if s.from_leg is not None and s.to_leg != s.from_leg:
            ends.setdefault(s.from_leg, s.occurred_at)
    return {n: (starts.get(n), ends.get(n)) for n in set(starts) | set(ends)}


def caller_of(session: Session, p: Principal) -> Caller | None:
    """The caller's party and USCC; none for the authority's staff or a user without a party."""
    if p.party_id is None:
        return None
    uscc = identity.party_uscc(session, p.party_id)
    return Caller(p.party_id, uscc) if uscc is not None else None


def container_of(epc: str) -> str | None:
    """The container number of a LogiSpace container URN (else none)."""
    return unquote(epc[len(CONTAINER_URN) :]) if epc.startswith(CONTAINER_URN) else None


@dataclass
class Held:
    """A stored waybill that held the container, with its legs and steps."""

    waybill: Waybill
    legs: list[WaybillLeg]
    steps: list[WaybillEvent]

    @property
    def period(self) -> Period:
        return period_of(self.steps)


def held_by(session: Session, who: Caller, number: str) -> list[Held]:
    """The stored waybills that held container ``number`` and that ``who`` is a party to."""
    container = repository.container_by_number(session, number)
    if container is None:
        return []
    uses = repository.uses_of(session, container.id)
    ids = [w.id for _, w in uses]
    legs = repository.legs_of(session, ids)
    mine = [w for _, w in uses if is_party_to(w, legs[w.id], who)]
    steps = repository.events_of(session, [w.id for w in mine])
    return [Held(w, legs[w.id], steps[w.id]) for w in mine]


def parties_of(session: Session, held: Held) -> set[uuid.UUID]:
    """The platform parties of a waybill: consignor, consignee, carriers (by USCC) and creator."""
    usccs = {held.waybill.consignor_uscc, held.waybill.consignee_uscc, *(x.carrier_uscc for x in held.legs)}
    return {*identity.party_ids_by_uscc(session, usccs).values(), held.waybill.created_by_party_id}


def windows_for(session: Session, who: Caller, epc: str) -> list[Window]:
    """The windows the stored waybills holding ``epc`` give ``who`` over the other parties' events."""
    number = container_of(epc)
    if number is None:
        return []
    windows = []
    for held in held_by(session, who, number):
        period = held.period
        if period.start is None:
            continue
        for party in sorted(parties_of(session, held) - {who.party_id}):
            windows.append(Window(party, period.start, period.end))
    return windows


def leg_refs(session: Session, held: Held) -> list[WaybillLegRef]:
    usccs = {x.carrier_uscc for x in held.legs}
    ids = identity.party_ids_by_uscc(session, usccs)
    names = identity.party_names(session, list(ids.values()))
    times = leg_times(held.steps)
    return [
        WaybillLegRef(
            sequence=x.sequence,
            mode=x.mode,
            carrierUscc=x.carrier_uscc,
            carrierName=names.get(ids[x.carrier_uscc]) if x.carrier_uscc in ids else None,
            origin=x.origin,
            destination=x.destination,
            startedAt=times.get(x.sequence, (None, None))[0],
            endedAt=times.get(x.sequence, (None, None))[1],
        )
        for x in held.legs
    ]


def state_of(w: Waybill) -> str:
    return str(policy.WaybillState(policy.Status(w.status), w.current_leg))


def documents_of(session: Session, held: Held, report: CustodyReport) -> list[TraceDocument]:
    """Each signed step of the waybill as a document with its verdict and public page."""
    names = identity.party_names(session, {s.actor_party_id for s in report.steps})
    return [
        TraceDocument(
            waybill=held.waybill.number,
            sequence=s.sequence,
            action=s.action,
            actorUscc=s.actor_uscc,
            actorName=names.get(s.actor_party_id),
            occurredAt=s.occurred_at,
            toStatus=str(s.to_status),
            toLeg=s.to_leg,
            documentId=s.document_id,
            documentVersion=s.document_version,
            ledgerIndex=s.ledger_index,
            verdict=s.verdict,
            problems=s.problems,
            pageUrl=f"/documents/{s.document_id}" if s.document_id else None,
        )
        for s in report.steps
    ]


def verify(session: Session, held: Held) -> CustodyReport:
    """The waybill's chain of custody verified now (what ``custody_report`` answers)."""
    return custody.verify_chain(session, held.waybill, held.steps)


def stored_waybills(
    session: Session, p: Principal, epc: str
) -> tuple[list[TraceWaybill], list[TraceDocument]]:
    """The stored waybills that held the container ``epc`` and the caller is a party to, with the
    documents of their chains of custody and each one's verdict."""
    who = caller_of(session, p)
    number = container_of(epc)
    if who is None or number is None:
        return [], []
    waybills, documents = [], []
    for held in held_by(session, who, number):
        report = verify(session, held)
        period = held.period
        waybills.append(
            TraceWaybill(
                number=held.waybill.number,
                status=held.waybill.status,
                state=state_of(held.waybill),
                currentLeg=held.waybill.current_leg,
                issuedAt=period.start,
                closedAt=period.end,
                legs=leg_refs(session, held),
                verdict=report.verdict,
                traceUrl=f"/api/v1/trace/waybills/{held.waybill.number}",
            )
        )
        documents.extend(documents_of(session, held, report))
    return waybills, documents
