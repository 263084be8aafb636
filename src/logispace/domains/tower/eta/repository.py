"""What the ETA reads and writes (到达时间预测数据): the waybill by number, the last GPS fix of a road leg's
vehicles, stored predictions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.logistics.epcis.models import EpcisEvent, EpcisEventEpc
from logispace.domains.logistics.waybills.models import Waybill, WaybillLeg
from logispace.domains.tower.eta.models import EtaPrediction
from logispace.domains.tower.eta.policies import Fix
from logispace.domains.tower.kpis.measures import utc
from logispace.domains.tower.kpis.repository import CBV, WAYBILL_URN, place_code


def waybills_by_number(session: Session, number: str) -> list[tuple[Waybill, list[WaybillLeg]]]:
    """The waybills of that number (one per issuing party), earliest first, each with its legs."""
    found = session.scalars(
        select(Waybill).where(Waybill.number == number.strip().upper()).order_by(Waybill.created_at)
    ).all()
    out = []
    for w in found:
        legs = session.scalars(
            select(WaybillLeg).where(WaybillLeg.waybill_id == w.id).order_by(WaybillLeg.sequence)
        ).all()
        out.append((w, list(legs)))
    return out


def loading_vehicles(session: Session, number: str | None = None) -> dict[tuple[str, str], set[str]]:
    """``{(waybill number, place code): vehicles}``: what each waybill's cargo was loaded on where
    (aggregations naming the waybill), for one waybill or all."""
    rows = session.execute(
        select(EpcisEvent.read_point, EpcisEvent.body).where(
            EpcisEvent.biz_step == CBV + "loading", EpcisEvent.event_type == "AggregationEvent"
        )
    ).all()
    out: dict[tuple[str, str], set[str]] = {}
    for point, body in rows:
        code = place_code(point)
        parent = body.get("parentID")
        if code is None or not isinstance(parent, str):
            continue
        for item in body.get("bizTransactionList") or ():
            value = item.get("bizTransaction", "") if isinstance(item, dict) else ""
            if value.startswith(WAYBILL_URN) and (number is None or value == WAYBILL_URN + number):
                out.setdefault((value.removeprefix(WAYBILL_URN), code), set()).add(parent)
    return out


def last_fix(
    session: Session, vehicles: Sequence[str], since: datetime | None, until: datetime
) -> Fix | None:
    """The newest ``geo:`` point of any of the vehicles between ``since`` and ``until``, with its
    reported speed."""
    if not vehicles:
        return None
    stmt = (
        select(EpcisEvent.event_time, EpcisEvent.read_point, EpcisEvent.body)
        .join(EpcisEventEpc, EpcisEventEpc.event_pk == EpcisEvent.id)
        .where(EpcisEventEpc.epc.in_(list(vehicles)), EpcisEventEpc.role == "epc")
        .where(EpcisEvent.read_point.like("geo:%"), EpcisEvent.event_time <= until)
        .order_by(EpcisEvent.event_time.desc())
        .limit(1)
    )
    if since is not None:
        stmt = stmt.where(EpcisEvent.event_time >= since)
    row = session.execute(stmt).first()
    if row is None:
        return None
    at, point, body = row
    try:
        lat, lon = (float(x) for x in point.removeprefix("geo:").split(",")[:2])
    except ValueError:
        return None
    speed = body.get("ls:speedKmh") if isinstance(body, dict) else None
    return Fix(utc(at), lat, lon, float(speed) if isinstance(speed, int | float) else None)


def predictions_of(session: Session, waybill_id: uuid.UUID) -> list[EtaPrediction]:
    return list(
        session.scalars(
            select(EtaPrediction)
            .where(EtaPrediction.waybill_id == waybill_id)
            .order_by(EtaPrediction.predicted_at, EtaPrediction.leg)
        )
    )


def open_waybill_ids(session: Session) -> list[uuid.UUID]:
    """Waybills on their way (issued, in transit, delayed)."""
    return list(
        session.scalars(select(Waybill.id).where(Waybill.status.in_(("issued", "in_transit", "delayed"))))
    )
