"""The caller's containers (我的集装箱, 一箱制): the boxes its party owns or that travel on its waybills.

Each row shows what :func:`~.service.container_view` would show the caller: the waybill holding the
box now only when the caller is on that waybill, otherwise only that it is in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from logispace.core.pagination import PageParams, paged
from logispace.domains.identity import Principal
from logispace.domains.logistics.containers.policies import describe_size_type
from logispace.domains.logistics.waybills import repository
from logispace.domains.logistics.waybills import service as waybill_service
from logispace.domains.logistics.waybills.models import Container, ContainerAssignment, Waybill


@dataclass(frozen=True)
class ContainerRow:
    """A container in the caller's list (集装箱列表项)."""

    number: str
    size_type: str | None
    size_type_description: str | None
    owned: bool
    in_use: bool
    current_waybill: str | None
    last_waybill: str | None
    last_assigned_at: datetime | None


def my_containers(
    session: Session,
    p: Principal,
    params: PageParams,
    *,
    in_use: bool | None = None,
    number: str | None = None,
) -> tuple[list[ContainerRow], int]:
    """The containers the caller's party owns or that travelled on its waybills, by number."""
    who = waybill_service.caller(session, p)
    mine = repository.visible_filter(who.party_id, who.uscc).with_only_columns(Waybill.id)
    on_mine = select(ContainerAssignment.container_id).where(ContainerAssignment.waybill_id.in_(mine))
    stmt = select(Container).where(or_(Container.owner_party_id == who.party_id, Container.id.in_(on_mine)))
    if number:
        stmt = stmt.where(Container.number.like(f"{number.upper()}%"))
    busy = select(ContainerAssignment.container_id).where(ContainerAssignment.released_at.is_(None))
    if in_use is True:
        stmt = stmt.where(Container.id.in_(busy))
    elif in_use is False:
        stmt = stmt.where(Container.id.not_in(busy))
    containers, total = paged(session, stmt.order_by(Container.number), params)
    ids = [c.id for c in containers]
    uses: dict[object, list[tuple[ContainerAssignment, Waybill]]] = {c: [] for c in ids}
    if ids:
        rows = session.execute(
            select(ContainerAssignment, Waybill)
            .join(Waybill, Waybill.id == ContainerAssignment.waybill_id)
            .where(ContainerAssignment.container_id.in_(ids))
            .order_by(ContainerAssignment.assigned_at)
        )
        for assignment, waybill in rows:
            uses[assignment.container_id].append((assignment, waybill))
    legs = repository.legs_of(session, {w.id for pairs in uses.values() for _, w in pairs})
    out = []
    for c in containers:
        seen = [(a, w) for a, w in uses[c.id] if waybill_service.is_party_to(w, legs[w.id], who)]
        current = next((w.number for a, w in seen if a.released_at is None), None)
        out.append(
            ContainerRow(
                number=c.number,
                size_type=c.size_type,
                size_type_description=describe_size_type(c.size_type) if c.size_type else None,
                owned=c.owner_party_id == who.party_id,
                in_use=any(a.released_at is None for a, _ in uses[c.id]),
                current_waybill=current,
                last_waybill=seen[-1][1].number if seen else None,
                last_assigned_at=seen[-1][0].assigned_at if seen else None,
            )
        )
    return out, total
