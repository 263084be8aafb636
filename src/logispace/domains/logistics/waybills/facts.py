"""Waybill facts (运单要素) for the domains above logistics: what a waybill promises and who is on it,
read in bulk, without the signed documents.

The control tower's alert rules read them for every captured event, so each function is one or two
queries whatever the number of waybills asked about.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from logispace.domains.logistics.waybills import policies as policy
from logispace.domains.logistics.waybills.models import (
    Container,
    ContainerAssignment,
    Waybill,
    WaybillEvent,
    WaybillLeg,
)

OPEN_STATUSES = (
    policy.Status.ISSUED,
    policy.Status.IN_TRANSIT,
    policy.Status.DELAYED,
    policy.Status.DAMAGED,
)
"""A waybill in one of these states is still under way (not delivered, closed, cancelled or refused)."""


@dataclass(frozen=True)
class LegFacts:
    """One leg: sequence, mode, carrier and its handover points (交接地点)."""

    sequence: int
    mode: str
    carrier_uscc: str
    origin: str
    destination: str


@dataclass(frozen=True)
class WaybillFacts:
    """A waybill as the tower reads it: parties, legs, cold-chain range and its signed handovers."""

    id: uuid.UUID
    number: str
    status: str
    current_leg: int | None
    consignor_uscc: str
    consignee_uscc: str
    creator_party_id: uuid.UUID
    temperature_min_c: float | None
    temperature_max_c: float | None
    created_at: datetime
    legs: tuple[LegFacts, ...]
    signed_handovers: frozenset[int]
    """The legs a signed, notarized handover (hand_over transition) moved the waybill into."""

    @property
    def party_usccs(self) -> frozenset[str]:
        """Consignor, consignee and every leg's carrier."""
        return frozenset({self.consignor_uscc, self.consignee_uscc, *(leg.carrier_uscc for leg in self.legs)})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def facts(session: Session, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, WaybillFacts]:
    """The facts of the waybills ``ids`` (missing ids are left out), in three queries."""
    if not ids:
        return {}
    rows = list(session.scalars(select(Waybill).where(Waybill.id.in_(list(ids)))))
    legs: dict[uuid.UUID, list[LegFacts]] = defaultdict(list)
    for leg in session.scalars(
        select(WaybillLeg).where(WaybillLeg.waybill_id.in_(list(ids))).order_by(WaybillLeg.sequence)
    ):
        legs[leg.waybill_id].append(
            LegFacts(leg.sequence, leg.mode, leg.carrier_uscc, leg.origin, leg.destination)
        )
    signed: dict[uuid.UUID, set[int]] = defaultdict(set)
    handovers = select(WaybillEvent.waybill_id, WaybillEvent.to_leg).where(
        WaybillEvent.waybill_id.in_(list(ids)),
        WaybillEvent.action == str(policy.Action.HAND_OVER),
        WaybillEvent.document_id.is_not(None),
    )
    for waybill_id, to_leg in session.execute(handovers):
        if to_leg is not None:
            signed[waybill_id].add(to_leg)
    return {
        w.id: WaybillFacts(
            id=w.id,
            number=w.number,
            status=w.status,
            current_leg=w.current_leg,
            consignor_uscc=w.consignor_uscc,
            consignee_uscc=w.consignee_uscc,
            creator_party_id=w.created_by_party_id,
            temperature_min_c=w.temperature_min_c,
            temperature_max_c=w.temperature_max_c,
            created_at=w.created_at,
            legs=tuple(legs[w.id]),
            signed_handovers=frozenset(signed[w.id]),
        )
        for w in rows
    }


def waybill_ids_by_number(session: Session, numbers: Collection[str]) -> dict[str, list[uuid.UUID]]:
    """Every waybill bearing each number (a number is unique per issuing party only)."""
    out: dict[str, list[uuid.UUID]] = defaultdict(list)
    if numbers:
        for number, waybill_id in session.execute(
            select(Waybill.number, Waybill.id).where(Waybill.number.in_(list(numbers)))
        ):
            out[number].append(waybill_id)
    return out


def waybill_ids_by_container(session: Session, numbers: Collection[str]) -> dict[str, list[uuid.UUID]]:
    """The waybills each container is on now (an assignment not yet released)."""
    out: dict[str, list[uuid.UUID]] = defaultdict(list)
    if numbers:
        stmt = (
            select(Container.number, ContainerAssignment.waybill_id)
            .join(ContainerAssignment, ContainerAssignment.container_id == Container.id)
            .where(Container.number.in_(list(numbers)), ContainerAssignment.released_at.is_(None))
        )
        for number, waybill_id in session.execute(stmt):
            out[number].append(waybill_id)
    return out


def open_waybill_ids(session: Session, *, party_usccs: Collection[str] | None = None) -> list[uuid.UUID]:
    """Waybills still under way, optionally only those one of ``party_usccs`` is on."""
    stmt = select(Waybill.id).where(Waybill.status.in_([str(s) for s in OPEN_STATUSES]))
    if party_usccs is not None:
        usccs = list(party_usccs)
        carried = select(WaybillLeg.waybill_id).where(WaybillLeg.carrier_uscc.in_(usccs))
        stmt = stmt.where(
            or_(
                Waybill.consignor_uscc.in_(usccs),
                Waybill.consignee_uscc.in_(usccs),
                Waybill.id.in_(carried),
            )
        )
    return list(session.scalars(stmt.order_by(Waybill.created_at, Waybill.id)))
