"""Trace response shapes (全程追溯): the chain of one EPC or container, built from EPCIS events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Verdict = Literal["authentic", "tampered", "missing"]


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
    """A handover (交接): where the EPC left one means and boarded the next, and when custody passed."""

    place: str | None
    time: datetime = Field(
        description="when the next carrier signed the handover on a waybill of the caller's (as the "
        "waybill's trace says), else when the EPC left the first means"
    )
    fromMeans: str  # noqa: N815
    toMeans: str  # noqa: N815
    fromCarrier: uuid.UUID  # noqa: N815
    toCarrier: uuid.UUID  # noqa: N815
    documentId: uuid.UUID | None = Field(  # noqa: N815
        default=None, description="the signed handover document (交接单证), when a waybill records one"
    )


class TraceStatus(BaseModel):
    """Current status (当前状态): the business step and disposition of the latest event; for a
    waybill, its own signed step (签收, 关闭, ...) when that came after the latest event."""

    time: datetime
    bizStep: str | None  # noqa: N815
    disposition: str | None
    place: str | None
    waybillAction: str | None = Field(  # noqa: N815
        default=None, description="a waybill's latest signed step, when it is later than every event"
    )
    waybillStatus: str | None = Field(  # noqa: N815
        default=None, description="the waybill's status after that step (e.g. closed)"
    )


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
    storedWaybills: list[TraceWaybill] = Field(  # noqa: N815
        default_factory=list,
        description="stored waybills that held the container and that the caller is a party to, oldest first",
    )
    documents: list[TraceDocument] = Field(
        default_factory=list,
        description="the signed documents of those waybills' chains of custody, each with its verdict",
    )
    warnings: list[str] = Field(default_factory=list)


class TraceDocument(BaseModel):
    """A signed step of a waybill's chain of custody (单证), with its verification verdict now."""

    waybill: str
    sequence: int
    action: str
    actorUscc: str  # noqa: N815
    actorName: str | None = Field(description="the acting party's name on the platform")  # noqa: N815
    occurredAt: datetime  # noqa: N815
    toStatus: str  # noqa: N815
    toLeg: int | None  # noqa: N815
    documentId: uuid.UUID | None  # noqa: N815
    documentVersion: int | None  # noqa: N815
    ledgerIndex: int | None  # noqa: N815
    verdict: Verdict = Field(description="authentic, tampered, or missing (no notarized document)")
    problems: list[str]
    pageUrl: str | None = Field(description="the document's public page")  # noqa: N815


class WaybillLegRef(BaseModel):
    """A leg of a stored waybill (运输区段): mode, carrier and the handover points at both ends."""

    sequence: int
    mode: str
    carrierUscc: str  # noqa: N815
    carrierName: str | None = Field(description="the carrier's name when it is on the platform")  # noqa: N815
    origin: str
    destination: str
    startedAt: datetime | None = Field(description="the step that gave the carrier custody")  # noqa: N815
    endedAt: datetime | None = Field(description="the step that ended its custody")  # noqa: N815


class TraceWaybill(BaseModel):
    """A stored waybill in a container's trace (一单制): its legs and its chain verdict."""

    number: str
    status: str
    state: str = Field(description="status with the leg, e.g. 'in_transit (leg 2)'")
    currentLeg: int | None  # noqa: N815
    issuedAt: datetime | None = Field(description="start of the waybill's window")  # noqa: N815
    closedAt: datetime | None = Field(description="end of the window: closed or cancelled")  # noqa: N815
    legs: list[WaybillLegRef]
    verdict: Literal["authentic", "tampered"] = Field(description="the whole chain of custody")
    traceUrl: str  # noqa: N815


class WaybillTraceEvent(TraceEvent):
    """An event of a waybill's trace: which container it names, and the waybill leg it falls in."""

    container: str


class WaybillTraceLeg(WaybillLegRef):
    """A waybill leg with what was observed during it: the means (truck, train, vessel) and events."""

    means: list[str] = Field(description="EPCs of the means the containers were loaded on during the leg")
    events: list[WaybillTraceEvent]
    track: list[Position] = Field(
        default_factory=list, description="the GPS points of those means during the leg, oldest first"
    )


class WaybillHandover(BaseModel):
    """A handover (交接) between two legs of a waybill: the signed step of the next carrier."""

    fromLeg: int  # noqa: N815
    toLeg: int  # noqa: N815
    place: str
    time: datetime
    fromCarrierUscc: str  # noqa: N815
    toCarrierUscc: str  # noqa: N815
    documentId: uuid.UUID | None  # noqa: N815
    verdict: Verdict


class CustodyFindingRef(BaseModel):
    """A difference between the waybill's stored chain and the ledger (账本核对问题), naming the step."""

    problem: Literal["missing", "extra", "reordered", "altered", "status"]
    sequence: int | None
    action: str | None
    ledgerIndex: int | None  # noqa: N815
    detail: str


class WaybillTraceRead(BaseModel):
    """Full-chain trace of a waybill (运单全程追溯): legs, handovers, events, documents, status."""

    number: str
    status: str
    state: str
    currentLeg: int | None  # noqa: N815
    consignorUscc: str  # noqa: N815
    consignorName: str | None = Field(description="the consignor's name when it is on the platform")  # noqa: N815
    consigneeUscc: str  # noqa: N815
    consigneeName: str | None = Field(description="the consignee's name when it is on the platform")  # noqa: N815
    issuedAt: datetime | None  # noqa: N815
    closedAt: datetime | None  # noqa: N815
    containers: list[str]
    legs: list[WaybillTraceLeg]
    handovers: list[WaybillHandover]
    otherEvents: list[WaybillTraceEvent] = Field(  # noqa: N815
        description="events in the window outside every leg: after issue before pick-up, after delivery"
    )
    eventsTruncated: bool  # noqa: N815
    documents: list[TraceDocument]
    verdict: Literal["authentic", "tampered"]
    custodyFindings: list[CustodyFindingRef] = Field(  # noqa: N815
        description="steps notarized for the waybill but missing from its chain, steps the ledger does not "
        "hold, steps out of their ledger place, or a state that is not the last notarized step's"
    )
    position: Position | None = Field(description="the latest GPS point of a container or its means")
    latest: TraceStatus | None = Field(
        description="business step and place of the latest event, or the waybill's own signed step when "
        "that came later (a closed waybill reads closed, not its last scan's in progress)"
    )


TraceRead.model_rebuild()
