"""Webhook tables (预警推送): a party's endpoints and the outbox of deliveries to them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin

BigId = BigInteger().with_variant(Integer, "sqlite")


class Webhook(IdMixin, Base):
    """Webhook endpoint (推送地址) of a party: alerts are posted there, signed with its secret.

    The secret is sealed under the platform's master key (AES-256-GCM, the webhook id as context).
    """

    __tablename__ = "tower_webhooks"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str | None] = mapped_column(String(200))
    sealed_secret: Mapped[bytes] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column()


class Delivery(Base):
    """A message waiting in the outbox (推送发件箱), written in the transaction that raised it and
    sent afterwards by the delivery worker, with retries and exponential backoff."""

    __tablename__ = "tower_webhook_deliveries"
    __table_args__ = (Index("ix_tower_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    webhook_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tower_webhooks.id", ondelete="RESTRICT"), index=True
    )
    topic: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(500))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column()
    delivered_at: Mapped[datetime | None] = mapped_column()
