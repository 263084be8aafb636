"""Full-chain trace (全程追溯) of an EPC or a container, from EPCIS events alone.

The chain of an EPC: every visible event that names it (``epcList``, ``childEPCs``, ``parentID``,
input/output lists, quantity classes) in time order; its legs, cut by the AggregationEvents that
put it on a truck, train or vessel (``ADD``, the means as ``parentID``) and take it off again
(``DELETE``); the handovers between legs; its current position (the latest ``geo:`` read point of
the EPC itself or of the means it is aboard) and its status (the latest bizStep and disposition).

Visibility (docs/logistics.md, "Who sees a trace"): the authority sees every party's events; any
other party sees the events it captured itself, and, for each stored waybill holding the container
that it is a party to, the events of the waybill's other parties from the waybill's issue to its
close (:mod:`.stored_waybills`). Capturing an event about a container grants no sight of other
parties' events about it (anyone can capture such an event).
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from logispace.core.errors import NotFound, PermissionDenied
from logispace.core.identifiers import IdentifierError
from logispace.core.transport_ids import check_container
from logispace.domains import identity
from logispace.domains.identity import Principal
from logispace.domains.logistics.epcis.identifiers import CBV_BASE, epc_to_digital_link
from logispace.domains.logistics.intake.adapters import CONTAINER_URN
from logispace.domains.logistics.trace import stored_waybills
from logispace.domains.logistics.trace.repository import (
    EventRow,
    Scope,
    Window,
    events_naming,
    positions_of,
)
from logispace.domains.logistics.trace.schemas import (
    Handover,
    Position,
    TraceDocument,
    TraceEvent,
    TraceLeg,
    TraceRead,
    TraceStatus,
)

MAX_EVENTS = 5000
"""Most events listed in one trace (the latest ones); a vehicle's own trace can be long."""
MAX_TRACK = 5000
"""Most GPS points listed per leg."""
WAYBILL_URN = "urn:logispace:waybill:"
MEANS_MODES = {
    "urn:logispace:vehicle:": "road",
    "urn:logispace:train:": "rail",
    "urn:logispace:vessel:": "water",
    "urn:logispace:aircraft:": "air",
}


class TraceNotFound(NotFound):
    """No visible event names this EPC (无追溯记录); another party's events answer the same."""

    code = "trace-not-found"
    title = "Nothing to trace"


def scope_of(session: Session, principal: Principal, epc: str) -> Scope:
    """Which events about ``epc`` the caller may see (追溯可见范围): its own party's, and a
    :class:`Window` over the events of the other parties of each stored waybill holding ``epc``
    that it is a party to (consignor, consignee, creator, the carriers), from issue to close."""
    if principal.is_authority:
        return Scope(sees_all=True)
    if principal.party_id is None:
        raise PermissionDenied("a trace needs a user of a party")
    who = stored_waybills.caller_of(session, principal)
    shared = stored_waybills.windows_for(session, who, epc) if who is not None else []
    return Scope(sees_all=False, windows=(Window(principal.party_id), *shared))


def container_epc(number: str) -> tuple[str, str, list[str]]:
    """The container's EPC URN, its compact number and the warnings about it: a number that fails
    ISO 6346 is traced as given (DCSA intake keeps such numbers) with a warning."""
    compact = number.replace(" ", "").upper()
    warnings: list[str] = []
    try:
        compact = check_container(compact)
    except IdentifierError as exc:
        warnings.append(str(exc))
    return CONTAINER_URN + quote(compact, safe=""), compact, warnings


def trace_container(session: Session, principal: Principal, number: str, *, track: bool = False) -> TraceRead:
    """The chain of a container (一箱制), by its ISO 6346 number."""
    epc, compact, warnings = container_epc(number)
    trace = _with_waybills(
        session, principal, build(session, epc, scope_of(session, principal, epc), track=track)
    )
    return trace.model_copy(update={"container": compact, "warnings": warnings})


