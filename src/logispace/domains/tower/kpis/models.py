"""Control-tower tables (控制塔): the measures KPIs are computed from, who may see each shipment's
measures, and what was agreed for each leg (promised arrival, distance, costs)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin

BigId = BigInteger().with_variant(Integer, "sqlite")


class TowerMeasure(Base):
    """Measure (控制塔度量): one number of a kind for a shipment, leg, node stay, container turn,
    vehicle-day or ETA check, with the dimensions KPIs are filtered and grouped by.

    Derived data, kept up to date as events arrive and waybills step (:mod:`.incremental`);
    :func:`logispace.domains.tower.kpis.service.refresh` rebuilds the whole table from the stored
    waybills, events, GPS points and predictions (the repair path). ``day`` is the Beijing date of ``at``.
    """

    __tablename__ = "tower_measures"
    __table_args__ = (
        Index("ix_tower_measures_kind_day", "kind", "day"),
        Index("ix_tower_measures_waybill", "waybill_id"),
        Index("ix_tower_measures_subject", "kind", "subject"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    value: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column()
    day: Mapped[str] = mapped_column(String(10))
    waybill_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("waybills.id", ondelete="RESTRICT"))
    leg: Mapped[int | None] = mapped_column(Integer)
    corridor: Mapped[str | None] = mapped_column(String(30))
    mode: Mapped[str | None] = mapped_column(String(12))
    node: Mapped[str | None] = mapped_column(String(10))
    owner_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    subject: Mapped[str | None] = mapped_column(String(200))
    """The vehicle (EPC) of a km measure or the container (ISO 6346) of a turn: what is rebuilt together."""


class LegEventWaybill(Base):
    """A leg event's waybill (区段事件运单索引): one row per waybill number a leg event (loading, departing,
    arriving, unloading) names in its ``bizTransactionList``, so a few waybills' leg events are found by
    this key instead of a text search of every event's JSON. Written as events are captured
    (:mod:`.incremental`), rebuilt by a refresh; the row goes with its event."""

    __tablename__ = "tower_leg_event_waybills"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_pk: Mapped[int] = mapped_column(
        BigId, ForeignKey("epcis_events.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )


class ShipmentParty(Base):
    """A party that may see a shipment's measures (运单相关方): consignor, consignee, issuer, carriers."""

    __tablename__ = "tower_shipment_parties"
    __table_args__ = (Index("ix_tower_shipment_parties_uscc", "uscc"),)

    waybill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("waybills.id", ondelete="RESTRICT"), primary_key=True
    )
    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)


class LegTerms(IdMixin, Base):
    """Agreed terms of a leg (运输区段约定): promised arrival (承诺到达时间), distance and costs (物流成本:
    运输、仓储、装卸、管理, 元), recorded by the waybill's issuer or the leg's carrier."""

    __tablename__ = "tower_leg_terms"
    __table_args__ = (UniqueConstraint("waybill_id", "sequence"),)

    waybill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("waybills.id", ondelete="RESTRICT"))
    sequence: Mapped[int] = mapped_column(Integer)
    promised_at: Mapped[datetime | None] = mapped_column()
    distance_km: Mapped[float | None] = mapped_column(Float)
    cost_transport: Mapped[float] = mapped_column(Float, default=0.0)
    cost_storage: Mapped[float] = mapped_column(Float, default=0.0)
    cost_handling: Mapped[float] = mapped_column(Float, default=0.0)
    cost_management: Mapped[float] = mapped_column(Float, default=0.0)
    recorded_by_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
