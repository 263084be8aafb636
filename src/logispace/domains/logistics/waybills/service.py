"""Multimodal waybill service (多式联运一单制): drafts, actions, reading and the chain of custody.

The rules are the policy's (:mod:`.policies`): this module loads the waybill, asks
:func:`~.policies.apply` for the next state, and writes the state, the transition and its
signed, notarized document in the caller's transaction. Services never commit.

A party sees a waybill when it is its consignor, consignee, creator or the carrier of a leg;
any other waybill answers 404 exactly like a missing one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import PermissionDenied
from logispace.core.events import bus
from logispace.core.pagination import PageParams, paged
from logispace.domains import identity
from logispace.domains.identity import Principal, Role
from logispace.domains.logistics.waybills import crosscheck, custody, repository
from logispace.domains.logistics.waybills import policies as policy
from logispace.domains.logistics.waybills.errors import (
    WaybillCustodyBroken,
    WaybillNotFound,
    WaybillNumberTaken,
)
from logispace.domains.logistics.waybills.events import WaybillChanged
from logispace.domains.logistics.waybills.models import (
    Container,
    ContainerAssignment,
    Waybill,
    WaybillEvent,
    WaybillLeg,
)
from logispace.domains.logistics.waybills.schemas import (
    CustodyReport,
    LegRead,
    TransitionRead,
    WaybillFilter,
    WaybillRead,
    WaybillSummary,
)

WRITING_ROLES = (Role.PARTY_ADMIN, Role.DATA_STEWARD)


@dataclass(frozen=True)
class Caller:
    """The caller's party and its unified social credit code (how waybills name parties)."""

    party_id: uuid.UUID
    uscc: str


def caller(session: Session, p: Principal) -> Caller:
    """The caller's party; waybills are always handled by a user of a party."""
    if p.party_id is None:
        raise PermissionDenied("waybills are handled by a user of a party")
    uscc = identity.party_uscc(session, p.party_id)
    if uscc is None:  # a principal's party exists; report rather than fail
        raise PermissionDenied("the caller's party is unknown")
    return Caller(p.party_id, uscc)


def writer(p: Principal) -> None:
    if not p.has(*WRITING_ROLES):
        raise PermissionDenied(
            "waybill documents are signed in the party's name: a party administrator or data steward acts"
        )


def is_party_to(w: Waybill, legs: Sequence[WaybillLeg], who: Caller) -> bool:
    """Consignor, consignee, creator or a leg's carrier (运单当事方)."""
    return (
        who.uscc in (w.consignor_uscc, w.consignee_uscc)
        or w.created_by_party_id == who.party_id
        or any(leg.carrier_uscc == who.uscc for leg in legs)
    )


def _visible(session: Session, who: Caller, number: str, *, for_update: bool = False) -> Waybill:
    return _visible_with_legs(session, who, number, for_update=for_update)[0]


def _visible_with_legs(
    session: Session, who: Caller, number: str, *, for_update: bool = False
) -> tuple[Waybill, list[WaybillLeg]]:
    """The waybill with ``number`` that ``who`` is a party to, with the legs read to decide it; 404
    otherwise. Numbers are unique per issuing party: of several the caller may see, the one its own
    party issued, else the earliest created."""
    found = repository.waybills_by_number(session, number.strip().upper(), for_update=for_update)
    all_legs = repository.legs_of(session, [w.id for w in found])
    visible = [w for w in found if is_party_to(w, all_legs[w.id], who)]
    if not visible:
        raise WaybillNotFound(f"no waybill {number}")
    w = next((x for x in visible if x.created_by_party_id == who.party_id), visible[0])
    return w, all_legs[w.id]


def draft_of(w: Waybill, legs: Sequence[WaybillLeg], containers: Sequence[str]) -> policy.WaybillDraft:
    """The stored waybill as the policy's draft (its legs and parties drive the state machine)."""
    return policy.WaybillDraft.model_validate(
        {
            "waybill_no": w.number,
            "consignor_uscc": w.consignor_uscc,
            "consignee_uscc": w.consignee_uscc,
            "legs": [
                {
                    "mode": x.mode,
                    "carrier_uscc": x.carrier_uscc,
                    "origin": x.origin,
                    "destination": x.destination,
                }
                for x in legs
            ],
            "cargo": w.cargo,
            "containers": list(containers),
            "temperature": (
                {"min_c": w.temperature_min_c, "max_c": w.temperature_max_c}
                if w.temperature_min_c is not None and w.temperature_max_c is not None
                else None
            ),
        }
    )


