"""Who acts in authorized operation (谁) and how every step is kept: the operation log row and the
ledger entry of the same transaction (I-7, 004:5679)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.identity import PartyType, Principal, Role
from logispace.domains.ledger import append as ledger_append
from logispace.domains.operation.errors import OperationNotAllowed
from logispace.domains.operation.models import OperationLog
from logispace.domains.operation.policies import retain_until

PARTY_ROLES = (Role.PARTY_ADMIN, Role.DATA_STEWARD)
AUTHORITY_ROLES = (Role.AUTHORITY_ADMIN, Role.REVIEWER)
IMPLEMENTING_TYPES = frozenset(
    {
        PartyType.PUBLIC_AGENCY,
        PartyType.PUBLIC_INSTITUTION,
        PartyType.PUBLIC_UTILITY,
        PartyType.DATA_AUTHORITY,
    }
)


CHINA = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """The current day in China, from the injectable clock."""
    return utcnow().astimezone(CHINA).date()


def is_authority(p: Principal) -> bool:
    """The data authority's staff (数据主管部门 / 主管部门): files, evaluates, oversees everything."""
    return p.is_system or (p.party_type is PartyType.DATA_AUTHORITY and p.has(*AUTHORITY_ROLES))


def acts_for(p: Principal, party_id: uuid.UUID) -> bool:
    """The caller is an administrator or data steward of ``party_id`` (or the system)."""
    return p.is_system or (p.party_id == party_id and p.has(*PARTY_ROLES))


def require_implementing(p: Principal) -> uuid.UUID:
    """The caller's party, if it may act as an implementing body (实施机构, 004:871)."""
    if p.party_id is None or p.party_type not in IMPLEMENTING_TYPES or not p.has(*PARTY_ROLES):
        raise OperationNotAllowed(
            "an implementing body is a public agency or institution, through its administrators (004:871)"
        )
    return p.party_id


def require(allowed: bool, detail: str) -> None:
    if not allowed:
        raise OperationNotAllowed(detail)


def record(
    session: Session,
    settings: Settings | None,
    p: Principal,
    kind: str,
    subject: str,
    payload: dict[str, Any],
    result: str,
) -> int:
    """Append the ledger entry ``operation.<kind>`` and its operation log row; the ledger index."""
    receipt = ledger_append(
        session,
        kind=f"operation.{kind}",
        subject=subject,
        payload=payload,
        actor=p.party_id,
        settings=settings,
    )
    now = utcnow()
    session.add(
        OperationLog(
            subject=subject,
            action=kind,
            actor_party_id=p.party_id,
            actor_user_id=p.user_id,
            result=result[:200],
            at=now,
            retain_until=retain_until(today()),
            ledger_index=receipt.entry_id,
        )
    )
    return receipt.entry_id


class Kept(Protocol):
    """A new record of this domain: it keeps the index of the ledger entry that certifies it."""

    ledger_index: int


K = TypeVar("K", bound=Kept)


def keep(
    session: Session,
    settings: Settings | None,
    p: Principal,
    row: K,
    kind: str,
    subject: str,
    payload: dict[str, Any],
    result: str,
) -> K:
    """Add a new record with its ledger entry ``operation.<kind>`` and operation log row (one step)."""
    row.ledger_index = record(session, settings, p, kind, subject, payload, result)
    session.add(row)
    session.flush()
    return row
