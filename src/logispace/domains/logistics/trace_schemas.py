"""Trace response shapes (全程追溯): the chain of one EPC or container, built from EPCIS events."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class Position(BaseModel):
    """A located moment (定位点): from a ``geo:`` read point (GPS) of the EPC or of its carrier."""

    time: datetime
    latitude: float
    longitude: float
    eventID: str  # noqa: N815 - EPCIS member name


class TraceEvent(BaseModel):
    """One event of the chain (追溯事件), in time order, with how it names the EPC."""

    eventID: str  # noqa: N815
    eventType: str  # noqa: N815
    eventTime: datetime  # noqa: N815
    action: str | None
    bizStep: str | None  # noqa: N815
    disposition: str | None
    readPoint: str | None  # noqa: N815
    bizLocation: str | None  # noqa: N815
    roles: list[str] = Field(description="how the event names the EPC: epc, child, parent, input, output")
    parentID: str | None = None  # noqa: N815
    leg: int | None = Field(default=None, description="the leg (1-based) the EPC was on at the time, if any")
    capturedBy: uuid.UUID  # noqa: N815
    waybills: list[str] = Field(default_factory=list, description="waybill numbers of its bol transactions")


class TraceLeg(BaseModel):
    """A leg (运输区段): the EPC aboard one truck, train or vessel, from loading to unloading."""

    index: int
    means: str = Field(description="EPC of the truck, train or vessel (the aggregation's parentID)")
    mode: str = Field(description="road, rail, water or other, from the means' URN")
    loadedAt: datetime  # noqa: N815
    loadedPlace: str | None  # noqa: N815
    unloadedAt: datetime | None = Field(description="none while the leg is under way")  # noqa: N815
    unloadedPlace: str | None  # noqa: N815
    carrier: uuid.UUID = Field(description="the party that captured the loading event")
    track: list[Position] = Field(
        default_factory=list, description="the means' GPS points during the leg (only with track=true)"
    )
    trackTruncated: bool = False  # noqa: N815


class Handover(BaseModel):
    """A handover (交接): where and when the EPC left one means and boarded the next."""

    place: str | None
    time: datetime
    fromMeans: str  # noqa: N815
    toMeans: str  # noqa: N815
    fromCarrier: uuid.UUID  # noqa: N815
    toCarrier: uuid.UUID  # noqa: N815


class TraceStatus(BaseModel):
    """Current status (当前状态): the business step and disposition of the latest event."""

    time: datetime
    bizStep: str | None  # noqa: N815
    disposition: str | None
    place: str | None


class TraceRead(BaseModel):
    """Full-chain trace (全程追溯) of one EPC, from the EPCIS events the caller may see."""

    epc: str
    container: str | None = Field(default=None, description="the ISO 6346 number, for a container")
    status: TraceStatus
    position: Position | None = Field(description="the latest GPS point of the EPC or its carrier")
    legs: list[TraceLeg]
    handovers: list[Handover]
    events: list[TraceEvent]
    eventsTruncated: bool = Field(  # noqa: N815
        default=False, description="only the most recent events are listed"
    )
    waybills: list[str] = Field(description="waybill numbers named by the events")
    documents: list[dict[str, object]] = Field(
        default_factory=list,
        description="waybill documents with their verification verdict (filled once waybills are stored)",
    )
    warnings: list[str] = Field(default_factory=list)
