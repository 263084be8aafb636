"""Dispatch tables (车货匹配): vehicles offered, loads to carry, match runs with their proposals, and
route plans. Nothing is deleted: a decided proposal or a plan stays as the record of the dispatch."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin


class DispatchVehicle(IdMixin, Base):
    """Vehicle (运力): a carrier party's truck offered for matching, with its qualifications.

    A vehicle may be matched only with a road transport certificate (道路运输证) valid on the day and a
    qualified driver (从业资格); ``qualifications`` lists the rest (``DG`` for dangerous goods). Its
    position is the latest GPS point the party captured for its plate (logistics), else the one given.
    """

    __tablename__ = "dispatch_vehicles"
    __table_args__ = (UniqueConstraint("party_id", "plate"),)

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    plate: Mapped[str] = mapped_column(String(20))
    vehicle_type: Mapped[str] = mapped_column(String(20))
    capacity_t: Mapped[float] = mapped_column(Float)
    capacity_m3: Mapped[float | None] = mapped_column(Float)
    """Cargo space in cubic metres; None: no volume limit in matching."""
    qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    certificate_valid_until: Mapped[date | None] = mapped_column()
    driver_qualified: Mapped[bool] = mapped_column(default=False)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    available_from: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DispatchLoad(IdMixin, Base):
    """Load (货源): cargo a shipper party needs carried, posted on the platform or from its waybill draft.

    ``posted`` loads are the freight market (公开货源): every party sees their route, weight and window;
    others stay the shipper's own until a vehicle is accepted for them. ``volume_m3`` is matched against
    a vehicle's ``capacity_m3`` when both are given (either empty: no volume constraint).
    """

    __tablename__ = "dispatch_loads"
    __table_args__ = (
        UniqueConstraint("party_id", "reference"),
        Index("ix_dispatch_loads_status_posted", "status", "posted"),
        Index("ix_dispatch_loads_waybill", "party_id", "waybill_no", unique=True),
    )

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    reference: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))
    posted: Mapped[bool] = mapped_column(default=True)
    pickup_lon: Mapped[float] = mapped_column(Float)
    pickup_lat: Mapped[float] = mapped_column(Float)
    drop_lon: Mapped[float] = mapped_column(Float)
    drop_lat: Mapped[float] = mapped_column(Float)
    pickup_place: Mapped[str | None] = mapped_column(String(12))
    drop_place: Mapped[str | None] = mapped_column(String(12))
    weight_t: Mapped[float] = mapped_column(Float)
    volume_m3: Mapped[float | None] = mapped_column(Float)
    vehicle_type: Mapped[str | None] = mapped_column(String(20))
    earliest_pickup: Mapped[datetime | None] = mapped_column()
    latest_pickup: Mapped[datetime | None] = mapped_column()
    required_qualification: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open")
    carrier_party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    waybill_no: Mapped[str | None] = mapped_column(String(40))
    """The shipper's waybill draft this load was made from (one load per draft), else None."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchRun(IdMixin, Base):
    """Match run (匹配方案): a carrier party's vehicles matched with the open loads it may see, with
    the empty-running report before and after (``report``) and the loads left over with reasons."""

    __tablename__ = "dispatch_match_runs"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    mode: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(10))
    total_deadhead_km: Mapped[float] = mapped_column(Float)
    unassigned: Mapped[list[Any]] = mapped_column(JSON, default=list)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ledger_index: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id", ondelete="RESTRICT")
    )


class MatchProposal(IdMixin, Base):
    """Proposed match (匹配建议): one vehicle for one load, to accept or reject; ``sequence`` orders a
    vehicle's loads in the chaining mode."""

    __tablename__ = "dispatch_match_proposals"

    run_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dispatch_match_runs.id", ondelete="RESTRICT"), index=True
    )
    vehicle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dispatch_vehicles.id", ondelete="RESTRICT"))
    load_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dispatch_loads.id", ondelete="RESTRICT"), index=True
    )
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    deadhead_km: Mapped[float] = mapped_column(Float)
    loaded_km: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    ledger_index: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id", ondelete="RESTRICT")
    )


class RoutePlan(IdMixin, Base):
    """Route plan (路径方案): a carrier party's vehicles routed through loads' pickups and drops
    (pickup-and-delivery pairs) by PyVRP; ``routes`` keeps each route's stops with coordinates."""

    __tablename__ = "dispatch_route_plans"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    total_km: Mapped[float] = mapped_column(Float)
    feasible: Mapped[bool] = mapped_column()
    seconds: Mapped[float] = mapped_column(Float)
    routes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    unrouted: Mapped[list[Any]] = mapped_column(JSON, default=list)
    ledger_index: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id", ondelete="RESTRICT")
    )
