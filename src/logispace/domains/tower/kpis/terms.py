"""Agreed terms of a leg (运输区段约定): promised arrival, distance and the leg's logistics cost by
component (运输、仓储、装卸、管理), recorded by the waybill's issuer or the leg's carrier and written to
the ledger (``tower.leg_terms``) in the same transaction; the measures read them for OTIF, tonne-km and
cost per tonne-km."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.errors import PermissionDenied
from logispace.domains import identity
from logispace.domains.identity import Principal
from logispace.domains.ledger import append as ledger_append
from logispace.domains.tower.eta import repository as waybills
from logispace.domains.tower.kpis import incremental
from logispace.domains.tower.kpis.errors import EtaWaybillNotFound
from logispace.domains.tower.kpis.models import LegTerms


class TermsBody(BaseModel):
    """The terms of one leg (区段约定与成本), money in yuan."""

    model_config = ConfigDict(extra="forbid")

    sequence: int = Field(ge=1)
    promised_at: datetime | None = None
    distance_km: float | None = Field(default=None, ge=0)
    cost_transport: float = Field(default=0.0, ge=0)
    cost_storage: float = Field(default=0.0, ge=0)
    cost_handling: float = Field(default=0.0, ge=0)
    cost_management: float = Field(default=0.0, ge=0)


def record_terms(session: Session, principal: Principal, number: str, body: TermsBody) -> LegTerms:
    """Record (or replace) the terms of leg ``body.sequence`` of the caller's waybill ``number``: the
    issuer for any leg, a carrier for its own legs; 404 for a waybill the caller is not on."""
    uscc = identity.party_uscc(session, principal.party_id) if principal.party_id else None
    for w, legs in waybills.waybills_by_number(session, number):
        leg = next((x for x in legs if x.sequence == body.sequence), None)
        issuer = w.created_by_party_id == principal.party_id
        if not issuer and not any(x.carrier_uscc == uscc for x in legs):
            continue
        if leg is None:
            raise EtaWaybillNotFound(f"waybill {number} has no leg {body.sequence}", field="sequence")
        if not issuer and leg.carrier_uscc != uscc:
            raise PermissionDenied("a carrier records the terms of its own legs", field="sequence")
        found = session.scalar(
            select(LegTerms).where(LegTerms.waybill_id == w.id, LegTerms.sequence == body.sequence)
        )
        terms = found or LegTerms(waybill_id=w.id, sequence=body.sequence)
        for name, value in body.model_dump(exclude={"sequence"}).items():
            setattr(terms, name, value)
        terms.recorded_by_party_id = principal.party_id  # type: ignore[assignment]
        terms.recorded_at = utcnow()
        session.add(terms)
        session.flush()
        payload = {"waybill": w.number, "waybill_id": str(w.id), **body.model_dump(mode="json")}
        ledger_append(
            session,
            kind="tower.leg_terms",
            subject=f"waybill:{w.id}",
            payload=payload,
            actor=principal.party_id,
        )
        incremental.rebuild_waybills(session, [w.id])
        return terms
    raise EtaWaybillNotFound(f"no waybill {number} that you may see", field="waybill")


def terms_recorded(session: Session) -> bool:
    """Whether any leg's terms are recorded (the demo records them once)."""
    return session.scalar(select(LegTerms.id).limit(1)) is not None
