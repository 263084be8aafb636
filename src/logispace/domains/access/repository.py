"""Access queries: requests and grants a party is part of, their resources, reviews, deliveries, refusals."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from logispace.domains.access.enums import RequestState
from logispace.domains.access.models import (
    AccessRequest,
    AccessRequestResource,
    AccessReview,
    Delivery,
    Grant,
    Refusal,
)


def resources_of(session: Session, request_id: uuid.UUID) -> list[AccessRequestResource]:
    return list(
        session.scalars(
            select(AccessRequestResource)
            .where(AccessRequestResource.request_id == request_id)
            .order_by(AccessRequestResource.position)
        )
    )


def grant_with_resources(
    session: Session, grant_id: uuid.UUID
) -> tuple[Grant | None, list[AccessRequestResource]]:
    """The grant and its granted resources, in one query."""
    rows = session.execute(
        select(Grant, AccessRequestResource)
        .outerjoin(AccessRequestResource, AccessRequestResource.request_id == Grant.request_id)
        .where(Grant.id == grant_id)
        .order_by(AccessRequestResource.position)
    ).all()
    if not rows:
        return None, []
    return rows[0][0], [item for _, item in rows if item is not None]


def reviews_of(session: Session, request_id: uuid.UUID) -> list[AccessReview]:
    return list(
        session.scalars(
            select(AccessReview)
            .where(AccessReview.request_id == request_id)
            .order_by(AccessReview.decided_at)
        )
    )


def grant_of_request(session: Session, request_id: uuid.UUID) -> Grant | None:
    return session.scalar(select(Grant).where(Grant.request_id == request_id))


def _party_filter(party_id: uuid.UUID | None):  # type: ignore[no-untyped-def]
    held = select(AccessRequestResource.request_id).where(AccessRequestResource.holder_party_id == party_id)
    return or_(AccessRequest.requester_party_id == party_id, AccessRequest.id.in_(held))


def list_requests(
    session: Session,
    *,
    party_id: uuid.UUID | None,
    everyone: bool,
    states: Sequence[RequestState] | None = None,
    held_by: uuid.UUID | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AccessRequest]:
    """Requests the party is part of (as requester or holder), or every one for the data authority;
    ``held_by`` keeps those over a resource that party holds."""
    query = select(AccessRequest)
    if not everyone:
        query = query.where(_party_filter(party_id))
    if held_by is not None:
        held = select(AccessRequestResource.request_id).where(
            AccessRequestResource.holder_party_id == held_by
        )
        query = query.where(AccessRequest.id.in_(held))
    if states:
        query = query.where(AccessRequest.state.in_(states))
    query = query.order_by(AccessRequest.created_at.desc(), AccessRequest.id).limit(limit).offset(offset)
    return list(session.scalars(query))


def list_grants(
    session: Session, *, party_id: uuid.UUID | None, everyone: bool, limit: int = 100, offset: int = 0
) -> list[Grant]:
    """Grants the party is part of (assignee or holder of a granted resource), or every one."""
    query = select(Grant)
    if not everyone:
        held = select(AccessRequestResource.request_id).where(
            AccessRequestResource.holder_party_id == party_id
        )
        query = query.where(or_(Grant.assignee_party_id == party_id, Grant.request_id.in_(held)))
    query = query.order_by(Grant.created_at.desc(), Grant.id).limit(limit).offset(offset)
    return list(session.scalars(query))


def deliveries_of(session: Session, grant_id: uuid.UUID, limit: int = 20) -> list[Delivery]:
    return list(
        session.scalars(
            select(Delivery)
            .where(Delivery.grant_id == grant_id)
            .order_by(Delivery.delivered_at.desc(), Delivery.ledger_index.desc())
            .limit(limit)
        )
    )


def refusals_of(session: Session, subject: str, limit: int = 20) -> list[Refusal]:
    return list(
        session.scalars(
            select(Refusal)
            .where(Refusal.subject == subject)
            .order_by(Refusal.refused_at.desc(), Refusal.ledger_index.desc())
            .limit(limit)
        )
    )


def lock_grant(session: Session, grant_id: uuid.UUID) -> Grant | None:
    """The grant, locked for the meter's update (PostgreSQL: row lock; SQLite: the write lock)."""
    query = select(Grant).where(Grant.id == grant_id).with_for_update()
    return session.scalar(query.execution_options(populate_existing=True))


_GRANTS = cast(Table, Grant.__table__)
# Built once: one UPDATE adding a use to a grant's meter, each column incremented in the database.
_ADD_TO_METER = (
    update(_GRANTS)
    .where(_GRANTS.c.id == bindparam("grant"))
    .values(
        calls=_GRANTS.c.calls + 1,
        rows_read=_GRANTS.c.rows_read + bindparam("add_rows_read"),
        rows_returned=_GRANTS.c.rows_returned + bindparam("add_rows_returned"),
        cells_returned=_GRANTS.c.cells_returned + bindparam("add_cells_returned"),
        bytes_returned=_GRANTS.c.bytes_returned + bindparam("add_bytes_returned"),
        epsilon_spent=_GRANTS.c.epsilon_spent + bindparam("add_epsilon_spent"),
        updated_at=bindparam("at"),
    )
)
_METER_COLUMNS = (
    "calls",
    "rows_read",
    "rows_returned",
    "cells_returned",
    "bytes_returned",
    "epsilon_spent",
    "updated_at",
)


def add_to_meter(
    session: Session,
    grant: Grant,
    *,
    rows_read: int,
    rows_returned: int,
    cells_returned: int,
    bytes_returned: int,
    epsilon_spent: float,
    at: datetime,
) -> None:
    """Add one use to the grant's meter in one UPDATE that reads nothing first (PostgreSQL locks the row;
    concurrent uses add up); the grant's meter in the session is read again when next used."""
    session.execute(
        _ADD_TO_METER,
        {
            "grant": grant.id,
            "add_rows_read": rows_read,
            "add_rows_returned": rows_returned,
            "add_cells_returned": cells_returned,
            "add_bytes_returned": bytes_returned,
            "add_epsilon_spent": epsilon_spent,
            "at": at,
        },
    )
    session.expire(grant, _METER_COLUMNS)


_DELIVERIES = cast(Table, Delivery.__table__)
_ADD_DELIVERY = insert(_DELIVERIES)  # built once: every use of a grant adds one


def add_delivery(session: Session, **values: object) -> None:
    """Store one delivery record (the columns of :class:`Delivery`) with one INSERT, no unit of work."""
    session.execute(_ADD_DELIVERY, {"id": uuid.uuid4(), **values})
