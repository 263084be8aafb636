"""Ledger test helpers: append and read back the full receipt (the tests integrate inline, so an
appended entry is in the tree at once; :func:`receipt_for` then gives its inclusion proof)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.ledger import service
from logispace.domains.ledger.receipts import receipt_for
from logispace.domains.ledger.service import Receipt


def full_receipt(db: Session, entry_id: int) -> Receipt:
    """The receipt of an integrated entry (fails the test for a mere promise)."""
    found = receipt_for(db, entry_id)
    assert isinstance(found, Receipt), f"entry {entry_id} is not integrated"
    return found


def appended(
    db: Session,
    *,
    kind: str,
    subject: str,
    payload: dict[str, Any],
    actor: uuid.UUID | None,
    settings: Settings | None = None,
) -> Receipt:
    """Append one entry and return its full receipt."""
    stamp = service.append(db, kind=kind, subject=subject, payload=payload, actor=actor, settings=settings)
    return full_receipt(db, stamp.entry_id)


def appended_many(
    db: Session,
    entries: list[tuple[str, str, dict[str, Any], uuid.UUID | None]],
    settings: Settings | None = None,
) -> list[Receipt]:
    """Append several entries and return their full receipts."""
    return [full_receipt(db, s.entry_id) for s in service.append_many(db, entries, settings)]
