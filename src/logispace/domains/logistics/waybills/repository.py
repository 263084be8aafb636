"""Waybill and container queries (运单与集装箱查询). Row locks (``FOR UPDATE``) serialize actions on
one waybill and claims on one container under PostgreSQL; SQLite serializes writers anyway."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from logispace.domains.logistics.waybills import policies as policy
from logispace.domains.logistics.waybills.models import (
    Container,
    ContainerAssignment,
    ContainerRegistration,
    Waybill,
    WaybillEvent,
    WaybillLeg,
)
from logispace.domains.logistics.waybills.schemas import WaybillFilter

BEIJING = timezone(timedelta(hours=8))


def waybills_by_number(session: Session, number: str, *, for_update: bool = False) -> list[Waybill]:
    """Every waybill with ``number`` (one per issuing party), the earliest created first."""
    stmt = select(Waybill).where(Waybill.number == number).order_by(Waybill.created_at, Waybill.id)
    if for_update:
        stmt = stmt.with_for_update()
    return list(session.scalars(stmt))


def issued_by(session: Session, party_id: uuid.UUID, number: str) -> Waybill | None:
    """The waybill ``party_id`` created with ``number`` (numbers are unique per issuing party)."""
    return session.scalar(
        select(Waybill).where(Waybill.created_by_party_id == party_id, Waybill.number == number)
    )


def visible_filter(party_id: uuid.UUID, uscc: str) -> Select[Waybill]:
    """Waybills on which the party is consignor, consignee, creator or a leg's carrier."""
    carried = select(WaybillLeg.waybill_id).where(WaybillLeg.carrier_uscc == uscc)
    return select(Waybill).where(
        or_(
            Waybill.consignor_uscc == uscc,
            Waybill.consignee_uscc == uscc,
            Waybill.created_by_party_id == party_id,
            Waybill.id.in_(carried),
        )
    )


def filtered(stmt: Select[Waybill], f: WaybillFilter) -> Select[Waybill]:
    """``stmt`` narrowed by the list filters; days are Beijing days (UTC+8, no daylight saving)."""
    if f.status is not None:
        stmt = stmt.where(Waybill.status == str(f.status))
    if f.mode is not None:
        stmt = stmt.where(Waybill.id.in_(select(WaybillLeg.waybill_id).where(WaybillLeg.mode == str(f.mode))))
    if f.origin is not None:
        first = select(WaybillLeg.waybill_id).where(WaybillLeg.sequence == 1, WaybillLeg.origin == f.origin)
        stmt = stmt.where(Waybill.id.in_(first))
    if f.destination is not None:
        last = select(WaybillLeg.waybill_id).join(Waybill, Waybill.id == WaybillLeg.waybill_id)
        last = last.where(WaybillLeg.sequence == Waybill.leg_count, WaybillLeg.destination == f.destination)
        stmt = stmt.where(Waybill.id.in_(last))
    if f.created_from is not None:
        stmt = stmt.where(Waybill.created_at >= _beijing_midnight(f.created_from))
    if f.created_to is not None:
        stmt = stmt.where(Waybill.created_at < _beijing_midnight(f.created_to + timedelta(days=1)))
    return stmt


def _beijing_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING).astimezone(UTC)


def jurisdiction_filter(uscc_like: str) -> Select[Waybill]:
    """Waybills with a consignor, consignee or leg carrier whose unified social credit code matches
    ``uscc_like`` (a SQL ``LIKE`` pattern of a jurisdiction's division)."""
    carried = select(WaybillLeg.waybill_id).where(WaybillLeg.carrier_uscc.like(uscc_like))
    return select(Waybill).where(
        or_(
            Waybill.consignor_uscc.like(uscc_like),
            Waybill.consignee_uscc.like(uscc_like),
            Waybill.id.in_(carried),
        )
    )


def legs_of(session: Session, waybill_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[WaybillLeg]]:
    out: dict[uuid.UUID, list[WaybillLeg]] = defaultdict(list)
    ids = list(waybill_ids)
    if ids:
        stmt = select(WaybillLeg).where(WaybillLeg.waybill_id.in_(ids)).order_by(WaybillLeg.sequence)
        for leg in session.scalars(stmt):
            out[leg.waybill_id].append(leg)
    return out


