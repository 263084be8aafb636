"""The refusal record (交易拒绝留痕) of the trading routes: a refused step is rolled back, its record is
appended to the ledger and committed, and the refusal is raised again. This is the unit of work's edge,
like the request's session dependency, not a service: services never commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import DomainError
from logispace.domains.identity import Principal
from logispace.domains.ledger import append as ledger_append
from logispace.domains.trading.errors import TradingRefused
from logispace.domains.trading.models import TradingRefusal

CONNECTOR_SOURCE = "004:589"
"""Access authentication of the data space's common services (接入认证, 004:589): the rule a connector
without valid credentials is refused on."""


ANONYMOUS = "trading-connector:unknown"
"""The subject of a refusal of a caller that could not be authenticated."""
ANONYMOUS_WINDOW = timedelta(minutes=1)
"""Refusals of unauthenticated calls with the same action and code are recorded once per this window."""


def record_anonymous_refusal(
    session: Session, *, action: str, error: DomainError, settings: Settings | None
) -> TradingRefusal | None:
    """Keep the refusal of a call that could not be authenticated, once per minute for each action and
    code: the first of a burst gets its row and ledger entry, the others within the minute are not kept
    again (None). Anyone can send such calls, and one ledger entry each, kept 20 years, would let anyone
    fill the ledger."""
    seen = session.scalar(
        select(TradingRefusal.id)
        .where(
            TradingRefusal.subject == ANONYMOUS,
            TradingRefusal.refused_at >= utcnow() - ANONYMOUS_WINDOW,
            TradingRefusal.party_id.is_(None),
            TradingRefusal.action == action[:32],
            TradingRefusal.code == error.code,
        )
        .limit(1)
    )
    if seen is not None:
        return None
    return record_refusal(session, None, subject=ANONYMOUS, action=action, error=error, settings=settings)


def record_refusal(
    session: Session,
    p: Principal | None,
    *,
    subject: str,
    action: str,
    error: DomainError,
    settings: Settings | None,
) -> TradingRefusal:
    """Keep a refusal: what was refused, why and on which rule, as a ledger entry. ``p`` is None for a
    caller that could not be authenticated (a connector without a valid token)."""
    source = getattr(error, "source", None) or CONNECTOR_SOURCE
    party_id = p.party_id if p is not None else None
    payload = {"action": action, "code": error.code, "detail": error.detail, "source": source}
    receipt = ledger_append(
        session, kind="trading.refused", subject=subject, payload=payload, actor=party_id, settings=settings
    )
    row = TradingRefusal(
        subject=subject,
        party_id=party_id,
        action=action[:32],
        code=error.code,
        detail=error.detail,
        source=source,
        refused_at=utcnow(),
        ledger_index=receipt.entry_id,
    )
    session.add(row)
    session.flush()
    return row


@contextmanager
def audited(
    session: Session, p: Principal, settings: Settings | None, *, subject: str, action: str
) -> Iterator[None]:
    """Run a step; on a refusal keep only its record (committed) and raise it again."""
    try:
        yield
    except TradingRefused as exc:
        session.rollback()
        record_refusal(session, p, subject=subject, action=action, error=exc, settings=settings)
        session.commit()
        raise
