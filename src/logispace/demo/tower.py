"""The control tower over the demo week (演示控制塔): each leg's agreed terms (promised arrival, distance,
costs), a week of ETA predictions kept every :data:`PREDICT_EVERY`, and the measures the KPIs read.

Costs are made up at rates of the right order for the corridors (元): transport per tonne-km by mode
(:data:`TRANSPORT_YUAN_PER_TKM`), handling per container at each end of a leg, storage per container
and hour of dwell before the next leg, management as a share of transport. A leg's promise is its
planned arrival plus the delay tolerance the carriers report delays by
(:data:`logispace.demo.waybills.DELAY_TOLERANCE`), so a leg reported delayed misses its promise.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.demo.traffic import Shipment, Traffic, distance_km
from logispace.demo.waybills import DELAY_TOLERANCE
from logispace.domains.identity import Principal
from logispace.domains.tower import eta_service, kpi_service
from logispace.domains.tower.kpis.terms import TermsBody, record_terms, terms_recorded

TRANSPORT_YUAN_PER_TKM = {"road": 0.42, "rail": 0.16, "water": 0.045}
HANDLING_YUAN_PER_BOX = 260.0
STORAGE_YUAN_PER_BOX_HOUR = 4.5
MANAGEMENT_SHARE = 0.06
PREDICT_EVERY = timedelta(hours=6)


def terms(shipment: Shipment) -> list[TermsBody]:
    """The agreed terms of each leg of the shipment."""
    out = []
    boxes = len(shipment.containers)
    tonnes = float(shipment.cargo["gross_weight_kg"]) / 1000
    for n, leg in enumerate(shipment.legs, start=1):
        km = round(distance_km(leg.origin, leg.destination), 1)
        transport = round(TRANSPORT_YUAN_PER_TKM[leg.mode] * tonnes * km, 2)
        after = shipment.legs[n] if n < len(shipment.legs) else None
        dwell_h = (after.depart - leg.arrive).total_seconds() / 3600 if after else 0.0
        out.append(
            TermsBody(
                sequence=n,
                promised_at=leg.due + (leg.due - leg.depart) * DELAY_TOLERANCE,
                distance_km=km,
                cost_transport=transport,
                cost_storage=round(STORAGE_YUAN_PER_BOX_HOUR * boxes * dwell_h, 2),
                cost_handling=round(HANDLING_YUAN_PER_BOX * boxes * 2, 2),
                cost_management=round(transport * MANAGEMENT_SHARE, 2),
            )
        )
    return out


def load(
    session: Session, settings: Settings, traffic: Traffic, end: datetime, principals: Mapping[str, Principal]
) -> None:
    """Record the legs' terms as each waybill's consignor (``principals`` by USCC), keep a prediction
    of every open leg each :data:`PREDICT_EVERY` of the week, and rebuild the measures; nothing when
    the terms are recorded already."""
    if not traffic.shipments or terms_recorded(session):
        return
    for shipment in traffic.shipments:
        issuer = principals[shipment.consignor[1]]
        for body in terms(shipment):
            record_terms(session, issuer, shipment.number, body)
    stored = kpi_service.stored_shipments(session)
    start = min(s.issued_at for s in traffic.shipments)
    moments = []
    moment = start + PREDICT_EVERY
    while moment <= end:
        moments.append(moment)
        moment += PREDICT_EVERY
    eta_service.predict_at(session, stored, [*moments, end])
    kpi_service.refresh(session, settings, end)
