"""EPCIS storage: bulk inserts of a capture and the simple event query as SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, insert, select
from sqlalchemy.orm import Session

from logispace.domains.logistics.document import ParsedEvent
from logispace.domains.logistics.models import EpcisEvent, EpcisEventEpc

LOOKUP_CHUNK = 500


def existing(session: Session, party_id: uuid.UUID, events: Sequence[ParsedEvent]) -> dict[str, str]:
    """Stored events of ``party_id`` that share a hash or an event ID with ``events``:
    ``{event_hash: event_id}``, plus ``{"id:" + event_id: event_hash}`` for the IDs."""
    found: dict[str, str] = {}
    hashes = [e.event_hash for e in events]
    ids = [e.event_id for e in events]
    for start in range(0, len(events), LOOKUP_CHUNK):
        chunk_h = hashes[start : start + LOOKUP_CHUNK]
        chunk_i = ids[start : start + LOOKUP_CHUNK]
        rows = session.execute(
            select(EpcisEvent.event_hash, EpcisEvent.event_id).where(
                EpcisEvent.party_id == party_id,
                EpcisEvent.event_hash.in_(chunk_h) | EpcisEvent.event_id.in_(chunk_i),
            )
        )
        for event_hash, event_id in rows:
            found[event_hash] = event_id
            found["id:" + event_id] = event_hash
    return found


def insert_events(
    session: Session,
    party_id: uuid.UUID,
    capture_id: uuid.UUID,
    record_time: datetime,
    events: Sequence[ParsedEvent],
) -> None:
    """Insert ``events`` and their EPC links with batched multi-row inserts."""
    if not events:
        return
    rows = [
        {
            "party_id": party_id,
            "capture_id": capture_id,
            "event_id": e.event_id,
            "event_hash": e.event_hash,
            "event_type": e.event_type,
            "event_time": e.event_time,
            "record_time": record_time,
            "action": e.action,
            "biz_step": e.biz_step,
            "disposition": e.disposition,
            "read_point": e.read_point,
            "biz_location": e.biz_location,
            "body": e.body,
        }
        for e in events
    ]
    stmt = insert(EpcisEvent).returning(EpcisEvent.id, sort_by_parameter_order=True)
    pks = list(session.scalars(stmt, rows))
    links = [
        {"event_pk": pk, "role": role, "epc": epc, "party_id": party_id}
        for pk, e in zip(pks, events, strict=True)
        for role, epc in e.epcs
    ]
    if links:
        session.execute(insert(EpcisEventEpc), links)


@dataclass
class EventFilter:
    """The simple event query parameters, already normalised."""

    event_types: list[str] = field(default_factory=list)
    ge_event_time: datetime | None = None
    lt_event_time: datetime | None = None
    ge_record_time: datetime | None = None
    lt_record_time: datetime | None = None
    biz_steps: list[str] = field(default_factory=list)
    dispositions: list[str] = field(default_factory=list)
    read_points: list[str] = field(default_factory=list)
    biz_locations: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    match_epc: list[str] = field(default_factory=list)
    match_any_epc: list[str] = field(default_factory=list)
    match_parent_id: list[str] = field(default_factory=list)


def _epc_exists(party_id: uuid.UUID, roles: tuple[str, ...], epcs: list[str]) -> Any:
    return exists().where(
        EpcisEventEpc.event_pk == EpcisEvent.id,
        EpcisEventEpc.party_id == party_id,
        EpcisEventEpc.role.in_(roles),
        EpcisEventEpc.epc.in_(epcs),
    )


def query(party_id: uuid.UUID, f: EventFilter, after: int | None) -> Select[EpcisEvent]:
    """The events of ``party_id`` matching ``f``, in capture order, after the row ``after``."""
    conditions: list[Any] = [EpcisEvent.party_id == party_id]
    columns: list[tuple[Any, list[str]]] = [
        (EpcisEvent.event_type, f.event_types),
        (EpcisEvent.biz_step, f.biz_steps),
        (EpcisEvent.disposition, f.dispositions),
        (EpcisEvent.read_point, f.read_points),
        (EpcisEvent.biz_location, f.biz_locations),
        (EpcisEvent.action, f.actions),
    ]
    conditions.extend(column.in_(values) for column, values in columns if values)
    if f.ge_event_time is not None:
        conditions.append(EpcisEvent.event_time >= f.ge_event_time)
    if f.lt_event_time is not None:
        conditions.append(EpcisEvent.event_time < f.lt_event_time)
    if f.ge_record_time is not None:
        conditions.append(EpcisEvent.record_time >= f.ge_record_time)
    if f.lt_record_time is not None:
        conditions.append(EpcisEvent.record_time < f.lt_record_time)
    if f.match_epc:
        conditions.append(_epc_exists(party_id, ("epc", "child"), f.match_epc))
    if f.match_any_epc:
        roles = ("epc", "child", "input", "output", "parent")
        conditions.append(_epc_exists(party_id, roles, f.match_any_epc))
    if f.match_parent_id:
        conditions.append(_epc_exists(party_id, ("parent",), f.match_parent_id))
    if after is not None:
        conditions.append(EpcisEvent.id > after)
    return select(EpcisEvent).where(and_(*conditions)).order_by(EpcisEvent.id)


def event_by_id(session: Session, party_id: uuid.UUID, event_id: str) -> EpcisEvent | None:
    return session.scalar(
        select(EpcisEvent).where(EpcisEvent.party_id == party_id, EpcisEvent.event_id == event_id)
    )


def distinct_values(session: Session, party_id: uuid.UUID, column: Any) -> list[str]:
    rows = session.scalars(
        select(column).where(EpcisEvent.party_id == party_id, column.is_not(None)).distinct()
    )
    return sorted(rows)