def _with_waybills(session: Session, principal: Principal, trace: TraceRead) -> TraceRead:
    """The trace with the stored waybills of its container the caller is a party to, and the
    documents of their chains of custody with their verdicts."""
    waybills, documents = stored_waybills.stored_waybills(session, principal, trace.epc)
    handovers = _signed_handovers(session, trace.legs, trace.handovers, documents)
    return trace.model_copy(
        update={"storedWaybills": waybills, "documents": documents, "handovers": handovers}
    )


def _signed_handovers(
    session: Session, legs: list[TraceLeg], handovers: list[Handover], documents: list[TraceDocument]
) -> list[Handover]:
    """The handovers with the time of their signed step (交接签收) where a waybill of the caller
    records one: the next leg's carrier signing between the first means' loading and the next
    means' unloading, the nearest to the next loading. The waybill page shows that time for the
    handover, so the container page shows the same (not the unloading scan, hours earlier)."""
    signed = [d for d in documents if d.action == "hand_over"]
    if not signed:
        return handovers
    parties = identity.party_ids_by_uscc(session, {d.actorUscc for d in signed})
    out = []
    for (before, after), handover in zip(itertools.pairwise(legs), handovers, strict=True):
        matching = [
            d
            for d in signed
            if parties.get(d.actorUscc) == after.carrier
            and before.loadedAt <= d.occurredAt
            and (after.unloadedAt is None or d.occurredAt <= after.unloadedAt)
        ]
        if matching:
            doc = min(matching, key=lambda d: abs(d.occurredAt - after.loadedAt))
            handover = handover.model_copy(update={"time": doc.occurredAt, "documentId": doc.documentId})
        out.append(handover)
    return out


URI_SAFE = "!#$%&'()*+,/:;=?@[]~-._"
"""Characters left as they are when an EPC is written as a URI (others are percent-encoded)."""


def trace_epc(session: Session, principal: Principal, epc: str, *, track: bool = False) -> TraceRead:
    """The chain of any EPC (URN or GS1 Digital Link). Characters a URI cannot hold, such as the
    Chinese province of a plate in ``urn:logispace:vehicle:渝A12345``, are percent-encoded first, as
    the EPCs are stored."""
    canonical = epc_to_digital_link(quote(epc, safe=URI_SAFE))
    return _with_waybills(
        session, principal, build(session, canonical, scope_of(session, principal, canonical), track=track)
    )


def build(session: Session, epc: str, scope: Scope, *, track: bool = False) -> TraceRead:
    """The trace of ``epc`` over the events ``scope`` lets through; with ``track``, each leg also
    lists the GPS points of its means (up to :data:`MAX_TRACK`)."""
    rows, truncated = events_naming(session, epc, scope, MAX_EVENTS)
    if not rows:
        raise TraceNotFound(f"no event names {epc}")
    legs = _legs(epc, rows)
    for leg in legs:
        if track:
            points = positions_of(session, leg.means, leg.loadedAt, leg.unloadedAt, scope, MAX_TRACK + 1)
            leg.track = [p for p in (_position(*point) for point in points[:MAX_TRACK]) if p is not None]
            leg.trackTruncated = len(points) > MAX_TRACK
    events = [_event(row, legs) for row in rows]
    last = rows[-1]
    status = TraceStatus(
        time=last.event_time,
        bizStep=_word(last.biz_step),
        disposition=_word(last.disposition),
        place=last.biz_location or last.read_point,
    )
    waybills = sorted({w for e in events for w in e.waybills})
    return TraceRead(
        epc=epc,
        status=status,
        position=_current_position(session, scope, rows, legs),
        legs=legs,
        handovers=_handovers(legs),
        events=events,
        eventsTruncated=truncated,
        waybills=waybills,
    )


def _word(uri: str | None) -> str | None:
    """A CBV URI as its bare word (``https://ref.gs1.org/cbv/BizStep-loading`` -> ``loading``)."""
    if uri is None or not uri.startswith(CBV_BASE):
        return uri
    return uri[len(CBV_BASE) :].split("-", 1)[-1]


def _mode(means: str) -> str:
    for prefix, mode in MEANS_MODES.items():
        if means.startswith(prefix):
            return mode
    return "other"