def _claim_containers(
    session: Session, who: Caller, number: str, containers: Sequence[str], waybill_id: uuid.UUID | None
) -> dict[str, Container]:
    """Lock the containers (creating master data for unknown ones) and refuse any held by another
    issued, unfinished waybill (409 naming the container, and that waybill if ``who`` is on it)."""
    found = repository.containers_for_update(session, containers)
    for c in containers:
        if c not in found:
            found[c] = Container(
                id=uuid.uuid4(), number=c, owner_code=policy.owner_code(c), created_at=utcnow()
            )
            session.add(found[c])
    session.flush()
    holders = repository.current_holders(session, containers, waybill_id)
    legs = repository.legs_of(session, [w.id for w, _ in holders.values()])
    seen = {
        box: policy.ContainerAssignment(w.number if is_party_to(w, legs[w.id], who) else None, status)
        for box, (w, status) in holders.items()
    }
    policy.check_container_available(number, tuple(containers), seen)
    return found


def _number_in_sight(session: Session, who: Caller, number: str) -> bool:
    """Whether the caller's party issued ``number`` or is a party to a waybill with it. A waybill the
    caller cannot see does not take the number (unique per issuer): no 409 tells that it exists."""
    if repository.issued_by(session, who.party_id, number) is not None:
        return True
    found = repository.waybills_by_number(session, number)
    legs = repository.legs_of(session, [w.id for w in found])
    return any(is_party_to(w, legs[w.id], who) for w in found)


def create_draft(
    session: Session,
    p: Principal,
    settings: Settings,
    draft: policy.WaybillDraft,
    source: str = "api",
    *,
    occurred_at: datetime | None = None,
) -> Waybill:
    """A new waybill in ``draft``, its first step signed by the creating party (草稿).

    ``occurred_at`` is when the draft was made if not now (recorded after the fact; never in the
    future); the signature and the ledger entry are made now either way."""
    who = caller(session, p)
    writer(p)
    if _number_in_sight(session, who, draft.waybill_no):
        raise WaybillNumberTaken(f"waybill {draft.waybill_no} exists already", number=draft.waybill_no)
    now = policy.step_time(occurred_at, None, utcnow())
    classes = sorted({c.dangerous_goods_class for c in draft.cargo if c.dangerous_goods_class})
    w = Waybill(
        id=uuid.uuid4(),
        number=draft.waybill_no,
        consignor_uscc=draft.consignor_uscc,
        consignee_uscc=draft.consignee_uscc,
        cargo=[c.model_dump(mode="json") for c in draft.cargo],
        dangerous_goods_class=",".join(classes) or None,
        temperature_min_c=draft.temperature.min_c if draft.temperature else None,
        temperature_max_c=draft.temperature.max_c if draft.temperature else None,
        status=str(policy.Status.DRAFT),
        current_leg=None,
        leg_count=len(draft.legs),
        source=source,
        created_by_party_id=who.party_id,
        created_by_user_id=p.user_id,
        created_at=now,
        updated_at=now,
    )
    containers = _claim_containers(session, who, draft.waybill_no, draft.containers, None)
    session.add(w)
    session.flush()  # no relationships: the legs' and assignments' foreign keys need the row first
    legs = [
        WaybillLeg(
            waybill_id=w.id,
            sequence=n,
            mode=str(leg.mode),
            carrier_uscc=leg.carrier_uscc,
            origin=leg.origin,
            destination=leg.destination,
        )
        for n, leg in enumerate(draft.legs, start=1)
    ]
    session.add_all(legs)
    for position, c in enumerate(draft.containers, start=1):
        session.add(
            ContainerAssignment(
                container_id=containers[c].id, waybill_id=w.id, position=position, assigned_at=now
            )
        )
    session.flush()
    event = WaybillEvent(
        waybill_id=w.id,
        sequence=1,
        action="create",
        actor_party_id=who.party_id,
        actor_user_id=p.user_id,
        actor_uscc=who.uscc,
        to_status=w.status,
        occurred_at=now,
    )
    custody.sign_step(
        session, p, settings, w, event, custody.snapshot(w, legs, draft.containers, event, None)
    )
    session.add(event)
    session.flush()
    _announce(session, w.id, "create")
    return w


