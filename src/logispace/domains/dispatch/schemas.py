"""Dispatch API bodies (车货匹配接口)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from logispace.domains.dispatch.enums import LoadSource, LoadStatus, MatchMode, ProposalState, VehicleType

Lon = Field(ge=-180, le=180, description="longitude, degrees (WGS 84)")
Lat = Field(ge=-90, le=90, description="latitude, degrees (WGS 84)")
Qualification = Field(
    default=None, pattern=r"^[A-Z]{2,10}$", description="qualification code, e.g. DG (危险货物)"
)


class VehicleCreate(BaseModel):
    """A vehicle offered for matching (运力登记)."""

    model_config = ConfigDict(extra="forbid")

    plate: str = Field(
        min_length=7, max_length=8, pattern=r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$", description="车牌号"
    )
    vehicle_type: VehicleType
    capacity_t: float = Field(ge=0, le=200, description="payload, tonnes")
    capacity_m3: float | None = Field(
        default=None, ge=0, le=500, description="cargo space, m3 (empty: no volume limit in matching)"
    )
    qualifications: list[Annotated[str, Field(pattern=r"^[A-Z]{2,10}$")]] = Field(
        default_factory=list, max_length=10, description="qualification codes, e.g. RTC, DG (危险货物)"
    )
    certificate_valid_until: date | None = Field(default=None, description="道路运输证有效期至")
    driver_qualified: bool = Field(default=False, description="驾驶员从业资格有效")
    lon: float | None = Field(
        default=None, ge=-180, le=180, description="registered longitude (with lat; GPS wins)"
    )
    lat: float | None = Field(default=None, ge=-90, le=90, description="registered latitude (GPS wins)")
    available_from: AwareDatetime | None = None


class VehicleRead(BaseModel):
    id: uuid.UUID
    plate: str
    vehicle_type: VehicleType
    capacity_t: float
    capacity_m3: float | None
    qualifications: list[str]
    certificate_valid_until: date | None
    driver_qualified: bool
    lon: float | None
    lat: float | None
    position_from_gps: bool
    available_from: datetime | None
    eligible: bool = Field(description="road transport certificate valid today and a qualified driver")


class LoadCreate(BaseModel):
    """A load to carry (货源发布)."""

    model_config = ConfigDict(extra="forbid")

    reference: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9\-]*$")
    source: LoadSource = LoadSource.POSTED
    posted: bool = True
    pickup_lon: float = Lon
    pickup_lat: float = Lat
    drop_lon: float = Lon
    drop_lat: float = Lat
    pickup_place: str | None = Field(default=None, pattern=r"^[1-8][0-9]{5}$", description="行政区划代码")
    drop_place: str | None = Field(default=None, pattern=r"^[1-8][0-9]{5}$", description="行政区划代码")
    weight_t: float = Field(ge=0, le=200)
    volume_m3: float | None = Field(
        default=None,
        ge=0,
        le=500,
        description="cargo volume, m3 (matched against a vehicle's capacity_m3; empty: no constraint)",
    )
    vehicle_type: VehicleType | None = None
    earliest_pickup: AwareDatetime | None = None
    latest_pickup: AwareDatetime | None = None
    required_qualification: str | None = Qualification


class LoadFromWaybill(BaseModel):
    """A load made from the shipper's waybill draft (运单草稿生成货源): the draft gives the pickup and
    drop (its road legs' handover points), weight, volume, vehicle type and dangerous goods; the
    shipper gives the pickup window (a draft has no times)."""

    model_config = ConfigDict(extra="forbid")

    waybill_no: str = Field(pattern=r"^[A-Z0-9][A-Z0-9\-]{3,39}$", description="运单号 of a draft")
    reference: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9\-]*$",
        description="the load's reference; the waybill number when left out",
    )
    posted: bool = Field(default=False, description="offer it on the freight market (公开货源)")
    earliest_pickup: AwareDatetime | None = None
    latest_pickup: AwareDatetime | None = None


class LoadRead(BaseModel):
    id: uuid.UUID
    reference: str
    source: LoadSource
    posted: bool
    own: bool = Field(description="the caller's party posted it")
    pickup_lon: float
    pickup_lat: float
    drop_lon: float
    drop_lat: float
    pickup_place: str | None
    drop_place: str | None
    weight_t: float
    volume_m3: float | None
    vehicle_type: VehicleType | None
    earliest_pickup: datetime | None
    latest_pickup: datetime | None
    required_qualification: str | None
    status: LoadStatus
    waybill_no: str | None = Field(description="the waybill draft the load was made from")


class MatchRunCreate(BaseModel):
    """Match the caller's eligible vehicles with the open loads it may see (运行匹配)."""

    model_config = ConfigDict(extra="forbid")

    mode: MatchMode = MatchMode.CHAIN
    speed_kmh: float = Field(default=60, gt=0, le=120)


class ProposalRead(BaseModel):
    id: uuid.UUID
    vehicle_id: uuid.UUID
    plate: str
    load_id: uuid.UUID
    load_reference: str
    sequence: int
    deadhead_km: float
    loaded_km: float
    state: ProposalState


class MatchRunRead(BaseModel):
    id: uuid.UUID
    created_at: datetime
    mode: MatchMode
    method: str
    total_deadhead_km: float
    proposals: list[ProposalRead]
    unassigned: list[dict[str, Any]]
    report: dict[str, Any] = Field(description="empty-running report: before, after, saved km, fuel, CO2e")


class RoutePlanCreate(BaseModel):
    """Route the caller's eligible vehicles through the pickups and drops of the loads named (路径规划)."""

    model_config = ConfigDict(extra="forbid")

    load_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)
    seconds: float = Field(default=2, gt=0, le=60)
    speed_kmh: float = Field(default=60, gt=0, le=120)


class RoutePlanRead(BaseModel):
    id: uuid.UUID
    created_at: datetime
    total_km: float
    feasible: bool
    seconds: float
    routes: list[dict[str, Any]]
    unrouted: list[dict[str, Any]]
