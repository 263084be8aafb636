"""Waybill shares (运单共享): a party of a waybill lets a named party read its trace and chain of
custody for a period, e.g. a shipper its bank for a trade authenticity check (真实贸易核验)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin


class WaybillShare(IdMixin, Base):
    """Waybill share (运单共享授权): read access to one waybill's trace and custody for a period.

    The share is granted by a party of the waybill (its consignor, consignee or creator) to another
    party, for a stated purpose, from ``valid_from`` to ``valid_until``; revoking it ends it at once.
    Granting and revoking are both entries in the evidence ledger (``ledger_index`` and
    ``revoked_ledger_index``). Nothing is deleted: a share that ended stays as the record of who could
    read what, and when.
    """

    __tablename__ = "waybill_shares"
    __table_args__ = (
        Index("ix_waybill_shares_waybill", "waybill_id"),
        Index("ix_waybill_shares_recipient", "recipient_party_id"),
    )

    waybill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("waybills.id", ondelete="RESTRICT"))
    recipient_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    granted_by_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    granted_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    purpose: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[datetime] = mapped_column()
    valid_until: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    ledger_index: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id", ondelete="RESTRICT")
    )
    revoked_ledger_index: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id", ondelete="RESTRICT")
    )

    def active_at(self, moment: datetime) -> bool:
        """Whether the share lets its recipient read at ``moment``."""
        return self.revoked_at is None and self.valid_from <= moment < self.valid_until
