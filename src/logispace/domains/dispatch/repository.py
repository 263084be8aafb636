"""Dispatch queries (车货匹配查询); every read is scoped to what a party may see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from logispace.domains.dispatch.models import (
    DispatchLoad,
    DispatchVehicle,
    MatchProposal,
    MatchRun,
    RoutePlan,
)


def vehicles_of(session: Session, party_id: uuid.UUID) -> Sequence[DispatchVehicle]:
    return session.scalars(
        select(DispatchVehicle).where(DispatchVehicle.party_id == party_id).order_by(DispatchVehicle.plate)
    ).all()


def vehicle_of(session: Session, party_id: uuid.UUID, vehicle_id: uuid.UUID) -> DispatchVehicle | None:
    return session.scalars(
        select(DispatchVehicle).where(DispatchVehicle.id == vehicle_id, DispatchVehicle.party_id == party_id)
    ).first()


def plate_taken(session: Session, party_id: uuid.UUID, plate: str) -> bool:
    found = session.scalar(
        select(DispatchVehicle.id).where(DispatchVehicle.party_id == party_id, DispatchVehicle.plate == plate)
    )
    return found is not None


def reference_taken(session: Session, party_id: uuid.UUID, reference: str) -> bool:
    found = session.scalar(
        select(DispatchLoad.id).where(DispatchLoad.party_id == party_id, DispatchLoad.reference == reference)
    )
    return found is not None


def waybill_load(session: Session, party_id: uuid.UUID, waybill_no: str) -> DispatchLoad | None:
    return session.scalars(
        select(DispatchLoad).where(DispatchLoad.party_id == party_id, DispatchLoad.waybill_no == waybill_no)
    ).first()


def _visible(party_id: uuid.UUID):  # type: ignore[no-untyped-def]
    """Own loads, posted loads still open, and loads this party was accepted to carry."""
    return or_(
        DispatchLoad.party_id == party_id,
        (DispatchLoad.posted.is_(True)) & (DispatchLoad.status == "open"),
        DispatchLoad.carrier_party_id == party_id,
    )


def loads_visible(session: Session, party_id: uuid.UUID, status: str | None = None) -> Sequence[DispatchLoad]:
    query = select(DispatchLoad).where(_visible(party_id))
    if status is not None:
        query = query.where(DispatchLoad.status == status)
    return session.scalars(query.order_by(DispatchLoad.earliest_pickup, DispatchLoad.reference)).all()


def load_visible(session: Session, party_id: uuid.UUID, load_id: uuid.UUID) -> DispatchLoad | None:
    return session.scalars(select(DispatchLoad).where(DispatchLoad.id == load_id, _visible(party_id))).first()


def loads_by_id(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, DispatchLoad]:
    if not ids:
        return {}
    return {x.id: x for x in session.scalars(select(DispatchLoad).where(DispatchLoad.id.in_(ids)))}


def vehicles_by_id(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, DispatchVehicle]:
    if not ids:
        return {}
    return {x.id: x for x in session.scalars(select(DispatchVehicle).where(DispatchVehicle.id.in_(ids)))}


def runs_of(session: Session, party_id: uuid.UUID) -> Sequence[MatchRun]:
    return session.scalars(
        select(MatchRun).where(MatchRun.party_id == party_id).order_by(MatchRun.created_at.desc())
    ).all()


def run_of(session: Session, party_id: uuid.UUID, run_id: uuid.UUID) -> MatchRun | None:
    return session.scalars(
        select(MatchRun).where(MatchRun.id == run_id, MatchRun.party_id == party_id)
    ).first()


def proposals_of(session: Session, run_id: uuid.UUID) -> Sequence[MatchProposal]:
    return session.scalars(
        select(MatchProposal)
        .where(MatchProposal.run_id == run_id)
        .order_by(MatchProposal.vehicle_id, MatchProposal.sequence)
    ).all()


def plans_of(session: Session, party_id: uuid.UUID) -> Sequence[RoutePlan]:
    return session.scalars(
        select(RoutePlan).where(RoutePlan.party_id == party_id).order_by(RoutePlan.created_at.desc())
    ).all()


def plan_of(session: Session, party_id: uuid.UUID, plan_id: uuid.UUID) -> RoutePlan | None:
    return session.scalars(
        select(RoutePlan).where(RoutePlan.id == plan_id, RoutePlan.party_id == party_id)
    ).first()
