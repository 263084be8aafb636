"""Container service (一箱制): master data, the waybill holding a container now, its history.

One container row per ISO 6346 number serves every waybill and carrier (the box is on one waybill at
a time); each party that registers the box keeps its own master data (``ContainerRegistration``). A
container is visible to the parties that registered it and to the parties of the waybills it
travelled on. The owner of record (the first party to register it) sees every waybill of the box
since it registered it (the box's own movements: numbers, states, legs and steps); any other party
sees only the waybills it is on. Anything else answers 404. A registration by a second party is
answered exactly as a first one (its own record), so no answer tells that another party registered it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.errors import InvalidInput
from logispace.core.identifiers import IdentifierError
from logispace.core.transport_ids import check_container
from logispace.domains.identity import Principal
from logispace.domains.logistics.containers.errors import ContainerAlreadyRegistered, ContainerNotFound
from logispace.domains.logistics.containers.policies import describe_size_type
from logispace.domains.logistics.containers.schemas import ContainerCreate, ContainerRead, ContainerUse
from logispace.domains.logistics.waybills import policies as policy
from logispace.domains.logistics.waybills import repository
from logispace.domains.logistics.waybills import service as waybill_service
from logispace.domains.logistics.waybills.models import Container, ContainerRegistration


def checked_number(number: str, where: str = "path") -> str:
    """An ISO 6346 number from a URL: 422 naming the container when its check digit is wrong."""
    try:
        return check_container(number)
    except IdentifierError as exc:
        raise InvalidInput(str(exc), errors=[{"loc": [where, "number"], "msg": str(exc)}]) from None


def register(
    session: Session, p: Principal, data: ContainerCreate, *, registered_at: datetime | None = None
) -> Container:
    """Register the caller's party's master data of a container (集装箱登记).

    Each party keeps its own registration; registering a box another party registered creates the
    caller's own record and answers as a first registration would. Only the caller's party having
    registered it already is 409. The first registrant becomes the owner of record (a container first
    seen on a waybill is claimed by it). ``registered_at`` is when the party put the box in service if
    not now (its master data recorded after the fact, never in the future).
    """
    who = waybill_service.caller(session, p)
    waybill_service.writer(p)
    container = repository.container_by_number(session, data.number, for_update=True)
    now = policy.step_time(registered_at, None, utcnow(), "registration")
    if container is None:
        container = Container(number=data.number, owner_code=policy.owner_code(data.number), created_at=now)
        session.add(container)
        session.flush()
    elif repository.registration_of(session, container.id, who.party_id) is not None:
        raise ContainerAlreadyRegistered(f"container {data.number} is registered already", number=data.number)
    session.add(
        ContainerRegistration(
            container_id=container.id, party_id=who.party_id, size_type=data.size_type, registered_at=now
        )
    )
    if container.owner_party_id is None:
        container.owner_party_id = who.party_id
        container.size_type = data.size_type
        container.registered_at = now
    session.flush()
    return container


def container_view(session: Session, p: Principal, number: str) -> ContainerRead:
    """The container with its current waybill and its waybill history the caller may see.

    For the trace: 404 (:class:`ContainerNotFound`) when missing or none of the caller's."""
    who = waybill_service.caller(session, p)
    compact = checked_number(number)
    container = repository.container_by_number(session, compact)
    if container is None:
        raise ContainerNotFound(f"no container {compact}")
    uses = repository.uses_of(session, container.id)
    ids = [w.id for _, w in uses]
    legs = repository.legs_of(session, ids)
    events = repository.events_of(session, ids)
    mine = repository.registration_of(session, container.id, who.party_id)
    owner = container.owner_party_id == who.party_id

    def owner_sees(assigned_at: datetime) -> bool:
        # From its registration on: claiming a box does not open the waybills it travelled on before.
        return owner and container.registered_at is not None and assigned_at >= container.registered_at

    shown = [
        (a, w)
        for a, w in uses
        if owner_sees(a.assigned_at) or waybill_service.is_party_to(w, legs[w.id], who)
    ]
    if mine is None and not owner and not shown:
        raise ContainerNotFound(f"no container {compact}")
    current = next(
        (w.number for _, w in reversed(uses) if policy.Status(w.status) in policy.OCCUPYING_STATUSES), None
    )
    if current is not None and current not in {w.number for _, w in shown}:
        current = None
    # The caller's own master data when it registered the box; else the owner of record's.
    party_id, size_type, since = (
        (mine.party_id, mine.size_type, mine.registered_at)
        if mine is not None
        else (container.owner_party_id, container.size_type, container.registered_at)
    )
    return ContainerRead(
        number=container.number,
        owner_code=container.owner_code,
        owner_party_id=party_id,
        size_type=size_type,
        size_type_description=describe_size_type(size_type) if size_type else None,
        registered_at=since,
        current_waybill=current,
        history=[
            ContainerUse(
                waybill_no=w.number,
                status=policy.Status(w.status),
                assigned_at=a.assigned_at,
                released_at=a.released_at,
                legs=[waybill_service.leg_read(x) for x in legs[w.id]],
                transitions=[waybill_service.transition_read(e) for e in events[w.id]],
            )
            for a, w in shown
        ],
    )
