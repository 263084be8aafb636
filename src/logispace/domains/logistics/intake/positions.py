"""Latest vehicle positions (车辆最新定位): the last GPS point a party captured for each plate.

GPS points arrive as EPCIS ObjectEvents of ``urn:logispace:vehicle:<plate>`` whose readPoint is
``geo:<lat>,<lon>`` (:mod:`.adapters.gps_csv`). Only the party's own events count: a party never
learns where another party's vehicle is.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.logistics.epcis.models import EpcisEvent, EpcisEventEpc
from logispace.domains.logistics.intake.adapters import VEHICLE_URN


@dataclass(frozen=True)
class Position:
    """A vehicle's last known point and when it was observed."""

    lon: float
    lat: float
    at: datetime


def _geo(read_point: str | None) -> tuple[float, float] | None:
    if not read_point or not read_point.startswith("geo:"):
        return None
    try:
        lat_text, lon_text = read_point[4:].split(";")[0].split(",")[:2]
        return float(lon_text), float(lat_text)
    except ValueError:
        return None


def latest_positions(session: Session, party_id: uuid.UUID, plates: Iterable[str]) -> dict[str, Position]:
    """The latest GPS point of each plate among the events ``party_id`` captured (plates without one
    are left out)."""
    by_epc = {VEHICLE_URN + quote(plate, safe=""): plate for plate in plates}
    if not by_epc:
        return {}
    rows = session.execute(
        select(EpcisEventEpc.epc, EpcisEvent.read_point, EpcisEvent.event_time)
        .join(EpcisEvent, EpcisEvent.id == EpcisEventEpc.event_pk)
        .where(EpcisEventEpc.epc.in_(by_epc), EpcisEventEpc.party_id == party_id, EpcisEventEpc.role == "epc")
        .order_by(EpcisEventEpc.epc, EpcisEventEpc.event_time.desc())
    ).all()
    out: dict[str, Position] = {}
    for epc, read_point, at in rows:
        plate = by_epc[epc]
        point = _geo(read_point)
        if plate not in out and point is not None:
            out[plate] = Position(point[0], point[1], at)
    return out
