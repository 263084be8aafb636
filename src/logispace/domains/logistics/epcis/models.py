"""EPCIS tables: capture jobs, events with their queried fields as columns, and the EPC link table."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.db import Base, IdMixin

BigId = BigInteger().with_variant(Integer, "sqlite")


class CaptureJob(IdMixin, Base):
    """EPCIS capture job (采集作业): one accepted EPCIS document, captured whole or not at all."""

    __tablename__ = "epcis_capture_jobs"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    running: Mapped[bool] = mapped_column(default=False)
    success: Mapped[bool] = mapped_column(default=True)
    error_behaviour: Mapped[str] = mapped_column(String(20), default="rollback")
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    event_count: Mapped[int] = mapped_column(Integer)
    stored_count: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """The events of the document not stored, each with its pointer, eventID and reason."""
    document_sha256: Mapped[str] = mapped_column(String(64))
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)


class EpcisEvent(Base):
    """EPCIS event (物流追踪事件): the full event as captured, its queried fields as indexed columns."""

    __tablename__ = "epcis_events"
    __table_args__ = (
        UniqueConstraint("party_id", "event_hash"),
        UniqueConstraint("party_id", "event_id"),
        Index("ix_epcis_events_party_event_time", "party_id", "event_time"),
        Index("ix_epcis_events_party_record_time", "party_id", "record_time"),
        Index("ix_epcis_events_party_biz_step", "party_id", "biz_step"),
        Index("ix_epcis_events_party_read_point", "party_id", "read_point"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    capture_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("epcis_capture_jobs.id", ondelete="RESTRICT"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(500))
    event_hash: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(40))
    event_time: Mapped[datetime] = mapped_column()
    record_time: Mapped[datetime] = mapped_column()
    action: Mapped[str | None] = mapped_column(String(10))
    biz_step: Mapped[str | None] = mapped_column(String(500))
    disposition: Mapped[str | None] = mapped_column(String(500))
    read_point: Mapped[str | None] = mapped_column(String(500))
    biz_location: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class EpcisEventEpc(Base):
    """EPC link (事件标识关联): one EPC of an event, in its canonical form, and the list it came from.

    ``role`` is ``epc`` (epcList), ``child`` (childEPCs), ``input``, ``output``, ``parent`` or
    ``quantity`` (the EPC class of a quantity element).
    """

    __tablename__ = "epcis_event_epcs"
    __table_args__ = (
        Index("ix_epcis_event_epcs_party_epc", "party_id", "epc"),
        Index("ix_epcis_event_epcs_epc_role_time", "epc", "role", "event_time", "event_pk"),
    )

    event_pk: Mapped[int] = mapped_column(
        BigId, ForeignKey("epcis_events.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    epc: Mapped[str] = mapped_column(String(500), primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    event_time: Mapped[datetime] = mapped_column()
    """The event's time, copied so that a trace reads an EPC's events in a time window from the index."""
