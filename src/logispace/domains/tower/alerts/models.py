"""Alert tables (预警): rules per party, alerts with the events that raised them and their handling,
the watch state the rules keep between events, and promised arrivals."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin

BigId = BigInteger().with_variant(Integer, "sqlite")


class AlertRule(IdMixin, Base):
    """Alert rule (预警规则): a kind and its threshold, owned by a party, evaluated on its shipments.

    A deleted rule keeps its row (``deleted_at``) so that its alerts still name it.
    """

    __tablename__ = "tower_alert_rules"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))
    threshold: Mapped[float] = mapped_column(Float)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column()


class Alert(Base):
    """Alert (预警): a rule's condition seen on a shipment, for the rule's party, until resolved.

    ``open_key`` names the condition (kind, waybill, subject, leg) while the alert is not resolved, so
    the same condition raises one alert at a time; it is cleared on resolution. ``facts`` holds what
    the rule measured (hours late, degrees, kilometres ...).
    """

    __tablename__ = "tower_alerts"
    __table_args__ = (
        UniqueConstraint("rule_id", "open_key"),
        Index("ix_tower_alerts_party_status", "party_id", "status"),
        Index("ix_tower_alerts_party_uscc", "party_uscc"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    rule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tower_alert_rules.id", ondelete="RESTRICT"))
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    party_uscc: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(30))
    waybill_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("waybills.id", ondelete="RESTRICT"))
    waybill_number: Mapped[str | None] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(500))
    leg: Mapped[int | None] = mapped_column(Integer)
    open_key: Mapped[str | None] = mapped_column(String(700))
    status: Mapped[str] = mapped_column(String(20))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    observed_at: Mapped[datetime] = mapped_column()
    raised_at: Mapped[datetime] = mapped_column()
    assignee_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolution_note: Mapped[str | None] = mapped_column(String(1000))


class AlertEvent(Base):
    """An event that raised an alert (预警依据事件): the alert keeps them all."""

    __tablename__ = "tower_alert_events"

    alert_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tower_alerts.id", ondelete="RESTRICT"), primary_key=True, autoincrement=False
    )
    event_pk: Mapped[int] = mapped_column(
        BigId, ForeignKey("epcis_events.id", ondelete="RESTRICT"), primary_key=True, autoincrement=False
    )


class AlertHandling(IdMixin, Base):
    """A step of handling an alert (预警处置记录): acknowledge, assign or resolve, by whom, with a note."""

    __tablename__ = "tower_alert_handling"

    alert_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tower_alerts.id", ondelete="RESTRICT"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    assignee_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    note: Mapped[str | None] = mapped_column(String(1000))
    at: Mapped[datetime] = mapped_column()
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)


class Watch(IdMixin, Base):
    """What the rules remember of a shipment between events (在途监视状态).

    ``kind`` ``means`` is a truck, train or vessel carrying the waybill's containers on leg ``leg``
    (loaded, not yet unloaded: its last GPS point); ``container`` a box on the waybill (``state``
    ``dwelling`` at ``place`` since ``since`` after coming off, else ``moving``); ``handover`` a box
    taken over for leg ``leg`` at ``since``, waiting for the signed handover of that leg.
    """

    __tablename__ = "tower_alert_watches"
    __table_args__ = (
        UniqueConstraint("waybill_id", "kind", "subject"),
        Index("ix_tower_alert_watches_active", "active", "kind"),
        Index("ix_tower_alert_watches_subject", "subject", "active"),
    )

    waybill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("waybills.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(500))
    leg: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    place: Mapped[str | None] = mapped_column(String(20))
    since: Mapped[datetime] = mapped_column()
    last_seen_at: Mapped[datetime] = mapped_column()
    last_lat: Mapped[float | None] = mapped_column(Float)
    last_lon: Mapped[float | None] = mapped_column(Float)
    event_pks: Mapped[list[int]] = mapped_column(JSON, default=list)
    """The events behind the current state (the last few), linked to an alert it raises."""
    active: Mapped[bool] = mapped_column(default=True)


class PromisedArrival(Base):
    """Promised arrival of a waybill (承诺到达时间): the delay rule's yardstick until an ETA exists."""

    __tablename__ = "tower_promised_arrivals"

    waybill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("waybills.id", ondelete="RESTRICT"), primary_key=True
    )
    promised_at: Mapped[datetime] = mapped_column()
    set_by_party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
