"""Waybill share service (运单共享): grant, revoke and read a share; read a shared waybill.

A party of a waybill (its consignor, consignee or creator: the owners of the cargo's papers, not a
carrier) may let another platform party read the waybill, its full-chain trace and its chain of
custody for a period: a shipper lets its bank check that a trade is real (真实贸易核验, seed 001
(35), seed 000 (38)) before financing it. The recipient reads only; it takes no action on the
waybill. Granting and revoking are ledger entries in the same transaction; a share that ended is
kept. Services never commit.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains import identity, ledger
from logispace.domains.identity import Principal
from logispace.domains.logistics.shares import repository
from logispace.domains.logistics.shares.errors import (
    ShareEnded,
    ShareNotAllowed,
    ShareNotFound,
    SharePeriodInvalid,
    ShareRecipientInvalid,
)
from logispace.domains.logistics.shares.models import WaybillShare
from logispace.domains.logistics.shares.schemas import ShareCreate, SharedWaybill, ShareRead
from logispace.domains.logistics.waybills import service as waybills
from logispace.domains.logistics.waybills.errors import WaybillNotFound
from logispace.domains.logistics.waybills.models import Waybill
from logispace.domains.logistics.waybills.schemas import CustodyReport

LONGEST = timedelta(days=366)
"""The longest period a share may run from now: a year (a trade finance cycle); renew by granting again."""

GRANTED = "logistics.waybill.share.granted"
REVOKED = "logistics.waybill.share.revoked"


def _owned(session: Session, p: Principal, number: str) -> tuple[Waybill, waybills.Caller]:
    """The waybill ``number`` of which the caller's party is consignor, consignee or creator."""
    who = waybills.caller(session, p)
    w = waybills.get_waybill(session, p, number)
    if who.uscc not in (w.consignor_uscc, w.consignee_uscc) and w.created_by_party_id != who.party_id:
        raise ShareNotAllowed(
            "only the waybill's consignor, consignee or creator may share it; a carrier may not"
        )
    return w, who


def grant(session: Session, p: Principal, settings: Settings, number: str, body: ShareCreate) -> WaybillShare:
    """Let ``body.recipient_uscc``'s party read waybill ``number`` for the period, for the purpose."""
    waybills.writer(p)
    w, who = _owned(session, p, number)
    now = utcnow()
    start = body.valid_from or now
    if body.valid_until <= max(start, now):
        raise SharePeriodInvalid("the period must end after its start and after now")
    if body.valid_until - now > LONGEST:
        raise SharePeriodInvalid("a share runs at most 366 days from now; grant a new one to extend it")
    recipient_id = identity.party_ids_by_uscc(session, {body.recipient_uscc}).get(body.recipient_uscc)
    if recipient_id is None:
        raise ShareRecipientInvalid(f"no platform party has the code {body.recipient_uscc}")
    if recipient_id == who.party_id:
        raise ShareRecipientInvalid("a party does not share a waybill with itself")
    share = WaybillShare(
        id=uuid.uuid4(),
        waybill_id=w.id,
        recipient_party_id=recipient_id,
        granted_by_party_id=who.party_id,
        granted_by_user_id=p.user_id,
        purpose=body.purpose,
        valid_from=start,
        valid_until=body.valid_until,
        created_at=now,
    )
    session.add(share)
    session.flush()
    receipt = ledger.append(
        session,
        kind=GRANTED,
        subject=f"waybill-share:{share.id}",
        payload={
            "waybill": w.number,
            "waybill_id": str(w.id),
            "recipient": str(recipient_id),
            "purpose": share.purpose,
            "valid_from": start.isoformat(),
            "valid_until": share.valid_until.isoformat(),
        },
        actor=who.party_id,
        settings=settings,
    )
    share.ledger_index = receipt.entry_id
    session.flush()
    return share


def revoke(
    session: Session, p: Principal, settings: Settings, number: str, share_id: uuid.UUID
) -> WaybillShare:
    """End a share at once (撤销共享); only the party that granted it may."""
    waybills.writer(p)
    w, who = _owned(session, p, number)
    share = repository.share_for_update(session, share_id)
    if share is None or share.waybill_id != w.id or share.granted_by_party_id != who.party_id:
        raise ShareNotFound(f"no share {share_id} of waybill {w.number} granted by this party")
    if share.revoked_at is not None:
        raise ShareEnded(f"the share was revoked at {share.revoked_at.isoformat()}")
    share.revoked_at = utcnow()
    share.revoked_by_user_id = p.user_id
    receipt = ledger.append(
        session,
        kind=REVOKED,
        subject=f"waybill-share:{share.id}",
        payload={"waybill": w.number, "waybill_id": str(w.id), "revoked_at": share.revoked_at.isoformat()},
        actor=who.party_id,
        settings=settings,
    )
    share.revoked_ledger_index = receipt.entry_id
    session.flush()
    return share


def shares_of(session: Session, p: Principal, number: str) -> list[ShareRead]:
    """The shares the caller's party granted on waybill ``number`` (only its grantors see them)."""
    w, who = _owned(session, p, number)
    return reads(session, repository.shares_of_waybill(session, w.id, who.party_id))


def shared_waybill(session: Session, p: Principal, number: str) -> Waybill:
    """Waybill ``number`` as the caller may read it: a waybill it is a party to, or one shared with it
    now; 404 otherwise, exactly like a missing number."""
    try:
        return waybills.get_waybill(session, p, number)
    except WaybillNotFound:
        if p.party_id is not None:
            found = repository.shared_waybill(session, p.party_id, number.strip().upper(), utcnow())
            if found is not None:
                return found
        raise


def shared_with_me(session: Session, p: Principal) -> list[SharedWaybill]:
    """Every waybill shared with the caller's party now, its chain of custody verified now."""
    if p.party_id is None:
        return []
    pairs = repository.shares_to(session, p.party_id, utcnow())
    shares = reads(session, [share for share, _ in pairs])
    return [
        SharedWaybill(
            share=read,
            status=w.status,
            consignor_uscc=w.consignor_uscc,
            consignee_uscc=w.consignee_uscc,
            custody=waybills.custody_of(session, w),
        )
        for read, (_, w) in zip(shares, pairs, strict=True)
    ]


def custody_of_shared(session: Session, p: Principal, number: str) -> CustodyReport:
    """The chain of custody of a waybill the caller may read (its own or shared with it)."""
    return waybills.custody_of(session, shared_waybill(session, p, number))


def reads(session: Session, shares: list[WaybillShare]) -> list[ShareRead]:
    names = identity.party_names(
        session, {s.recipient_party_id for s in shares} | {s.granted_by_party_id for s in shares}
    )
    numbers = repository.numbers_of(session, [s.waybill_id for s in shares])
    now = utcnow()
    return [
        ShareRead(
            id=s.id,
            waybill=numbers[s.waybill_id],
            recipient_party_id=s.recipient_party_id,
            recipient_name=names.get(s.recipient_party_id, ""),
            granted_by_party_id=s.granted_by_party_id,
            granted_by_name=names.get(s.granted_by_party_id, ""),
            purpose=s.purpose,
            valid_from=s.valid_from,
            valid_until=s.valid_until,
            revoked_at=s.revoked_at,
            active=s.active_at(now),
            ledger_index=s.ledger_index,
            revoked_ledger_index=s.revoked_ledger_index,
        )
        for s in shares
    ]
