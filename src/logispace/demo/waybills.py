"""Stored waybills of the demo week (演示运单, 一单制/一箱制): each generated shipment of
:mod:`logispace.demo.traffic` as a multimodal waybill taken through the waybill service step by
step, every step by the party that acts, so each is signed and notarized and the chain of custody
verifies; the containers' master data is registered by the shipping line that operates them.

The steps follow the events the carriers capture for the same week, at the same times:

* create (草稿) and issue (签发), by the consignor: :data:`DRAFT_LEAD` before the issue time, and at it;
* pick_up (起运), by the carrier of leg 1: leg 1's ``loading`` (AggregationEvent ADD);
* report_delay (延误), by the carrier of leg n: its planned arrival, if it arrives more than
  :data:`DELAY_TOLERANCE` late; resume (恢复), by the same carrier: leg n's ``arriving``;
* hand_over (交接), by the carrier of leg n + 1: leg n + 1's ``loading``;
* deliver (交付), by the carrier of the last leg: its ``unloading`` (AggregationEvent DELETE);
* accept (签收, closed), by the consignee: :data:`ACCEPT_LAG` after delivery.

Only the steps up to the end of the week are taken, so a waybill ends the week issued, in transit
on leg n, delayed on leg n, delivered or closed, as its events do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.pagination import PageParams
from logispace.demo.traffic import Shipment, Traffic
from logispace.domains import identity
from logispace.domains.identity import Principal
from logispace.domains.logistics.containers import service as container_service
from logispace.domains.logistics.containers.errors import ContainerAlreadyRegistered
from logispace.domains.logistics.containers.schemas import ContainerCreate
from logispace.domains.logistics.shares import service as share_service
from logispace.domains.logistics.shares.schemas import ShareCreate
from logispace.domains.logistics.waybills import service as waybill_service
from logispace.domains.logistics.waybills.errors import WaybillNotFound
from logispace.domains.logistics.waybills.policies import Action, WaybillDraft

DRAFT_LEAD = timedelta(minutes=30)
"""The consignor drafts the waybill this long before issuing it."""
ACCEPT_LAG = timedelta(hours=2)
"""The consignee signs for the goods this long after unloading (before the box goes back to the
pool, 12 hours after arrival)."""
DELAY_TOLERANCE = 0.15
"""A leg that arrives later than this share of its planned time after its planned arrival is
reported delayed (运输延误) when its planned arrival passes; it resumes when it arrives."""
IN_SERVICE_BEFORE = timedelta(days=30)
"""The containers were registered this long before their first waybill of the week."""
SOURCE = "demo"


@dataclass(frozen=True)
class Step:
    """One step of a demo waybill: the action, the USCC of the party taking it, and when."""

    action: Action | None
    """``None`` for the draft (create)."""
    actor_uscc: str
    at: datetime
    note: str | None = None


def draft(shipment: Shipment, carriers: Mapping[str, str]) -> WaybillDraft:
    """The shipment as a waybill draft; ``carriers`` gives the USCC of each carrier party key."""
    return WaybillDraft.model_validate(
        {
            "waybill_no": shipment.number,
            "consignor_uscc": shipment.consignor[1],
            "consignee_uscc": shipment.consignee[1],
            "legs": [
                {
                    "mode": leg.mode,
                    "carrier_uscc": carriers[leg.carrier],
                    "origin": leg.origin.code,
                    "destination": leg.destination.code,
                }
                for leg in shipment.legs
            ],
            "cargo": [shipment.cargo],
            "containers": [number for number, _ in shipment.containers],
            "temperature": (
                {"min_c": shipment.temperature[0], "max_c": shipment.temperature[1]}
                if shipment.temperature
                else None
            ),
        }
    )


def delay_reported_at(shipment: Shipment, leg: int) -> datetime | None:
    """When the carrier of leg ``leg`` (from 1) reports it delayed, or ``None`` if it is on time."""
    run = shipment.legs[leg - 1]
    late = run.arrive > run.due + (run.due - run.depart) * DELAY_TOLERANCE
    return run.due if late else None


def steps(shipment: Shipment, carriers: Mapping[str, str], end: datetime) -> list[Step]:
    """The steps of the shipment's waybill that happened by ``end``, in time order."""
    consignor, consignee = shipment.consignor[1], shipment.consignee[1]
    plan = [
        Step(None, consignor, shipment.issued_at - DRAFT_LEAD),
        Step(Action.ISSUE, consignor, shipment.issued_at),
    ]
    for n, leg in enumerate(shipment.legs, start=1):
        carrier = carriers[leg.carrier]
        if n == 1:
            plan.append(Step(Action.PICK_UP, carrier, leg.loading, f"装车 {leg.origin.name}"))
        else:
            plan.append(Step(Action.HAND_OVER, carrier, leg.loading, f"交接 {leg.origin.name}"))
        late = delay_reported_at(shipment, n)
        if late is not None:
            plan.append(Step(Action.REPORT_DELAY, carrier, late, f"晚于计划到达 {leg.destination.name}"))
            plan.append(Step(Action.RESUME, carrier, leg.arrive, f"已到达 {leg.destination.name}"))
    last = shipment.legs[-1]
    plan.append(Step(Action.DELIVER, carriers[last.carrier], last.unloading, f"卸车 {last.destination.name}"))
    plan.append(Step(Action.ACCEPT, consignee, last.unloading + ACCEPT_LAG, "签收"))
    return [step for step in plan if step.at <= end]