def events_of(session: Session, waybill_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[WaybillEvent]]:
    out: dict[uuid.UUID, list[WaybillEvent]] = defaultdict(list)
    ids = list(waybill_ids)
    if ids:
        stmt = select(WaybillEvent).where(WaybillEvent.waybill_id.in_(ids)).order_by(WaybillEvent.sequence)
        for event in session.scalars(stmt):
            out[event.waybill_id].append(event)
    return out


def container_numbers_of(session: Session, waybill_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The containers of each waybill, in the order the draft listed them."""
    out: dict[uuid.UUID, list[str]] = defaultdict(list)
    ids = list(waybill_ids)
    if ids:
        stmt = (
            select(ContainerAssignment.waybill_id, Container.number)
            .join(Container, Container.id == ContainerAssignment.container_id)
            .where(ContainerAssignment.waybill_id.in_(ids))
            .order_by(ContainerAssignment.waybill_id, ContainerAssignment.position)
        )
        for waybill_id, number in session.execute(stmt):
            out[waybill_id].append(number)
    return out


def container_by_number(session: Session, number: str, *, for_update: bool = False) -> Container | None:
    stmt = select(Container).where(Container.number == number)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def registration_of(
    session: Session, container_id: uuid.UUID, party_id: uuid.UUID | None
) -> ContainerRegistration | None:
    """The party's own registration of the container (集装箱登记), or None."""
    if party_id is None:
        return None
    stmt = select(ContainerRegistration).where(
        ContainerRegistration.container_id == container_id, ContainerRegistration.party_id == party_id
    )
    return session.scalar(stmt)


def containers_for_update(session: Session, numbers: Iterable[str]) -> dict[str, Container]:
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    stmt = select(Container).where(Container.number.in_(wanted)).order_by(Container.number).with_for_update()
    return {c.number: c for c in session.scalars(stmt)}


def current_holders(
    session: Session, numbers: Iterable[str], exclude_waybill: uuid.UUID | None
) -> dict[str, tuple[Waybill, policy.Status]]:
    """For each container, a waybill other than ``exclude_waybill`` that occupies it now."""
    wanted = list(numbers)
    if not wanted:
        return {}
    stmt = (
        select(Container.number, Waybill)
        .join(ContainerAssignment, ContainerAssignment.container_id == Container.id)
        .join(Waybill, Waybill.id == ContainerAssignment.waybill_id)
        .where(
            Container.number.in_(wanted),
            Waybill.status.in_([str(s) for s in policy.OCCUPYING_STATUSES]),
        )
        .order_by(ContainerAssignment.assigned_at)
    )
    if exclude_waybill is not None:
        stmt = stmt.where(Waybill.id != exclude_waybill)
    return {container: (w, policy.Status(w.status)) for container, w in session.execute(stmt)}


def release_containers(session: Session, waybill_id: uuid.UUID, at: datetime) -> None:
    """The waybill ended (closed or cancelled): its containers are free again."""
    session.execute(
        update(ContainerAssignment)
        .where(ContainerAssignment.waybill_id == waybill_id, ContainerAssignment.released_at.is_(None))
        .values(released_at=at)
    )


def uses_of(session: Session, container_id: uuid.UUID) -> list[tuple[ContainerAssignment, Waybill]]:
    """Every waybill the container was on, oldest first."""
    stmt = (
        select(ContainerAssignment, Waybill)
        .join(Waybill, Waybill.id == ContainerAssignment.waybill_id)
        .where(ContainerAssignment.container_id == container_id)
        .order_by(ContainerAssignment.assigned_at, ContainerAssignment.id)
    )
    return [(a, w) for a, w in session.execute(stmt)]


def documents_in_steps(session: Session, document_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``document_ids`` a stored step of any waybill names."""
    ids = list(document_ids)
    if not ids:
        return set()
    stmt = select(WaybillEvent.document_id).where(WaybillEvent.document_id.in_(ids))
    return {d for d in session.scalars(stmt) if d is not None}
