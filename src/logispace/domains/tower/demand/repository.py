"""Reading the booked shipments volumes are counted from (运量数据读取): each waybill's booking time
(``waybills.created_at``), its corridor (first leg's origin - last leg's destination, as the KPIs) and
its cargo lines (``description``, ``gross_weight_kg``)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from logispace.domains.identity.models import Party
from logispace.domains.logistics.waybills.models import Waybill, WaybillLeg
from logispace.domains.tower.kpis.measures import utc


@dataclass(frozen=True)
class Booking:
    """A shipment as volume: when it was booked, its corridor, and tonnes per commodity."""

    at: datetime
    corridor: str
    cargo: tuple[tuple[str, float], ...]


def bookings(session: Session, party: str | None, since: datetime | None = None) -> list[Booking]:
    """The waybills booked since ``since`` that ``party`` may see (consignor, consignee, issuer or a
    leg's carrier, as for the waybill itself); every waybill when ``party`` is ``None`` (the authority)."""
    stmt = select(Waybill.id, Waybill.created_at, Waybill.cargo)
    if since is not None:
        stmt = stmt.where(Waybill.created_at >= since)
    if party is not None:
        stmt = stmt.where(_visible(party))
    rows = session.execute(stmt).all()
    ends = _ends(session, [row[0] for row in rows])
    out = []
    for waybill_id, created_at, cargo in rows:
        corridor = ends.get(waybill_id)
        if corridor is not None:
            out.append(Booking(utc(created_at), corridor, _lines(cargo)))
    return sorted(out, key=lambda b: b.at)


def _ends(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    legs: dict[uuid.UUID, list[tuple[int, str, str]]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stmt = select(WaybillLeg.waybill_id, WaybillLeg.sequence, WaybillLeg.origin, WaybillLeg.destination)
        for waybill_id, sequence, origin, destination in session.execute(
            stmt.where(WaybillLeg.waybill_id.in_(chunk))
        ):
            legs[waybill_id].append((sequence, origin, destination))
    out = {}
    for waybill_id, rows in legs.items():
        rows.sort()
        out[waybill_id] = f"{rows[0][1]}-{rows[-1][2]}"
    return out


def _lines(cargo: list[dict[str, Any]] | None) -> tuple[tuple[str, float], ...]:
    out = []
    for line in cargo or ():
        if not isinstance(line, dict):
            continue
        name = str(line.get("description") or "").strip()
        weight = line.get("gross_weight_kg")
        tonnes = float(weight) / 1000 if isinstance(weight, int | float) else 0.0
        if name:
            out.append((name, tonnes))
    return tuple(out)


def latest(session: Session, party: str | None) -> datetime | None:
    """When the latest waybill ``party`` may see was booked (any waybill: the authority)."""
    stmt = select(func.max(Waybill.created_at))
    if party is not None:
        stmt = stmt.where(_visible(party))
    value = session.scalar(stmt)
    return utc(value) if value is not None else None


def _visible(party: str) -> ColumnElement[bool]:
    issuer = select(Party.id).where(Party.uscc == party)
    carried = select(WaybillLeg.waybill_id).where(WaybillLeg.carrier_uscc == party)
    return or_(
        Waybill.consignor_uscc == party,
        Waybill.consignee_uscc == party,
        Waybill.created_by_party_id.in_(issuer),
        Waybill.id.in_(carried),
    )