def containers_in_service(traffic: Traffic) -> dict[str, tuple[str, datetime]]:
    """Each container of the week: its size-type code and when it was put in service (registered)."""
    out: dict[str, tuple[str, datetime]] = {}
    for shipment in traffic.shipments:
        for number, size_type in shipment.containers:
            drafted = shipment.issued_at - DRAFT_LEAD - IN_SERVICE_BEFORE
            if number not in out or drafted < out[number][1]:
                out[number] = (size_type, drafted)
    return out


def load(
    session: Session,
    settings: Settings,
    traffic: Traffic,
    end: datetime,
    principals: Mapping[str, Principal],
    carriers: Mapping[str, str],
    owner: Principal,
) -> int:
    """Register the week's containers (``owner`` operating them) and store each shipment's waybill
    with its steps up to ``end``, each by the principal of the acting party's USCC in
    ``principals``; return how many waybills were stored. Shipments stored already are skipped."""
    stored = 0
    pending = [s for s in traffic.shipments if not _exists(session, principals, s)]
    if not pending:
        return 0
    for number, (size_type, since) in sorted(containers_in_service(traffic).items()):
        body = ContainerCreate(number=number, size_type=size_type)
        try:
            container_service.register(session, owner, body, registered_at=since)
        except ContainerAlreadyRegistered:
            continue
    for shipment in pending:
        store(session, settings, shipment, steps(shipment, carriers, end), principals, carriers)
        stored += 1
    return stored


def store(
    session: Session,
    settings: Settings,
    shipment: Shipment,
    plan: Sequence[Step],
    principals: Mapping[str, Principal],
    carriers: Mapping[str, str],
) -> None:
    """Create the shipment's waybill and take its steps, each as the party that acts."""
    first, *rest = plan
    waybill_service.create_draft(
        session,
        principals[first.actor_uscc],
        settings,
        draft(shipment, carriers),
        SOURCE,
        occurred_at=first.at,
    )
    for step in rest:
        if step.action is None:
            raise ValueError("only the first step is the draft")
        waybill_service.act(
            session,
            principals[step.actor_uscc],
            settings,
            shipment.number,
            step.action,
            step.note,
            occurred_at=step.at,
        )


def _exists(session: Session, principals: Mapping[str, Principal], s: Shipment) -> bool:
    try:
        waybill_service.get_waybill(session, principals[s.consignor[1]], s.number)
    except WaybillNotFound:
        return False
    return True


BANK_PURPOSE = "供应链金融贸易真实性核验"
SHARED_STATUSES = ("closed", "delivered", "in_transit")


def share_with_bank(session: Session, settings: Settings, shipper: Principal, bank_uscc: str) -> str | None:
    """Let the bank read one of ``shipper``'s waybills for 90 days (运单共享, 真实贸易核验), the one it
    shipped that went furthest; nothing when the shipper has shared one already. Returns its number."""
    listed, _ = waybill_service.list_waybills(session, shipper, PageParams(limit=200))
    if any(share_service.shares_of(session, shipper, w.number) for w in listed):
        return None
    uscc = identity.party_uscc(session, shipper.party_id) if shipper.party_id else None
    mine = [w for w in listed if w.status in SHARED_STATUSES and w.consignor_uscc == uscc]
    if not mine:
        return None
    chosen = min(mine, key=lambda w: (SHARED_STATUSES.index(w.status), w.number))
    until = utcnow().replace(microsecond=0) + timedelta(days=90)
    body = ShareCreate(recipient_uscc=bank_uscc, purpose=BANK_PURPOSE, valid_until=until)
    share_service.grant(session, shipper, settings, chosen.number, body)
    return chosen.number
