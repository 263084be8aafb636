"""Waybill share queries (运单共享查询)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from logispace.domains.logistics.shares.models import WaybillShare
from logispace.domains.logistics.waybills.models import Waybill


def active_filter(moment: datetime) -> tuple[ColumnElement[bool], ...]:
    """The SQL condition of a share that lets its recipient read at ``moment``."""
    return (
        WaybillShare.revoked_at.is_(None),
        WaybillShare.valid_from <= moment,
        WaybillShare.valid_until > moment,
    )


def shared_waybill(session: Session, party_id: uuid.UUID, number: str, moment: datetime) -> Waybill | None:
    """The waybill ``number`` shared with ``party_id`` at ``moment`` (the earliest created if several
    issuers share one number with it), or none."""
    stmt = (
        select(Waybill)
        .join(WaybillShare, WaybillShare.waybill_id == Waybill.id)
        .where(Waybill.number == number, WaybillShare.recipient_party_id == party_id, *active_filter(moment))
        .order_by(Waybill.created_at, Waybill.id)
        .limit(1)
    )
    return session.scalar(stmt)


def shares_of_waybill(session: Session, waybill_id: uuid.UUID, granted_by: uuid.UUID) -> list[WaybillShare]:
    """The shares ``granted_by`` granted on one waybill, the newest first."""
    stmt = (
        select(WaybillShare)
        .where(WaybillShare.waybill_id == waybill_id, WaybillShare.granted_by_party_id == granted_by)
        .order_by(WaybillShare.created_at.desc(), WaybillShare.id)
    )
    return list(session.scalars(stmt))


def shares_to(session: Session, party_id: uuid.UUID, moment: datetime) -> list[tuple[WaybillShare, Waybill]]:
    """The shares that let ``party_id`` read at ``moment``, with their waybills, the newest first."""
    stmt = (
        select(WaybillShare, Waybill)
        .join(Waybill, WaybillShare.waybill_id == Waybill.id)
        .where(WaybillShare.recipient_party_id == party_id, *active_filter(moment))
        .order_by(WaybillShare.created_at.desc(), WaybillShare.id)
    )
    return [(share, waybill) for share, waybill in session.execute(stmt)]


def share_for_update(session: Session, share_id: uuid.UUID) -> WaybillShare | None:
    return session.scalar(select(WaybillShare).where(WaybillShare.id == share_id).with_for_update())


def numbers_of(session: Session, waybill_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not waybill_ids:
        return {}
    rows = session.execute(select(Waybill.id, Waybill.number).where(Waybill.id.in_(waybill_ids)))
    return dict(rows.all())  # a list of rows: dict() would take the Result itself for a mapping
