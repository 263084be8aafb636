"""EPCIS storage: bulk inserts of a capture and the simple event query as SQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    Connection,
    Select,
    String,
    and_,
    bindparam,
    exists,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from logispace.domains.logistics.epcis.document import ParsedEvent
from logispace.domains.logistics.epcis.models import EpcisEvent, EpcisEventEpc

LOOKUP_CHUNK = 500
UNIQUE_VIOLATION = "23505"


class DuplicateEventRow(Exception):
    """An inserted event collides with a stored one on (party, hash) or (party, eventID): a
    concurrent capture stored it between the duplicate lookup and the insert."""


_PG_LOOKUP = {
    "event_hash": text(
        "SELECT e.event_hash, e.event_id FROM unnest(CAST(:keys AS varchar[])) AS k(v) "
        "JOIN epcis_events e ON e.party_id = :party AND e.event_hash = k.v"
    ),
    "event_id": text(
        "SELECT e.event_hash, e.event_id FROM unnest(CAST(:keys AS varchar[])) AS k(v) "
        "JOIN epcis_events e ON e.party_id = :party AND e.event_id = k.v"
    ),
}


def _lookup(session: Session, party_id: uuid.UUID, column: str, keys: list[str]) -> list[tuple[str, str]]:
    """Stored ``(event_hash, event_id)`` of the party whose ``column`` is one of ``keys``.

    PostgreSQL joins an array parameter (one index probe per key, whatever the statistics say);
    elsewhere an IN list of at most LOOKUP_CHUNK values.
    """
    if not keys:
        return []
    if session.get_bind().dialect.name == "postgresql":
        stmt = _PG_LOOKUP[column].bindparams(bindparam("keys", type_=ARRAY(String)))
        return [(h, i) for h, i in session.execute(stmt, {"keys": keys, "party": party_id})]
    attribute = getattr(EpcisEvent, column)
    found: list[tuple[str, str]] = []
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        rows = session.execute(
            select(EpcisEvent.event_hash, EpcisEvent.event_id).where(
                EpcisEvent.party_id == party_id, attribute.in_(chunk)
            )
        )
        found.extend((h, i) for h, i in rows)
    return found


def existing(session: Session, party_id: uuid.UUID, events: Sequence[ParsedEvent]) -> dict[str, str]:
    """Stored events of ``party_id`` that share a hash or an event ID with ``events``:
    ``{event_hash: event_id}``, plus ``{"id:" + event_id: event_hash}`` for the IDs."""
    hashes = [e.event_hash for e in events]
    # Every ID, also one equal to the event's own hash: a stored event may carry that string as
    # its declared eventID while its content (and hash) differ.
    ids = [e.event_id for e in events]
    found: dict[str, str] = {}
    for event_hash, event_id in [
        *_lookup(session, party_id, "event_hash", hashes),
        *_lookup(session, party_id, "event_id", ids),
    ]:
        found[event_hash] = event_id
        found["id:" + event_id] = event_hash
    return found


EVENT_COLUMNS = (
    "id",
    "party_id",
    "capture_id",
    "event_id",
    "event_hash",
    "event_type",
    "event_time",
    "record_time",
    "action",
    "biz_step",
    "disposition",
    "read_point",
    "biz_location",
    "body",
)
LINK_COLUMNS = ("event_pk", "role", "epc", "party_id", "event_time")


def insert_events(
    session: Session,
    party_id: uuid.UUID,
    capture_id: uuid.UUID,
    record_time: datetime,
    events: Sequence[ParsedEvent],
) -> list[int]:
    """Insert ``events`` and their EPC links in bulk, in the session's transaction; their row ids.

    PostgreSQL: ids drawn from the table's sequence in one round trip, then ``COPY`` of both
    tables. SQLite: the caller already holds the write lock (the capture job row is flushed
    first), so ids continue from the largest one; then one ``executemany`` per table.
    """
    if not events:
        return []
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        ids = list(
            session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence('epcis_events', 'id')) FROM generate_series(1, :n)"
                ),
                {"n": len(events)},
            )
        )
    else:
        first = (session.scalar(select(func.max(EpcisEvent.id))) or 0) + 1
        ids = list(range(first, first + len(events)))
    rows = [
        (
            pk,
            party_id,
            capture_id,
            e.event_id,
            e.event_hash,
            e.event_type,
            e.event_time,
            record_time,
            e.action,
            e.biz_step,
            e.disposition,
            e.read_point,
            e.biz_location,
            e.body,
        )
        for pk, e in zip(ids, events, strict=True)
    ]
    links = [
        (pk, role, epc, party_id, e.event_time)
        for pk, e in zip(ids, events, strict=True)
        for role, epc in e.epcs
    ]
    if postgres:
        try:
            _copy(connection, "epcis_events", EVENT_COLUMNS, [(*r[:-1], json.dumps(r[-1])) for r in rows])
        except Exception as exc:
            if getattr(exc, "sqlstate", None) == UNIQUE_VIOLATION:
                raise DuplicateEventRow(str(exc)) from exc
            raise
        _copy(connection, "epcis_event_epcs", LINK_COLUMNS, links)
        return ids
    try:
        connection.execute(insert(EpcisEvent), [dict(zip(EVENT_COLUMNS, r, strict=True)) for r in rows])
    except IntegrityError as exc:
        raise DuplicateEventRow(str(exc.orig)) from exc
    if links:
        connection.execute(insert(EpcisEventEpc), [dict(zip(LINK_COLUMNS, r, strict=True)) for r in links])
    return ids


def _copy(
    connection: Connection, table: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """``COPY table FROM STDIN`` on the session's own psycopg connection (same transaction)."""
    if not rows:
        return
    driver = connection.connection.driver_connection
    if driver is None:
        raise RuntimeError("the session has no open driver connection")
    with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


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


def event_count(session: Session, party_id: uuid.UUID) -> int:
    """How many events ``party_id`` has stored."""
    query = select(func.count()).select_from(EpcisEvent).where(EpcisEvent.party_id == party_id)
    return int(session.scalar(query) or 0)


def event_ids(session: Session, pks: list[int]) -> dict[int, str]:
    """eventID by row id of the events ``pks``."""
    if not pks:
        return {}
    rows = session.execute(select(EpcisEvent.id, EpcisEvent.event_id).where(EpcisEvent.id.in_(pks)))
    return {int(row[0]): str(row[1]) for row in rows}
