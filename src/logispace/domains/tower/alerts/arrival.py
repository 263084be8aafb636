"""Expected arrival (预计到达) for the delay rule: an interface the ETA engine will fill.

:data:`ArrivalEstimate` takes a waybill and answers the predicted arrival or None. Until the ETA
engine (``tower.eta``) is merged, :func:`promised_arrival` answers the promised arrival stored for
the waybill (承诺到达时间, :class:`~.models.PromisedArrival`), set by the party that issued it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from logispace.domains.logistics import WaybillFacts
from logispace.domains.tower.alerts.models import PromisedArrival

ArrivalEstimate = Callable[[Session, WaybillFacts], datetime | None]


def promised_arrival(session: Session, waybill: WaybillFacts) -> datetime | None:
    """The promised arrival of ``waybill``, or None when none was set."""
    row = session.get(PromisedArrival, waybill.id)
    return row.promised_at if row is not None else None


def promise(session: Session, waybill_id: uuid.UUID, at: datetime, party_id: uuid.UUID | None) -> None:
    """Set (or move) the promised arrival of a waybill, in the caller's transaction."""
    row = session.get(PromisedArrival, waybill_id)
    if row is None:
        session.add(PromisedArrival(waybill_id=waybill_id, promised_at=at, set_by_party_id=party_id))
    else:
        row.promised_at, row.set_by_party_id = at, party_id
    session.flush()