def _announce(session: Session, waybill_id: uuid.UUID, action: str) -> None:
    if bus.has_handlers(WaybillChanged):
        bus.publish(session, WaybillChanged(waybill_id, action))


def act(
    session: Session,
    p: Principal,
    settings: Settings,
    number: str,
    action: policy.Action,
    note: str | None,
    *,
    occurred_at: datetime | None = None,
) -> Waybill:
    """Take ``action`` on the waybill: 409 naming the state and the allowed actions when out of
    order, 403 naming the expected party; the step is signed and notarized in this transaction.

    ``occurred_at`` is when the step happened if not now (a handover recorded after the fact): 409
    when in the future or before the previous step. The signature and ledger entry are made now."""
    who = caller(session, p)
    w, legs = _visible_with_legs(session, who, number, for_update=True)
    writer(p)
    containers = repository.container_numbers_of(session, [w.id])[w.id]
    events = repository.events_of(session, [w.id])[w.id]
    require_intact_custody(session, w, events)
    state = policy.WaybillState(policy.Status(w.status), w.current_leg)
    after = policy.apply(state, action, who.uscc, draft_of(w, legs, containers))
    now = policy.step_time(occurred_at, events[-1].occurred_at if events else None, utcnow())
    if state.status not in policy.OCCUPYING_STATUSES and after.status in policy.OCCUPYING_STATUSES:
        _claim_containers(session, who, w.number, containers, w.id)
    if after.status in (policy.Status.CLOSED, policy.Status.CANCELLED):
        repository.release_containers(session, w.id, now)
    event = WaybillEvent(
        waybill_id=w.id,
        sequence=len(events) + 1,
        action=str(action),
        actor_party_id=who.party_id,
        actor_user_id=p.user_id,
        actor_uscc=who.uscc,
        from_status=w.status,
        from_leg=w.current_leg,
        to_status=str(after.status),
        to_leg=after.leg,
        note=note,
        occurred_at=now,
    )
    w.status, w.current_leg, w.updated_at = str(after.status), after.leg, now
    previous = custody.previous_sha256(session, events)
    custody.sign_step(session, p, settings, w, event, custody.snapshot(w, legs, containers, event, previous))
    session.add(event)
    session.flush()
    _announce(session, w.id, str(action))
    return w


def require_intact_custody(session: Session, w: Waybill, events: Sequence[WaybillEvent]) -> None:
    """409 naming what is broken when the stored chain does not match the ledger's steps for the
    waybill (a step deleted, added, reordered or altered, or the state reset)."""
    checked = crosscheck.cross_check(session, w, events)
    if not checked.ok:
        raise WaybillCustodyBroken(
            f"the chain of custody of waybill {w.number} does not match the ledger: "
            + "; ".join(f.detail for f in checked.findings),
            number=w.number,
            findings=[
                {
                    "problem": f.problem,
                    "sequence": f.sequence,
                    "action": f.action,
                    "ledger_index": f.ledger_index,
                }
                for f in checked.findings
            ],
        )


# -- reading --------------------------------------------------------------------------------------


def get_waybill(session: Session, p: Principal, number: str) -> Waybill:
    return _visible(session, caller(session, p), number)


def list_waybills(
    session: Session, p: Principal, params: PageParams, filters: WaybillFilter | None = None
) -> tuple[list[WaybillSummary], int]:
    """The waybills the caller's party is on, most recently changed first, narrowed by ``filters``."""
    who = caller(session, p)
    stmt = repository.filtered(repository.visible_filter(who.party_id, who.uscc), filters or WaybillFilter())
    rows, total = paged(session, stmt.order_by(Waybill.updated_at.desc(), Waybill.number), params)
    containers = repository.container_numbers_of(session, [w.id for w in rows])
    legs = repository.legs_of(session, [w.id for w in rows])
    return [summary(w, containers[w.id], legs[w.id]) for w in rows], total


