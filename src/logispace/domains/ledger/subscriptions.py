"""What the ledger records for lower domains: identity events become evidence entries (存证)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from logispace.core.events import EventBus
from logispace.domains.identity import EVENTS, IdentityEvent
from logispace.domains.ledger import service


def record_identity_event(session: Session, event: IdentityEvent) -> None:
    """Append one identity event to the log, in the transaction that caused it."""
    service.append(
        session,
        kind=event.kind,
        subject=event.subject,
        payload=event.payload(),
        actor=event.actor_party_id,
    )


def subscribe(bus: EventBus) -> None:
    """Register the ledger's handlers on ``bus`` (idempotent)."""
    handler: Any = record_identity_event
    for event_type in EVENTS:
        bus.subscribe(event_type, handler)