def _legs(epc: str, rows: list[EventRow]) -> list[TraceLeg]:
    """Legs from the aggregations that hold ``epc`` as a child: ADD opens, DELETE of the same
    parent closes; an ADD to another parent while a leg is open starts the next leg."""
    legs: list[TraceLeg] = []
    open_leg: TraceLeg | None = None
    for row in rows:
        if row.event_type != "AggregationEvent" or "child" not in row.roles:
            continue
        if row.parent_id is None:
            continue
        parent = epc_to_digital_link(row.parent_id)
        place = row.biz_location or row.read_point
        if row.action == "ADD" and (open_leg is None or open_leg.means != parent):
            open_leg = TraceLeg(
                index=len(legs) + 1,
                means=parent,
                mode=_mode(parent),
                loadedAt=row.event_time,
                loadedPlace=place,
                unloadedAt=None,
                unloadedPlace=None,
                carrier=row.party_id,
            )
            legs.append(open_leg)
        elif row.action == "DELETE" and open_leg is not None and open_leg.means == parent:
            open_leg.unloadedAt = row.event_time
            open_leg.unloadedPlace = place
            open_leg = None
    return legs


def _leg_at(legs: list[TraceLeg], moment: datetime) -> int | None:
    for leg in legs:
        if leg.loadedAt <= moment and (leg.unloadedAt is None or moment <= leg.unloadedAt):
            return leg.index
    return None


def _waybills(transactions: Any) -> list[str]:
    out = []
    for item in transactions if isinstance(transactions, list) else []:
        value = item.get("bizTransaction") if isinstance(item, dict) else None
        if isinstance(value, str) and value.startswith(WAYBILL_URN):
            out.append(value[len(WAYBILL_URN) :])
    return out


def _event(row: EventRow, legs: list[TraceLeg]) -> TraceEvent:
    # Built without validation: every value comes typed from the event's own columns.
    return TraceEvent.model_construct(
        eventID=row.event_id,
        eventType=row.event_type,
        eventTime=row.event_time,
        action=row.action,
        bizStep=_word(row.biz_step),
        disposition=_word(row.disposition),
        readPoint=row.read_point,
        bizLocation=row.biz_location,
        roles=sorted(row.roles),
        parentID=row.parent_id,
        leg=_leg_at(legs, row.event_time),
        capturedBy=row.party_id,
        waybills=_waybills(row.biz_transactions),
    )


def _position(moment: datetime, read_point: str | None, event_id: str) -> Position | None:
    """A ``geo:<lat>,<lon>`` read point (RFC 5870) as a position; anything else is none."""
    if not read_point or not read_point.startswith("geo:"):
        return None
    coordinates = read_point[4:].split(";", 1)[0].split(",")
    try:
        lat, lon = float(coordinates[0]), float(coordinates[1])
    except (ValueError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Position(time=moment, latitude=lat, longitude=lon, eventID=event_id)


def _current_position(
    session: Session, scope: Scope, rows: list[EventRow], legs: list[TraceLeg]
) -> Position | None:
    """The latest GPS point: of the EPC's own events, or of the means of a leg, looking at the legs
    from the latest back and stopping at the first whose means reported one (trains and vessels
    often report none), or once the legs end before the best point found."""
    best = max(
        (p for row in rows if (p := _position(row.event_time, row.read_point, row.event_id))),
        key=lambda p: p.time,
        default=None,
    )
    for leg in reversed(legs):
        if best is not None and leg.unloadedAt is not None and leg.unloadedAt <= best.time:
            break
        newest: Position | None
        if leg.track:
            newest = leg.track[-1]
        else:
            found = positions_of(session, leg.means, leg.loadedAt, leg.unloadedAt, scope, 1, latest=True)
            newest = _position(*found[0]) if found else None
        if newest is not None:
            return newest if best is None or newest.time > best.time else best
    return best


def _handovers(legs: list[TraceLeg]) -> list[Handover]:
    out = []
    for before, after in itertools.pairwise(legs):
        out.append(
            Handover(
                place=before.unloadedPlace or after.loadedPlace,
                time=before.unloadedAt or after.loadedAt,
                fromMeans=before.means,
                toMeans=after.means,
                fromCarrier=before.carrier,
                toCarrier=after.carrier,
            )
        )
    return out