def jurisdiction_waybills(
    session: Session,
    p: Principal,
    params: PageParams,
    *,
    status: policy.Status | None = None,
    q: str | None = None,
) -> tuple[list[WaybillSummary], int]:
    """The waybills of the caller's jurisdiction (辖区运单): a consignor, consignee or carrier registered
    there; read-only, for authority staff only (403 otherwise). ``q`` matches the number."""
    where = identity.jurisdiction(session, p)
    stmt = repository.jurisdiction_filter(where.uscc_like)
    if status is not None:
        stmt = stmt.where(Waybill.status == str(status))
    if q:
        stmt = stmt.where(Waybill.number.ilike(f"%{q.strip()}%"))
    rows, total = paged(session, stmt.order_by(Waybill.updated_at.desc(), Waybill.number), params)
    containers = repository.container_numbers_of(session, [w.id for w in rows])
    legs = repository.legs_of(session, [w.id for w in rows])
    return [summary(w, containers[w.id], legs[w.id]) for w in rows], total


def summary(w: Waybill, containers: Sequence[str], legs: Sequence[WaybillLeg]) -> WaybillSummary:
    return WaybillSummary(
        origin=legs[0].origin if legs else None,
        destination=legs[-1].destination if legs else None,
        modes=list(dict.fromkeys(policy.TransportMode(leg.mode) for leg in legs)),
        created_at=w.created_at,
        number=w.number,
        status=policy.Status(w.status),
        current_leg=w.current_leg,
        leg_count=w.leg_count,
        consignor_uscc=w.consignor_uscc,
        consignee_uscc=w.consignee_uscc,
        containers=list(containers),
        updated_at=w.updated_at,
    )


def leg_read(leg: WaybillLeg) -> LegRead:
    return LegRead.model_validate(leg, from_attributes=True)


def transition_read(e: WaybillEvent) -> TransitionRead:
    return TransitionRead(
        sequence=e.sequence,
        action=e.action,
        actor_party_id=e.actor_party_id,
        actor_uscc=e.actor_uscc,
        from_status=policy.Status(e.from_status) if e.from_status else None,
        from_leg=e.from_leg,
        to_status=policy.Status(e.to_status),
        to_leg=e.to_leg,
        note=e.note,
        occurred_at=e.occurred_at,
        document_id=e.document_id,
        document_version=e.document_version,
        document_url=f"/api/v1/documents/{e.document_id}" if e.document_id else None,
        ledger_index=e.ledger_index,
        receipt_url=f"/api/v1/ledger/entries/{e.ledger_index}/receipt"
        if e.ledger_index is not None
        else None,
    )


def waybill_read(session: Session, w: Waybill) -> WaybillRead:
    """The waybill with legs, cargo, containers, allowed actions and its transitions."""
    legs = repository.legs_of(session, [w.id])[w.id]
    containers = repository.container_numbers_of(session, [w.id])[w.id]
    events = repository.events_of(session, [w.id])[w.id]
    state = policy.WaybillState(policy.Status(w.status), w.current_leg)
    intact = crosscheck.cross_check(session, w, events).ok
    return WaybillRead(
        **summary(w, containers, legs).model_dump(),
        state=str(state),
        allowed_actions=policy.allowed_actions(state, w.leg_count) if intact else [],
        custody_intact=intact,
        legs=[leg_read(x) for x in legs],
        cargo=[policy.CargoLine.model_validate(c) for c in w.cargo],
        dangerous_goods_class=w.dangerous_goods_class,
        temperature=(
            policy.TemperatureRange(min_c=w.temperature_min_c, max_c=w.temperature_max_c)
            if w.temperature_min_c is not None and w.temperature_max_c is not None
            else None
        ),
        source=w.source,
        created_by_party_id=w.created_by_party_id,
        transitions=[transition_read(e) for e in events],
        custody_url=f"/api/v1/waybills/{w.number}/custody",
    )


def waybill_view(session: Session, p: Principal, number: str) -> WaybillRead:
    """The waybill the caller may see, with legs, transitions (their documents) and containers.

    For the trace: 404 (:class:`WaybillNotFound`) when missing or not the caller's."""
    return waybill_read(session, get_waybill(session, p, number))


def custody_report(session: Session, p: Principal, number: str) -> CustodyReport:
    """Verify the waybill's chain of custody end to end (单证认证鉴真), a verdict per step."""
    return custody_of(session, get_waybill(session, p, number))


def custody_of(session: Session, w: Waybill) -> CustodyReport:
    """The chain of custody of a waybill the caller has already been allowed to read."""
    return custody.verify_chain(session, w, repository.events_of(session, [w.id])[w.id])
