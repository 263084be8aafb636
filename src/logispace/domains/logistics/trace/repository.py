"""Trace queries (追溯查询): the events naming one EPC, and the GPS points of a carrier in a window.

Both go through ``ix_epcis_event_epcs_epc_role`` (EPC, role, event) to the events' primary key, so
their cost follows the number of events of that EPC, not the size of the tables.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session

from logispace.domains.logistics.epcis.models import EpcisEvent, EpcisEventEpc


@dataclass(frozen=True)
class Window:
    """Events of ``party_id`` with an event time in ``[start, end]`` (open where ``None``)."""

    party_id: uuid.UUID
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Scope:
    """What a caller may see of the events about one EPC: everything, or the union of windows."""

    sees_all: bool
    windows: tuple[Window, ...] = ()


def visible(scope: Scope) -> ColumnElement[bool]:
    """The SQL condition on ``epcis_events`` of ``scope``."""
    if scope.sees_all:
        return true()
    if not scope.windows:
        return false()
    terms = []
    for w in scope.windows:
        parts = [EpcisEvent.party_id == w.party_id]
        if w.start is not None:
            parts.append(EpcisEvent.event_time >= w.start)
        if w.end is not None:
            parts.append(EpcisEvent.event_time <= w.end)
        terms.append(and_(*parts))
    return or_(*terms)


EVENT_FIELDS = (
    EpcisEvent.id,
    EpcisEvent.party_id,
    EpcisEvent.event_id,
    EpcisEvent.event_type,
    EpcisEvent.event_time,
    EpcisEvent.action,
    EpcisEvent.biz_step,
    EpcisEvent.disposition,
    EpcisEvent.read_point,
    EpcisEvent.biz_location,
    # Only the two members of the event's JSON that the trace reads, not the whole document.
    EpcisEvent.body["parentID"].as_string().label("parent_id"),
    EpcisEvent.body["bizTransactionList"].label("biz_transactions"),
)


@dataclass
class EventRow:
    """An event naming the EPC, with every role in which it does."""

    pk: int
    party_id: uuid.UUID
    event_id: str
    event_type: str
    event_time: datetime
    action: str | None
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    parent_id: str | None
    biz_transactions: Any
    roles: list[str]


def bounds(scope: Scope) -> tuple[datetime | None, datetime | None]:
    """The time range that holds every window of ``scope`` (open where one window is), so that a
    scope of bounded windows reads only that range of the EPC's links."""
    if scope.sees_all or not scope.windows:
        return None, None
    starts = [w.start for w in scope.windows]
    ends = [w.end for w in scope.windows]
    start = None if any(s is None for s in starts) else min(s for s in starts if s is not None)
    end = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
    return start, end


def events_naming(session: Session, epc: str, scope: Scope, limit: int) -> tuple[list[EventRow], bool]:
    """The visible events that name ``epc`` in any role, the latest ``limit`` in time order, and
    whether older ones were left out."""
    conditions = [EpcisEventEpc.epc == epc, visible(scope)]
    start, end = bounds(scope)
    if start is not None:
        conditions.append(EpcisEventEpc.event_time >= start)
    if end is not None:
        conditions.append(EpcisEventEpc.event_time <= end)
    stmt = (
        select(*EVENT_FIELDS, EpcisEventEpc.role)
        .join(EpcisEventEpc, EpcisEventEpc.event_pk == EpcisEvent.id)
        .where(*conditions)
        .order_by(EpcisEvent.event_time.desc(), EpcisEvent.id.desc())
        .limit(limit * 2 + 1)  # an event can name the EPC in two roles
    )
    by_pk: dict[int, EventRow] = {}
    for row in session.execute(stmt):
        found = by_pk.get(row.id)
        if found is not None:
            found.roles.append(row.role)
            continue
        by_pk[row.id] = EventRow(
            row.id,
            row.party_id,
            row.event_id,
            row.event_type,
            row.event_time,
            row.action,
            row.biz_step,
            row.disposition,
            row.read_point,
            row.biz_location,
            row.parent_id,
            row.biz_transactions,
            [row.role],
        )
    rows = list(by_pk.values())
    truncated = len(rows) > limit
    rows = rows[:limit]
    rows.reverse()
    return rows, truncated


def positions_of(
    session: Session,
    means: str,
    start: datetime,
    end: datetime | None,
    scope: Scope,
    limit: int,
    *,
    latest: bool = False,
) -> list[tuple[datetime, str, str]]:
    """``(event time, geo read point, event ID)`` of the visible events that observe ``means`` (its
    own ``epcList``) with a ``geo:`` read point in ``[start, end]``: the first ``limit`` in time
    order, or with ``latest`` the last ``limit``, newest first. The window is a range of
    ``ix_epcis_event_epcs_epc_role_time``, so the cost does not grow with the means' history."""
    conditions = [
        EpcisEventEpc.epc == means,
        EpcisEventEpc.role == "epc",
        EpcisEventEpc.event_time >= start,
        EpcisEvent.read_point.like("geo:%"),
        visible(scope),
    ]
    if end is not None:
        conditions.append(EpcisEventEpc.event_time <= end)
    order = (
        (EpcisEventEpc.event_time.desc(), EpcisEventEpc.event_pk.desc())
        if latest
        else (EpcisEventEpc.event_time, EpcisEventEpc.event_pk)
    )
    stmt = (
        select(EpcisEvent.event_time, EpcisEvent.read_point, EpcisEvent.event_id)
        .join(EpcisEventEpc, EpcisEventEpc.event_pk == EpcisEvent.id)
        .where(*conditions)
        .order_by(*order)
        .limit(limit)
    )
    return [(t, str(p), e) for t, p, e in session.execute(stmt)]
