"""Waybill and container tables (多式联运一单制 / 一箱制): waybills with their legs and transition
history, container master data and the container-waybill assignments."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin


class Waybill(IdMixin, Base):
    """Multimodal waybill (多式联运运单): one number for every leg (一单制).

    The number is unique per issuing party (the creator): another party may issue the same number,
    so a number says nothing about waybills its caller cannot see.

    ``cargo`` holds the cargo lines as given (description, packages, weight, volume, dangerous
    goods class, UN number); ``dangerous_goods_class`` lists the classes on board, comma-separated.
    """

    __tablename__ = "waybills"
    __table_args__ = (
        Index("ix_waybills_consignor", "consignor_uscc"),
        Index("ix_waybills_consignee", "consignee_uscc"),
        Index("ix_waybills_creator", "created_by_party_id"),
        Index("ix_waybills_number", "number"),
        UniqueConstraint("created_by_party_id", "number"),
    )

    number: Mapped[str] = mapped_column(String(40))
    consignor_uscc: Mapped[str] = mapped_column(String(18))
    consignee_uscc: Mapped[str] = mapped_column(String(18))
    cargo: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    dangerous_goods_class: Mapped[str | None] = mapped_column(String(60))
    temperature_min_c: Mapped[float | None] = mapped_column(Float)
    temperature_max_c: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    current_leg: Mapped[int | None] = mapped_column(Integer)
    leg_count: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20), default="api")
    created_by_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WaybillLeg(IdMixin, Base):
    """Leg of a waybill (运输区段): mode, carrier and the handover points at both ends (交接地点)."""

    __tablename__ = "waybill_legs"
    __table_args__ = (
        UniqueConstraint("waybill_id", "sequence"),
        Index("ix_waybill_legs_carrier", "carrier_uscc"),
    )

    waybill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("waybills.id", ondelete="RESTRICT"))
    sequence: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(10))
    carrier_uscc: Mapped[str] = mapped_column(String(18))
    origin: Mapped[str] = mapped_column(String(10))
    destination: Mapped[str] = mapped_column(String(10))


class WaybillEvent(IdMixin, Base):
    """Waybill transition (运单流转记录): who did what when, from which state to which.

    Every action after the draft is a signed document notarized through the ledger's document
    service: ``snapshot`` is the waybill's JSON at that step (what was signed, in RFC 8785 form),
    ``document_id``/``document_version`` the notarized document and ``ledger_index`` its entry.
    The creation of the draft is the first row (sequence 1), not signed.
    """

    __tablename__ = "waybill_events"
    __table_args__ = (UniqueConstraint("waybill_id", "sequence"),)

    waybill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("waybills.id", ondelete="RESTRICT"))
    sequence: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    actor_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    actor_uscc: Mapped[str] = mapped_column(String(18))
    from_status: Mapped[str | None] = mapped_column(String(20))
    from_leg: Mapped[int | None] = mapped_column(Integer)
    to_status: Mapped[str] = mapped_column(String(20))
    to_leg: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    occurred_at: Mapped[datetime] = mapped_column()
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    document_version: Mapped[int | None] = mapped_column(Integer)
    ledger_index: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id", ondelete="RESTRICT")
    )


class Container(IdMixin, Base):
    """Container (集装箱, 一箱制): one row per ISO 6346 number across the platform, shared by every
    waybill naming the box (its assignments are the box's one record across carriers).

    ``owner_party_id``, ``size_type`` and ``registered_at`` are the owner of record's: the first
    party to register the box, which sees the box's waybills from then on. Every registering party
    keeps its own master data in :class:`ContainerRegistration`; a container first named on a
    waybill has no owner of record until a party registers it.
    """

    __tablename__ = "containers"

    number: Mapped[str] = mapped_column(String(11), unique=True)
    owner_code: Mapped[str] = mapped_column(String(4))
    owner_party_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), index=True
    )
    size_type: Mapped[str | None] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    registered_at: Mapped[datetime | None] = mapped_column()


class ContainerRegistration(IdMixin, Base):
    """A party's registration of a container (集装箱登记): its own master data of the box.

    One row per (container, party): a second party registering the same number gets a record of its
    own, answered exactly as a first registration, so no answer tells that another party registered it.
    """

    __tablename__ = "container_registrations"
    __table_args__ = (UniqueConstraint("container_id", "party_id"),)

    container_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("containers.id", ondelete="RESTRICT"))
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    size_type: Mapped[str] = mapped_column(String(4))
    registered_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContainerAssignment(IdMixin, Base):
    """Container on a waybill (箱单关联): from the draft naming it until the waybill ends.

    ``position`` is the container's place in the draft's list (1, 2, ...): the order the waybill
    shows and signs them in. ``released_at`` is set when the waybill is closed or cancelled; the
    rows are the container's whole history across waybills, legs and carriers.
    """

    __tablename__ = "container_assignments"
    __table_args__ = (
        UniqueConstraint("container_id", "waybill_id"),
        UniqueConstraint("waybill_id", "position"),
        Index("ix_container_assignments_container_assigned", "container_id", "assigned_at"),
        Index("ix_container_assignments_waybill", "waybill_id"),
    )

    container_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("containers.id", ondelete="RESTRICT"))
    waybill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("waybills.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column()
    assigned_at: Mapped[datetime] = mapped_column()
    released_at: Mapped[datetime | None] = mapped_column()
